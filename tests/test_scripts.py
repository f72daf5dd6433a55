"""The repository's scripts: test.sh and demo.sh share dist/ without deleting
each other's files (scripts/publish_wheel.sh puts the hpy_build wheel there)."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = ROOT / 'scripts' / 'publish_wheel.sh'
WHEEL = 'hpy_build-0.1.0-cp311-cp311-linux_x86_64.whl'


def publish(built, dist):
    return subprocess.run(['bash', PUBLISH, built, dist], capture_output=True, text=True)


def test_new_wheel_replaces_old_ones_and_nothing_else(tmp_path):
    built, dist = tmp_path / 'built', tmp_path / 'dist'
    built.mkdir()
    (built / WHEEL).write_text('new')
    (dist / 'hello-universal').mkdir(parents=True)
    (dist / 'hello-universal' / 'hello-0.1.0-py3-none-linux_x86_64.whl').write_text('demo')
    (dist / 'hello-0.1.0-py3-none-linux_x86_64.whl').write_text('quick start')
    (dist / WHEEL).write_text('old build, same version')
    (dist / 'hpy_build-0.0.9-cp311-cp311-linux_x86_64.whl').write_text('old version')
    proc = publish(built, dist)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in dist.iterdir()) == [
        'hello-0.1.0-py3-none-linux_x86_64.whl', 'hello-universal', WHEEL]
    assert (dist / WHEEL).read_text() == 'new'
    assert (dist / 'hello-universal' / 'hello-0.1.0-py3-none-linux_x86_64.whl').read_text() == 'demo'


def test_refuses_anything_but_one_wheel(tmp_path):
    built, dist = tmp_path / 'built', tmp_path / 'dist'
    built.mkdir()
    dist.mkdir()
    (dist / WHEEL).write_text('kept')
    proc = publish(built, dist)
    assert proc.returncode != 0 and 'expected one hpy_build wheel' in proc.stderr
    assert (dist / WHEEL).read_text() == 'kept'

