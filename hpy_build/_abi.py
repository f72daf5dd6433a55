"""Facts about the three HPy ABIs: names, file suffixes, compile and link flags.

Every other part of hpy_build (hpy-config, the Meson function, the import
hook, the backend) asks this module instead of repeating these facts.
"""

import os
import sys

ABIS = ('cpython', 'universal', 'hybrid')

# The major version of the universal ABI. It is part of the file name
# ('.hpy0.so') so that a runtime never picks up a binary of another ABI.
ABI_VERSION = 0
ABI_TAG = 'hpy%d' % ABI_VERSION

_MACROS = {
    'cpython': 'HPY_ABI_CPYTHON',
    'universal': 'HPY_ABI_UNIVERSAL',
    'hybrid': 'HPY_ABI_HYBRID',
}

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class NotInstalledError(RuntimeError):
    """A file that an installed hpy_build provides is missing."""


def check_abi(abi):
    """Return *abi* if it names an HPy ABI, else raise ValueError."""
    if abi not in ABIS:
        raise ValueError('unknown HPy ABI %r: expected one of %s'
                         % (abi, ', '.join(ABIS)))
    return abi


def default_abi(implementation=None):
    """The ABI used when none is asked for: cpython on CPython, else universal."""
    name = implementation or sys.implementation.name
    return 'cpython' if name == 'cpython' else 'universal'


def abi_macro(abi):
    return _MACROS[check_abi(abi)]


# -- file suffixes ---------------------------------------------------------

def platform_ext_suffix():
    """The interpreter's EXT_SUFFIX, e.g. '.cpython-311-x86_64-linux-gnu.so'."""
    import sysconfig  # only here: the import hook must stay cheap
    suffix = sysconfig.get_config_var('EXT_SUFFIX')
    if not suffix:
        raise RuntimeError('this Python reports no EXT_SUFFIX; '
                           'cannot name extension module files')
    return suffix


def split_ext_suffix(ext_suffix):
    """Split '.cpython-311-x86_64-linux-gnu.so' into ('cpython-311-...', 'so')."""
    if not ext_suffix.startswith('.') or len(ext_suffix) < 2:
        raise ValueError('not an extension suffix: %r' % (ext_suffix,))
    soabi, _, ext = ext_suffix[1:].rpartition('.')
    return soabi, ext


def python_abi_tag(platform_suffix=None):
    """The interpreter-ABI part of EXT_SUFFIX: 'cp311', 'cp311d', 'pypy39-pp73'.

    Taken from EXT_SUFFIX rather than the cache tag so that a debug CPython
    ('cp311d') never loads a hybrid module built for a release one. Matches
    the names HPy 0.9 gives hybrid files.
    """
    soabi, _ = split_ext_suffix(platform_suffix or platform_ext_suffix())
    if not soabi:
        # Distributions that strip SOABI from EXT_SUFFIX ('.so'): rebuild it.
        return 'cp%d%d' % sys.version_info[:2]
    parts = soabi.split('-')
    head = parts[0]
    if head == 'cpython' and len(parts) > 1:      # cpython-311d-x86_64-...
        return 'cp' + parts[1]
    if head.startswith('cp'):                       # cp311-win_amd64
        return head
    if head.startswith('pypy'):                     # pypy39-pp73-...
        return '-'.join(parts[:2])
    if head.startswith('graalpy'):                  # graalpy-38-native-...
        return '-'.join(parts[:3])
    return soabi


def ext_suffix(abi, platform_suffix=None):
    """File suffix of a module of *abi*, including the leading dot.

    cpython: the interpreter's EXT_SUFFIX; universal: '.hpy0.so';
    hybrid: '.hpy0-cp311.so'. *platform_suffix* stands for the EXT_SUFFIX of
    the target interpreter (default: this one).
    """
    check_abi(abi)
    base = platform_suffix or platform_ext_suffix()
    if abi == 'cpython':
        return base
    _, ext = split_ext_suffix(base)
    if abi == 'universal':
        return '.%s.%s' % (ABI_TAG, ext)
    return '.%s-%s.%s' % (ABI_TAG, python_abi_tag(base), ext)


def import_suffixes(platform_suffix=None):
    """Suffixes the import hook looks for, most specific first.

    The hybrid module of this interpreter, the universal module, then the
    untagged '.hpy.so' of HPy releases before the ABI version was in the name.
    """
    base = platform_suffix or platform_ext_suffix()
    _, ext = split_ext_suffix(base)
    return (ext_suffix('hybrid', base),
            '.%s.%s' % (ABI_TAG, ext),
            '.hpy.%s' % ext)


# -- installed files -------------------------------------------------------

def include_dir(package_dir=None):
    """Directory holding hpy.h.

    An installed hpy_build has it in the package; a source checkout (tests
    run from the repository) has it at the repository root.
    """
    package_dir = package_dir or _PACKAGE_DIR
    candidates = [os.path.join(package_dir, 'include'),
                  os.path.join(os.path.dirname(package_dir), 'include')]
    for path in candidates:
        if os.path.isfile(os.path.join(path, 'hpy.h')):
            return path
    raise NotInstalledError(
        'hpy_build headers not found (looked for hpy.h in %s); '
        'install hpy_build with pip to get them' % ' and '.join(candidates))


