"""Temporary alias: moved to convlab.dev.corpus (issue 13)."""

import sys

import convlab.dev.corpus as _module

sys.modules[__name__] = _module
