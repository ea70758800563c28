"""Temporary alias: moved to convlab.dev.bench_class (issue 13)."""

import sys

import convlab.dev.bench_class as _module

sys.modules[__name__] = _module
