"""The ``hpy-api`` directive: the API reference, generated from api/hpy.api
with the generator's own parser (tools.autogen.spec), so it never repeats a
hand-kept table and grows as the API file does."""
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from tools.autogen import spec as api_spec

_IMPL = {
    'direct': 'maps onto ``{cpython}``',
    'inline': 'written by hand (inline)',
    'ctx': 'written by hand',
    'runtime': 'universal runtime only',
    'todo': '**not implemented yet**: raises ``SystemError``',
}


def _rst_lines(spec):
    lines = ['.. list-table:: Handles of the context', '   :header-rows: 1', '',
             '   * - index', '     - handle', '     - holds']
    for h in spec.handles:
        lines += ['   * - %d' % h.index, '     - ``ctx->%s``' % h.member,
                  '     - ``%s``' % h.cpython]
    lines += ['', '.. list-table:: Functions of the context', '   :header-rows: 1', '',
              '   * - index', '     - function', '     - implementation']
    for f in spec.functions:
        sig = '%s %s(%s)' % (f.ret, f.name, f.params_decl())
        lines += ['   * - %d' % f.index, '     - ``%s``' % sig.replace('``', ''),
                  '     - ' + _IMPL[f.impl].format(cpython=f.cpython)]
    return lines


class HPyApiDirective(SphinxDirective):
    has_content = False

    def run(self):
        self.env.note_dependency(str(api_spec.SPEC_FILE))
        spec = api_spec.parse()
        container = nodes.section()
        self.state.nested_parse(StringList(_rst_lines(spec), source=str(api_spec.SPEC_FILE)),
                                self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive('hpy-api', HPyApiDirective)
    return {'parallel_read_safe': True}
