"""What an assignment registers with the engine: kernel extensions, and the libraries its checks ban.

The engine's kernel side (`convlab.runtime.kernel_side`) knows plain data only. An assignment whose
functions take or return anything else registers a kernel extension: a module whose source is sent
to the student's kernel, with decoders for the arguments the grader sends (`wire()` of a grading
side object, see `convlab.runtime.bridge.WireArgument`) and describers for values that come back.
The banned-library tables its checks use also set what the kernel watches while a student function
runs (`convlab.checking.banned`).

An assignment's graders package sets `REGISTRATION` in its `__init__.py`; the engine reads it through
`convlab.course.Assignment.registration`.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

BannedTable = Mapping[str, tuple[str, ...]]  # rule label -> names that break it ("np.convolve": ("convolve",))


@functools.cache
def _module_source(module: str) -> str:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"kernel extension {module!r} not found")
    return Path(spec.origin).read_text()


@dataclass(frozen=True)
class KernelExtension:
    """A module the kernel loads after the bridge. It must import nothing of the course (the sandbox
    shows the kernel no course file) and hide nothing: students can read it from their kernel.

    module: its dotted name on the grading side, e.g. "convlab.runtime.kernel_keras".
    decoders: wire kind -> name of its function(payload) -> the argument the student's function gets.
    describers: names of its functions(value) -> dict of plain data (or None: not mine).
    """

    module: str
    decoders: Mapping[str, str] = field(default_factory=dict)
    describers: tuple[str, ...] = ()

    def source(self) -> str:
        return _module_source(self.module)


@dataclass(frozen=True)
class Registration:
    """Everything one assignment adds to the engine. The default registers nothing."""

    kernel_extensions: tuple[KernelExtension, ...] = ()
    banned: tuple[BannedTable, ...] = ()

    @property
    def watched_words(self) -> frozenset[str]:
        """Module-path parts and function names the kernel records calls to (every table's names)."""
        return frozenset(word for table in self.banned for words in table.values() for word in words)

    def kernel_code(self) -> str:
        """The code the kernel runs after the bridge's source to install this registration."""
        lines = [
            f"_convlab_install({ext.module!r}, {ext.source()!r}, {dict(ext.decoders)!r}, {tuple(ext.describers)!r})"
            for ext in self.kernel_extensions
        ]
        lines.append(f"_convlab_watch({sorted(self.watched_words)!r})")
        return "\n".join(lines)


# Keras models as arguments and Keras models or Histories as results (05, 06, 07).
KERAS = KernelExtension("convlab.runtime.kernel_keras", {"keras_model": "model_from_wire"}, ("describe",))
