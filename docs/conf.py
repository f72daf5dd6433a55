"""Sphinx configuration of hpy_build's documentation (built by tests/test_docs.py)."""
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))            # hpyapi, the API-reference directive
sys.path.insert(0, str(DOCS.parent))     # tools.autogen, whose parser it uses

project = 'hpy_build'
author = 'hpy_build contributors'
extensions = ['hpyapi']
exclude_patterns = ['_build']
highlight_language = 'none'
html_theme = 'alabaster'
# Meson's language has no Pygments lexer everywhere: show it plain.
pygments_style = 'sphinx'
