"""Temporary alias: moved to convlab.integration.nbgrader_plugin (issue 13)."""

import sys

import convlab.integration.nbgrader_plugin as _module

sys.modules[__name__] = _module
