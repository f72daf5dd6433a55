#!/usr/bin/env bash
# Set everything up and run the main job: build examples/hello with
# `pip wheel` in the CPython ABI and in the universal ABI, install each wheel
# and call hello.add(10, 20), printing the result and the file it loaded.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup_venv.sh .venv-demo
for abi in cpython universal; do
    echo
    echo "== hpy-abi=$abi: pip wheel examples/hello"
    rm -rf "dist/hello-$abi"    # this script's own output of an earlier run
    .venv-demo/bin/python -m pip wheel --quiet --find-links dist --wheel-dir "dist/hello-$abi" \
        "-Chpy-abi=$abi" examples/hello
    wheel=$(ls "dist/hello-$abi"/hello-*.whl)
    echo "built $(basename "$wheel")"
    .venv-demo/bin/python -m pip install --quiet --force-reinstall --no-deps "$wheel"
    .venv-demo/bin/python -c 'import hello; print("hello.add(10, 20) =", hello.add(10, 20)); print("loaded from", hello.__file__)'
done
