"""The universal part of this suite (support/interpreters.py says which:
the context-function, type and helper tests in the universal ABI, the
debug-mode tests) run by pytest on every other interpreter of the matrix,
against the hpy_build installed there (run in the background while the rest
of the suite runs: support/background.py)."""
import re


def outcome_counts(summary):
    """{'passed': n, 'failed': n, ...} from pytest's last line."""
    return {word: int(n) for n, word in re.findall(r'(\d+) (\w+)', summary)}


def test_universal_suite(matrix_prepared, record_property):
    env, runs = matrix_prepared
    for paths, proc in runs:
        lines = proc.stdout.strip().splitlines()
        summary = lines[-1] if lines else ''
        where = f'{env.interp.id}, {" ".join(paths)}: {summary}'
        assert proc.returncode == 0, f'{where}\n{proc.stdout[-20000:]}\n{proc.stderr[-5000:]}'
        counts = outcome_counts(summary)
        assert counts.get('passed', 0) > 0, where
        assert not counts.get('failed') and not counts.get('error') and not counts.get('errors'), where
        record_property('suite', f'{" ".join(paths)}: {summary}')
