"""Temporary alias: moved to convlab.dev.authoring (issue 13)."""

import sys

import convlab.dev.authoring as _module

sys.modules[__name__] = _module
