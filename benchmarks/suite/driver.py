"""Runs the cases against one built module, in a process of its own (run.py
starts it, under valgrind or not).

    driver.py callgrind|time VARIANT PATH NAME N_FEW N_MANY [CASE...]

callgrind: for each case, a run of N_FEW and one of N_MANY iterations, each
closed by a callgrind dump named 'CASE/N' (run.py takes the difference, which
removes set-up costs). time: prints one JSON line {case: seconds per
iteration}, the best of several runs of N_MANY.

    driver.py import-callgrind|import-time VARIANT DIR NAME_A NAME_B

imports NAME_A (the first universal module: loads the runtime too), then
NAME_B, from DIR: through hpy_build's import hook (VARIANT universal) or
through the stub .py files hpy==0.9.0's setuptools integration writes
(VARIANT hpy09-universal: our hook gives way to the stock file finder first).
"""
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases import CASES, make_runner  # noqa: E402

LOADERS = {}


def loader(*variants):
    def register(f):
        for v in variants:
            LOADERS[v] = f
        return f
    return register


@loader('capi', 'cpython')
def load_cpython_extension(variant, name, path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@loader('universal', 'debug', 'trace')
def load_ours(variant, name, path):
    import hpy_build.universal as u
    mode = {'universal': u.MODE_UNIVERSAL, 'debug': u.MODE_DEBUG, 'trace': u.MODE_TRACE}[variant]
    return u.load(name, path, mode=mode)


@loader('hpy09-universal', 'hpy09-debug')
def load_hpy09(variant, name, path):
    import importlib.util
    import hpy.universal
    spec = importlib.util.spec_from_file_location(name, path)
    return hpy.universal.load(name, path, spec, debug=variant == 'hpy09-debug')


def measure_import(mode, variant, directory, names):
    import importlib
    import importlib.machinery
    if variant.startswith('hpy09'):
        # the interpreter's own file finder instead of hpy_build's hook
        import _frozen_importlib_external as external
        stock = importlib.machinery.FileFinder.path_hook(
            *external._get_supported_file_loaders())
        sys.path_hooks[:] = [stock if getattr(h, '_hpy_build_path_hook', False) else h
                             for h in sys.path_hooks]
        sys.path_importer_cache.clear()
    sys.path.insert(0, directory)
    labels = ('cold', 'warm')
    if mode == 'import-callgrind':
        import cgmark
        cgmark.dump('start')
        for label, name in zip(labels, names):
            importlib.import_module(name)
            cgmark.dump(f'import_{label}/1')
    else:
        result = {}
        for label, name in zip(labels, names):
            t0 = time.perf_counter()
            importlib.import_module(name)
            result[f'import_{label}'] = time.perf_counter() - t0
        print(json.dumps(result))


def main(argv):
    if argv[0].startswith('import-'):
        return measure_import(argv[0], argv[1], argv[2], argv[3:5])
    mode, variant, path, name, few, many = argv[:6]
    few, many = int(few), int(many)
    wanted = set(argv[6:])
    mod = LOADERS[variant](variant, name, path)
    keep = []
    runners = [(case, make_runner(setup, stmt, keep)) for case, setup, stmt in CASES
               if not wanted or case in wanted]
    if mode == 'callgrind':
        import cgmark
        for case, run in runners:
            for n in (few, many):
                # every measured run starts with an empty youngest
                # generation, so that collections fall at the same points
                keep.clear()
                gc.collect()
                cgmark.dump('cleanup')
                run(mod, n)
                cgmark.dump(f'{case}/{n}')
    else:
        result = {}
        for case, run in runners:
            run(mod, few)       # warm up
            keep.clear()
            best = float('inf')
            for _ in range(5):
                gc.collect()
                t0 = time.perf_counter()
                run(mod, many)
                best = min(best, time.perf_counter() - t0)
                keep.clear()
            result[case] = best / many
        print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1:])
