# Sourced by test.sh and demo.sh: a fresh virtual environment at $1 with the
# hpy_build wheel of this checkout installed (the wheel stays in dist/, where
# builds of projects that require hpy_build find it).
venv=$1
python=${PYTHON:-python3}
rm -rf "$venv" dist
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo "building the hpy_build wheel into dist/ ..."
"$venv/bin/python" -m pip wheel --quiet --no-deps --wheel-dir dist . -Csetup-args=-Dwerror=true
"$venv/bin/python" -m pip install --quiet dist/hpy_build-*.whl
