"""Hidden graders: one package per assignment (`a<assignment>/grade_*.py`), never released.

The engine that runs them is the `convlab` package. Each assignment's `__init__.py` sets
`REGISTRATION` (`convlab.registration.Registration`): the kernel extensions its checks need and the
banned-library tables whose recorded calls they read.

No assignment's package imports another's: what several assignments share lives here, beside them.
`callables.py` (functions as arguments, a kernel extension of 02 and 03), `datasets.py` (the shapes
generator that 01, 05, 06 and 07 use) and this module's names below. `tests/test_layers.py` holds
the rule.
"""

from convlab.registration import KernelExtension

# Functions passed as arguments (02, 03): built in the kernel by `graders/callables.py`.
CALLABLES = KernelExtension("graders.callables", {"function": "from_wire"})
