"""Temporary alias: moved to convlab.checking.pytest_plugin (issue 13)."""

import sys

import convlab.checking.pytest_plugin as _module

sys.modules[__name__] = _module
