#!/usr/bin/env bash
# publish_wheel.sh BUILT_DIR DIST: put the one hpy_build wheel of BUILT_DIR
# into DIST, replacing older hpy_build wheels there and nothing else, so that
# test.sh and demo.sh never delete what the other (or the user) left in DIST.
# The wheel is renamed into place: a concurrent reader sees the old or the new.
set -euo pipefail
built=$1
dist=$2
shopt -s nullglob
wheels=("$built"/hpy_build-*.whl)
if [ ${#wheels[@]} -ne 1 ]; then
    echo "publish_wheel.sh: expected one hpy_build wheel in $built, found ${#wheels[@]}" >&2
    exit 1
fi
new=$(basename "${wheels[0]}")
mkdir -p "$dist"
cp "${wheels[0]}" "$dist/.$new.part"
mv -f "$dist/.$new.part" "$dist/$new"
for old in "$dist"/hpy_build-*.whl; do
    [ "$(basename "$old")" = "$new" ] || rm -f "$old"
done
