"""Temporary alias: moved to convlab.dev.cell_times (issue 13)."""

import sys

import convlab.dev.cell_times as _module

sys.modules[__name__] = _module
