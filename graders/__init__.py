"""Hidden graders: one package per assignment (`a<assignment>/grade_*.py`), never released.

The engine that runs them is the `convlab` package. Each assignment's `__init__.py` sets
`REGISTRATION` (`convlab.registration.Registration`): the kernel extensions its checks need and the
banned-library tables whose recorded calls they read.

No assignment's package imports another's: what several assignments share lives here, beside them.
`callables.py` (functions as arguments, a kernel extension of 02 and 03), `datasets.py` (the shapes
generator that 01, 05, 06 and 07 use) and this module's names below. `tests/test_layers.py` holds
the rule.
"""

from convlab.registration import BannedTable, KernelExtension

# Functions passed as arguments (02, 03): built in the kernel by `graders/callables.py`.
CALLABLES = KernelExtension("graders.callables", {"function": "from_wire"})

# What 02's and 03's "write the loops yourself" checks ban (registered by both; see convlab.checking.banned).
BANNED_CONVOLUTION: BannedTable = {
    "np.convolve": ("convolve",),
    "np.correlate": ("correlate",),
    "scipy.signal": ("signal", "convolve2d", "correlate2d", "fftconvolve", "oaconvolve",
                     "lfilter", "filtfilt"),
    "scipy.ndimage": ("ndimage", "convolve1d", "correlate1d"),
    "TensorFlow/Keras": ("tf", "tensorflow", "keras", "torch", "jax"),
}