def helper_library(abi, package_dir=None):
    """Absolute path of the static helper library a module of *abi* links."""
    check_abi(abi)
    path = os.path.join(package_dir or _PACKAGE_DIR, 'lib', _helper_name(abi))
    if not os.path.isfile(path):
        raise NotInstalledError(
            'hpy_build helper library %s not found; it is built when '
            'hpy_build is installed with pip' % path)
    return path


def _python_include_dirs():
    import sysconfig
    paths = sysconfig.get_paths()
    dirs = [paths['include']]
    if paths.get('platinclude') and paths['platinclude'] not in dirs:
        dirs.append(paths['platinclude'])
    return dirs


# -- compiler and linker flags --------------------------------------------

def _hpy_flags(abi, include, join=os.path.join):
    args = []
    if abi == 'universal':
        # First, so '#include <Python.h>' finds the header that #errors.
        args.append('-I' + join(include, 'hpy', 'forbid_python_h'))
    return args + ['-D' + abi_macro(abi), '-I' + include]


def hpy_compile_args(abi, package_dir=None):
    """Flags for HPy's headers and ABI macro, without Python's headers."""
    check_abi(abi)
    return _hpy_flags(abi, include_dir(package_dir))


def _other_compile_args(abi):
    args = []
    if not sys.platform.startswith('win'):
        # Export only what HPy_MODINIT marks, as extension_module() does.
        args.append('-fvisibility=hidden')
    if abi != 'universal':
        args += ['-I' + d for d in _python_include_dirs()]
    return args


def compile_args(abi, package_dir=None):
    """Every flag a C compiler needs for a module of *abi*."""
    return hpy_compile_args(abi, package_dir) + _other_compile_args(abi)


def _drop_unused_sections(platform):
    # The helper library has a section per function: keep only those used.
    if platform == 'darwin':
        return ['-Wl,-dead_strip']
    return [] if platform.startswith('win') else ['-Wl,--gc-sections']


def _link_flags(abi, platform):
    """What the link of a module of *abi* needs besides the helper library."""
    return _drop_unused_sections(platform) + _abi_link_flags(abi, platform)


def _abi_link_flags(abi, platform):
    if abi == 'universal':
        # Every symbol must resolve inside the module: one taken from the
        # interpreter would tie the binary to it, so fail the link instead.
        if platform == 'darwin':
            return ['-Wl,-undefined,error']
        if not platform.startswith('win'):
            # libm: the C math library, which the interpreter used to supply
            # (hpy_extension() links the other C runtime libraries too).
            return ['-Wl,-z,defs', '-lm']
    elif platform == 'darwin':
        # CPython's symbols come from the process loading the module.
        return ['-Wl,-undefined,dynamic_lookup']
    return []


def _helper_name(abi):
    # The universal library serves hybrid modules too: both call the API
    # through the context.
    return 'libhpyhelpers-%s.a' % ('cpython' if abi == 'cpython' else 'universal')


def link_args(abi, package_dir=None, platform=None):
    """Flags the link of a module of *abi* needs, after its object files."""
    check_abi(abi)
    return [helper_library(abi, package_dir)] + _link_flags(abi, platform or sys.platform)


# -- pkg-config -------------------------------------------------------------

PKGCONFIG_DIR = 'pkgconfig'


def pkgconfig_dir(package_dir=None):
    """Directory of the hpy-<abi>.pc files (give it to pkg-config's PKG_CONFIG_PATH)."""
    return os.path.join(package_dir or _PACKAGE_DIR, PKGCONFIG_DIR)


def pkgconfig_text(abi, version, platform=None):
    """The hpy-<abi>.pc file: the flags above, relative to the file's place."""
    check_abi(abi)
    cflags = (_hpy_flags(abi, '${includedir}', lambda *parts: '/'.join(parts))
              + _other_compile_args(abi))
    libs = ['${libdir}/' + _helper_name(abi)] + _link_flags(abi, platform or sys.platform)
    return '\n'.join([
        'prefix=${pcfiledir}/..',
        'includedir=${prefix}/include',
        'libdir=${prefix}/lib',
        '',
        'Name: hpy-%s' % abi,
        'Description: HPy %s ABI, from hpy_build: headers, ABI macro, helper '
        'library' % abi,
        'Version: %s' % version,
        'Cflags: %s' % ' '.join(cflags),
        'Libs: %s' % ' '.join(libs),
        '',
    ])


if __name__ == '__main__':
    # The build writes the .pc files with this: python _abi.py pc ABI VERSION OUT
    _, what, _abi_name, _version, _out = sys.argv
    assert what == 'pc', what
    with open(_out, 'w', encoding='utf-8') as _f:
        _f.write(pkgconfig_text(_abi_name, _version))
