"""HPy 0.9's hpy.devel.abitag names, answered by hpy_build's ABI facts."""
from hpy_build import _abi

HPY_ABI_VERSION = _abi.ABI_VERSION
# What a module compiled without opting into the later members requires.
HPY_ABI_VERSION_MINOR = 0
HPY_ABI_TAG = _abi.ABI_TAG


def parse_ext_suffix(ext_suffix=None):
    """(interpreter ABI tag, file extension) of an EXT_SUFFIX: ('cp311', 'so')."""
    suffix = ext_suffix or _abi.platform_ext_suffix()
    return _abi.python_abi_tag(suffix), _abi.split_ext_suffix(suffix)[1]


def get_hpy_ext_suffix(hpy_abi, ext_suffix=None):
    return _abi.ext_suffix(hpy_abi, ext_suffix)
