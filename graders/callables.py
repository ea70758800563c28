"""Functions passed as arguments, described as data: a kernel extension shared by the assignments.

02's `convolve_functions` and 03's Conv2D layer take a function (a box, a Gaussian, an exponential
decay). Such a function crosses to the kernel as its kind and parameters (`FunctionSpec.wire`), and
both sides build it with the same `make_callable`, so the grader's expected values use exactly the
function the student's code receives. Registered by 02 and 03 (`EXTENSION` in their `__init__.py`);
its source is sent to the student's kernel, so it imports nothing of the course and hides nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def make_callable(kind: str, params: dict[str, float]) -> Callable[[Any], np.ndarray]:
    """The function `kind` with `params`, evaluated elementwise on an array of t values."""
    if kind == "box":
        lo, hi, height = params["lo"], params["hi"], params.get("height", 1.0)
        return lambda t: np.where((np.asarray(t, float) >= lo) & (np.asarray(t, float) <= hi), height, 0.0)
    if kind == "gaussian":
        mu, sigma = params["mu"], params["sigma"]
        return lambda t: np.exp(-0.5 * ((np.asarray(t, float) - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    if kind == "exp_decay":
        rate = params["rate"]
        return lambda t: np.where(np.asarray(t, float) >= 0,
                                  rate * np.exp(-rate * np.clip(np.asarray(t, float), 0, None)), 0.0)
    raise ValueError(f"unknown callable kind {kind!r}")


def from_wire(payload: dict[str, Any]) -> Callable[[Any], np.ndarray]:
    """The kernel's copy of a `FunctionSpec`."""
    return make_callable(payload["kind"], payload["params"])


@dataclass(frozen=True)
class FunctionSpec:
    """A callable argument described as data: `kind` with numeric `params`."""

    kind: str
    params: dict[str, float] = field(default_factory=dict)

    def __call__(self, t: Any) -> np.ndarray:
        return make_callable(self.kind, self.params)(t)

    def describe(self) -> str:
        inner = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.kind}({inner})"

    def wire(self) -> tuple[str, dict[str, Any]]:
        return "function", {"kind": self.kind, "params": dict(self.params)}
