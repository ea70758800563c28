"""Helpers the graders of assignment 01_image_tasks call in your notebook's kernel.

The graders send only data (arrays, numbers, strings, lists and dicts) to your functions. Two
tasks need more: `predict_top_k` takes a model, and the box conversions must leave their input
array unchanged, which only the kernel can see. These helpers build those objects here, call your
function by name from the notebook and return plain data. You do not need to use or change them
(the graders use the copy shipped with the assignment).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _notebook() -> dict[str, Any]:
    """The notebook's variables (in a Jupyter kernel, the `__main__` module is the notebook)."""
    import __main__

    return vars(__main__)


class FixedOutputModel:
    """A stand-in for a Keras classifier: square RGB input of side `size`, fixed probabilities."""

    def __init__(self, probabilities: Any, size: int) -> None:
        self.input_shape = (None, int(size), int(size), 3)
        self.output_shape = (None, len(probabilities))
        self.probabilities = np.asarray(probabilities, dtype=np.float32).reshape(1, -1)
        self.inputs_seen: list[np.ndarray] = []

    def predict(self, x: Any, verbose: int = 0, **kwargs: Any) -> np.ndarray:
        self.inputs_seen.append(np.array(x))
        return self.probabilities.copy()


def top_k_fixed(probabilities: Any, image: Any, labels: list[str], k: int, size: int) -> dict[str, Any]:
    """Your predict_top_k with a model of known output; also returns what the model was given."""
    model = FixedOutputModel(probabilities, size)
    top = _notebook()["predict_top_k"](model, image, labels, k)
    return {"top": top, "inputs": model.inputs_seen}


def top_k_shapes(image: Any, k: int) -> Any:
    """Your predict_top_k with the notebook's `shapes_model` and the class names of `shapes.py`."""
    notebook = _notebook()
    return notebook["predict_top_k"](notebook["shapes_model"], image, list(notebook["CLASSES"]), k)


def keeps_input(name: str, array: Any, *args: Any) -> dict[str, Any]:
    """Call your function `name` on a copy of `array`; report whether the copy was modified."""
    copy = np.array(array)
    result = _notebook()[name](copy, *args)
    return {"result": result, "unchanged": bool(np.array_equal(copy, np.asarray(array)))}
