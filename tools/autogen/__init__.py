"""The generator: turns api/hpy.api into the context struct, the API functions
of both ABIs, the runtime's context table and the HPyFunc trampolines.

Run `python -m tools.autogen` from the repository root; `--check` only reports
outputs that are out of date (the test suite runs it)."""
