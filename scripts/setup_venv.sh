# Sourced by test.sh and demo.sh: a fresh virtual environment at $1 with the
# hpy_build wheel of this checkout installed (the wheel stays in dist/, where
# builds of projects that require hpy_build find it).
venv=$1
python=${PYTHON:-python3}
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo "building the hpy_build wheel into dist/ ..."
built=$(mktemp -d "${TMPDIR:-/tmp}/hpy_build-wheel.XXXXXX")
"$venv/bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$built" . -Csetup-args=-Dwerror=true
scripts/publish_wheel.sh "$built" dist
rm -rf "$built"
"$venv/bin/python" -m pip install --quiet dist/hpy_build-*.whl
