"""Keras models across the bridge: a kernel extension (`convlab.registration.KernelExtension`).

Sent to the student's kernel as source by the assignments that register `EXTENSION` below, and
imported by their graders. A model the grader supplies crosses as data (`KerasModelSpec`: its JSON
and weight arrays, rebuilt in the kernel by `model_from_wire`); a model or History the student returns
comes back as a dict of plain data (`describe`). Nothing is pickled either way.

It imports nothing of the course: the sandbox shows the kernel no course file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class KerasModelSpec:
    """A Keras model the grader supplies, as data: its `to_json()` and `get_weights()` arrays."""

    json: str
    weights: tuple[np.ndarray, ...]

    def wire(self) -> tuple[str, dict[str, Any]]:
        return "keras_model", {"json": self.json, "weights": [np.asarray(w) for w in self.weights]}


def model_from_wire(payload: dict[str, Any]) -> Any:
    """The kernel's copy of a `KerasModelSpec`."""
    import keras
    model = keras.models.model_from_json(payload["json"])
    model.set_weights(list(payload["weights"]))
    return model


def _dims(shape: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in shape]
    except Exception:  # noqa: BLE001 - a layer without a built shape has none to report
        return None


def _layer(layer: Any) -> dict[str, Any]:
    try:
        shape = _dims(layer.output.shape)
    except Exception:  # noqa: BLE001 - a layer never called has no output
        shape = None
    try:
        params = int(layer.count_params())
    except Exception:  # noqa: BLE001 - an unbuilt layer cannot count its weights
        params = None
    activation = layer.get_config().get("activation")
    return {"class": type(layer).__name__, "name": layer.name, "output_shape": shape, "params": params,
            "activation": activation if isinstance(activation, str) else None}


def _model(model: Any) -> dict[str, Any]:
    try:
        total = int(model.count_params())
    except Exception:  # noqa: BLE001 - an unbuilt model cannot count its weights
        total = None
    try:
        input_shape = _dims(model.inputs[0].shape)
    except Exception:  # noqa: BLE001 - a Sequential model without an input has no input shape
        input_shape = None
    loss = getattr(model, "loss", None)
    optimizer = getattr(model, "optimizer", None)
    return {"json": model.to_json(), "layers": [_layer(layer) for layer in model.layers], "count_params": total,
            "input_shape": input_shape, "compiled": bool(getattr(model, "compiled", False)),
            "loss": loss if isinstance(loss, str) else (None if loss is None else type(loss).__name__),
            "optimizer": None if optimizer is None else type(optimizer).__name__, "name": str(model.name)}


def describe(value: Any) -> dict[str, Any] | None:
    """A Keras model or History as plain data; None for anything else.

    Model: json (to_json()), layers (class, name, output_shape, params, activation of each),
    count_params, input_shape, compiled, loss, optimizer, name. History: history, params, epoch.
    """
    module = type(value).__module__ or ""
    if not module.startswith(("keras", "tensorflow", "tf_keras")):
        return None
    if hasattr(value, "history") and hasattr(value, "params") and isinstance(value.history, dict):
        return {"history": {str(k): [float(x) for x in h] for k, h in value.history.items()},
                "params": {str(k): x for k, x in (value.params or {}).items()
                           if isinstance(x, (int, float, str, type(None)))},
                "epoch": [int(e) for e in getattr(value, "epoch", [])]}
    if hasattr(value, "to_json") and hasattr(value, "count_params") and hasattr(value, "layers"):
        return _model(value)
    return None
