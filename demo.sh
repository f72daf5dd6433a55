#!/usr/bin/env bash
# Set everything up and run the main job: build examples/hello and then
# examples/vectors (HPy types) with `pip wheel` in the CPython ABI and in the
# universal ABI, install each wheel and run it, printing the results and the
# file each module was loaded from.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup_venv.sh .venv-demo
build_and_install() {   # project abi
    echo
    echo "== hpy-abi=$2: pip wheel examples/$1"
    rm -rf "dist/$1-$2"    # this script's own output of an earlier run
    .venv-demo/bin/python -m pip wheel --quiet --find-links dist --wheel-dir "dist/$1-$2" \
        "-Chpy-abi=$2" "examples/$1"
    wheel=$(ls "dist/$1-$2/$1"-*.whl)
    echo "built $(basename "$wheel")"
    .venv-demo/bin/python -m pip install --quiet --force-reinstall --no-deps "$wheel"
}
for abi in cpython universal; do
    build_and_install hello "$abi"
    .venv-demo/bin/python -c 'import hello; print("hello.add(10, 20) =", hello.add(10, 20)); print("loaded from", hello.__file__)'
done
for abi in cpython universal; do
    build_and_install vectors "$abi"
    .venv-demo/bin/python examples/vectors/demo.py
done
