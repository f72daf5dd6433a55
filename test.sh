#!/usr/bin/env bash
# Set everything up and run the tests: builds the hpy_build wheel into dist/,
# installs it with the test tools into a fresh .venv, runs pytest.
# Extra arguments go to pytest (e.g. ./test.sh -k argparse -x).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup_venv.sh .venv
.venv/bin/python -m pip install --quiet -r tests/requirements.txt
exec .venv/bin/pytest "$@"
