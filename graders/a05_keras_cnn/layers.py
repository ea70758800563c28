"""Keras layers recomputed in numpy from a model's JSON config and weights, for one image.

The feature-map check compares a student's activations with these, computed in the grading process
(never by the student's code): Conv2D (a cross-correlation), MaxPooling2D and AveragePooling2D,
channels last, TensorFlow's "same" padding rule. Functions return None for configurations they do
not cover (dilation, groups, unknown activations), and the check then skips that layer.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

ACTIVATIONS = {
    None: lambda z: z, "linear": lambda z: z, "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
}


def layer_configs(model_json: str) -> dict[str, dict]:
    """Layer name -> (class_name, config) found anywhere in a model's to_json()."""
    found: dict[str, dict] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            cfg = node.get("config")
            if "class_name" in node and isinstance(cfg, dict) and isinstance(cfg.get("name"), str):
                found.setdefault(cfg["name"], {"class_name": node["class_name"], **cfg})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(json.loads(model_json))
    return found


def pad_same(x: np.ndarray, window: tuple[int, int], strides: tuple[int, int], value: float) -> np.ndarray:
    """TensorFlow's "same" padding: ceil(n / s) outputs, the extra padded row/column at the end."""
    pads = []
    for n, k, s in zip(x.shape[:2], window, strides, strict=True):
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, pads + [(0, 0)], constant_values=value)


def conv2d(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None, cfg: dict) -> np.ndarray | None:
    """Keras Conv2D (a cross-correlation) in numpy, for one (H, W, C) image; None if out of scope."""
    if list(cfg.get("dilation_rate", [1, 1])) != [1, 1] or cfg.get("groups", 1) != 1:
        return None
    activation = cfg.get("activation")
    if activation not in ACTIVATIONS or cfg.get("data_format", "channels_last") != "channels_last":
        return None
    kh, kw = kernel.shape[:2]
    sh, sw = cfg.get("strides", [1, 1])
    x = x.astype(np.float64)
    if cfg.get("padding") == "same":
        x = pad_same(x, (kh, kw), (sh, sw), 0.0)
    oh, ow = (x.shape[0] - kh) // sh + 1, (x.shape[1] - kw) // sw + 1
    out = np.zeros((oh, ow, kernel.shape[3]))
    for i in range(kh):
        for j in range(kw):
            patch = x[i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :]
            out += patch @ kernel[i, j].astype(np.float64)
    if bias is not None:
        out += bias
    return ACTIVATIONS[activation](out)


def pool2d(x: np.ndarray, cfg: dict) -> np.ndarray | None:
    kind = cfg["class_name"]
    if kind not in ("MaxPooling2D", "AveragePooling2D") or cfg.get("data_format", "channels_last") != "channels_last":
        return None
    ph, pw = cfg.get("pool_size", [2, 2])
    sh, sw = cfg.get("strides") or [ph, pw]
    if cfg.get("padding") == "same":
        if kind == "AveragePooling2D":
            return None  # averages over the valid part of the window only; out of scope here
        x = pad_same(x, (ph, pw), (sh, sw), -np.inf)
    oh, ow = (x.shape[0] - ph) // sh + 1, (x.shape[1] - pw) // sw + 1
    windows = np.stack([x[i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :]
                        for i in range(ph) for j in range(pw)])
    return windows.max(0) if kind == "MaxPooling2D" else windows.mean(0)
