"""The loader of universal and hybrid HPy module files, and specs using it.

Kept out of the import hook (_hpy_build_importhook) so that its start-up
import does not import importlib.machinery; this module is imported when a
module is found.
"""

from importlib.machinery import ExtensionFileLoader, ModuleSpec


class HPyExtensionLoader(ExtensionFileLoader):
    """Loads one universal or hybrid module file through hpy_build's runtime."""

    def create_module(self, spec):
        from . import universal
        return universal._load_for_import(spec)

    def exec_module(self, module):
        # The runtime's load() has already run the module's init steps.
        pass

    def is_package(self, fullname):
        return False


def spec_for_file(name, path):
    """A ModuleSpec for the module *name* in the HPy module file *path*."""
    spec = ModuleSpec(name, HPyExtensionLoader(name, path), origin=path)
    spec.has_location = True
    return spec
