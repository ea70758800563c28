"""Hidden graders: one package per assignment (`a<assignment>/grade_*.py`), never released.

The engine that runs them is the `convlab` package. Each assignment's `__init__.py` sets
`REGISTRATION` (`convlab.registration.Registration`): the kernel extensions its checks need and the
banned-library tables whose recorded calls they read. `callables.py` is the one module shared by
several assignments.
"""

from convlab.registration import KernelExtension

# Functions passed as arguments (02, 03): built in the kernel by `graders/callables.py`.
CALLABLES = KernelExtension("graders.callables", {"function": "from_wire"})
