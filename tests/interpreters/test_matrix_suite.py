"""The universal part of this suite (support/interpreters.py says which:
the context-function, type and helper tests in the universal ABI, the
debug-mode tests) run by pytest on every other interpreter of the matrix,
against the hpy_build installed there."""
import re

from support.interpreters import ROOT, run


def outcome_counts(summary):
    """{'passed': n, 'failed': n, ...} from pytest's last line."""
    return {word: int(n) for n, word in re.findall(r'(\d+) (\w+)', summary)}


def test_universal_suite(matrix_env, tmp_path, record_property):
    matrix_env.install_test_tools()
    interp = matrix_env.interp
    for i, (selection, paths) in enumerate(interp.suite):
        # its pytest program, not `python -m pytest`: that would put the
        # checkout, whose hpy_build/ is not the installed one, on sys.path
        proc = run(matrix_env.path / 'bin' / 'pytest', '-q', '-p', 'no:cacheprovider',
                   '--basetemp', tmp_path / f'run{i}', *(['-k', selection] if selection else []),
                   *paths, cwd=ROOT, env=matrix_env.env(), check=False)
        lines = proc.stdout.strip().splitlines()
        summary = lines[-1] if lines else ''
        where = f'{interp.id}, {" ".join(paths)}: {summary}'
        assert proc.returncode == 0, f'{where}\n{proc.stdout[-20000:]}\n{proc.stderr[-5000:]}'
        counts = outcome_counts(summary)
        assert counts.get('passed', 0) > 0, where
        assert not counts.get('failed') and not counts.get('error') and not counts.get('errors'), where
        record_property('suite', f'{" ".join(paths)}: {summary}')
