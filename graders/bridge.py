"""Calling a student's function across the process boundary, with plain data only.

Inputs go to the kernel as JSON and `.npy` files in a per-call folder; the kernel answers the same
way. The grading process loads arrays with `allow_pickle=False` and parses JSON: nothing the kernel
writes is ever unpickled or evaluated here.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAX_RESULT_BYTES = 64 * 1024**2

# Callables a grader may pass to a student function. The same source runs in the grading process
# (for reference values) and in the kernel, so both sides evaluate exactly the same function.
CALLABLE_LIBRARY = r'''
def _convlab_make_callable(kind, params):
    import numpy as _np
    if kind == "box":
        lo, hi, height = params["lo"], params["hi"], params.get("height", 1.0)
        return lambda t: _np.where((_np.asarray(t, float) >= lo) & (_np.asarray(t, float) <= hi),
                                   height, 0.0)
    if kind == "gaussian":
        mu, sigma = params["mu"], params["sigma"]
        return lambda t: (_np.exp(-0.5 * ((_np.asarray(t, float) - mu) / sigma) ** 2)
                          / (sigma * _np.sqrt(2 * _np.pi)))
    if kind == "exp_decay":
        rate = params["rate"]
        return lambda t: _np.where(_np.asarray(t, float) >= 0,
                                   rate * _np.exp(-rate * _np.clip(_np.asarray(t, float), 0, None)),
                                   0.0)
    raise ValueError("unknown callable kind " + repr(kind))
'''

_LIB: dict[str, Any] = {}
exec(CALLABLE_LIBRARY, _LIB)  # noqa: S102 - our own constant source, shared with the kernel


@dataclass(frozen=True)
class FunctionSpec:
    """A callable argument described as data: `kind` with numeric `params`."""

    kind: str
    params: dict[str, float] = field(default_factory=dict)

    def __call__(self, t: Any) -> np.ndarray:
        return _LIB["_convlab_make_callable"](self.kind, self.params)(t)

    def describe(self) -> str:
        inner = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.kind}({inner})"


@dataclass(frozen=True)
class KerasModelSpec:
    """A Keras model the grader supplies, as data: its `to_json()` and `get_weights()` arrays.

    The kernel rebuilds it with `keras.models.model_from_json` and `set_weights`; nothing is
    pickled either way.
    """

    json: str
    weights: tuple[np.ndarray, ...]


# Runs in the student's kernel after the notebook's cells. It is public: knowing it gives a
# student nothing, because expected values never enter the kernel.
KERNEL_BOOTSTRAP = CALLABLE_LIBRARY + r'''
def __convlab_call_many__(jobs, budget):
    """Run several calls in one request; a `started` file marks the call running when stopped.

    No call starts after `budget` seconds: the rest wait for the next request, so that only a
    call that is slow by itself ever meets the request's time limit.
    """
    import os as _os, time as _time
    begin = _time.monotonic()
    for name, call_dir in jobs:
        if _time.monotonic() - begin > budget:
            return
        open(_os.path.join(call_dir, "started"), "w").close()
        __convlab_call__(name, call_dir, batch=True)


def __convlab_call__(name, call_dir, batch=False):
    import json as _json, os as _os, sys as _sys, traceback as _tb
    import numpy as _np
    _BANNED = {
        "numpy": ("convolve", "correlate"),
        "scipy.signal": None, "scipy.ndimage": None,
        "tensorflow": None, "keras": None, "torch": None, "jax": None,
    }
    seen = set()
    counter = [0]

    def decode(a):
        if isinstance(a, dict):
            if "__ndarray__" in a:
                return _np.load(_os.path.join(call_dir, a["__ndarray__"]), allow_pickle=False)
            if "__tuple__" in a:
                return tuple(decode(x) for x in a["__tuple__"])
            if "__callable__" in a:
                return _convlab_make_callable(a["__callable__"], a["params"])
            if "__keras_model__" in a:
                import keras as _keras
                model = _keras.models.model_from_json(a["__keras_model__"])
                model.set_weights([decode(w) for w in a["weights"]])
                return model
            return {k: decode(v) for k, v in a.items()}
        if isinstance(a, list):
            return [decode(x) for x in a]
        return a

    def qualname(v):
        t = type(v)
        return (t.__module__ + "." + t.__qualname__).replace("builtins.", "")

    def encode(v, depth=0):
        if depth > 4:
            return {"__unsupported__": qualname(v)}
        if v is None:
            return {"json": None, "type": "NoneType"}
        for base in (bool, int, float, str):
            if isinstance(v, base):
                return {"json": base(v), "type": qualname(v)}
        if isinstance(v, (list, tuple)):
            return {"__seq__": [encode(x, depth + 1) for x in v[:10000]], "type": qualname(v)}
        if isinstance(v, dict):
            return {"__map__": {str(k)[:200]: encode(x, depth + 1) for k, x in list(v.items())[:10000]},
                    "type": qualname(v)}
        summary = describe_keras(v)
        if summary is not None:
            return {"__map__": {k: encode(x, depth + 1) for k, x in summary.items()}, "type": qualname(v)}
        try:
            arr = _np.asarray(v)
        except Exception:
            return {"__unsupported__": qualname(v)}
        if arr.dtype.hasobject or arr.dtype.kind not in "biufcSU":
            return {"__unsupported__": qualname(v)}
        counter[0] += 1
        fname = "r%d.npy" % counter[0]
        _np.save(_os.path.join(call_dir, fname), _np.array(arr), allow_pickle=False)
        return {"__ndarray__": fname, "type": qualname(v), "dtype": str(arr.dtype)}

    def describe_keras(v):
        """Keras models and histories cross as dicts of data (never as objects)."""
        mod = type(v).__module__ or ""
        if not (mod.startswith("keras") or mod.startswith("tensorflow") or mod.startswith("tf_keras")):
            return None
        if hasattr(v, "history") and hasattr(v, "params") and isinstance(v.history, dict):
            return {"history": {str(k): [float(x) for x in h] for k, h in v.history.items()},
                    "params": {str(k): x for k, x in (v.params or {}).items()
                               if isinstance(x, (int, float, str, type(None)))},
                    "epoch": [int(e) for e in getattr(v, "epoch", [])]}
        if hasattr(v, "to_json") and hasattr(v, "count_params") and hasattr(v, "layers"):
            layers = []
            for layer in v.layers:
                try:
                    shape = [None if d is None else int(d) for d in layer.output.shape]
                except Exception:
                    shape = None
                try:
                    params = int(layer.count_params())
                except Exception:
                    params = None
                cfg = layer.get_config()
                act = cfg.get("activation")
                layers.append({"class": type(layer).__name__, "name": layer.name, "output_shape": shape,
                               "params": params, "activation": act if isinstance(act, str) else None})
            try:
                input_shape = [None if d is None else int(d) for d in v.inputs[0].shape]
            except Exception:
                input_shape = None
            try:
                total = int(v.count_params())
            except Exception:
                total = None
            loss = getattr(v, "loss", None)
            optimizer = getattr(v, "optimizer", None)
            return {"json": v.to_json(), "layers": layers, "count_params": total, "input_shape": input_shape,
                    "compiled": bool(getattr(v, "compiled", False)),
                    "loss": loss if isinstance(loss, str) else (None if loss is None else type(loss).__name__),
                    "optimizer": None if optimizer is None else type(optimizer).__name__,
                    "name": str(v.name)}
        return None

    def profile(frame, event, arg):
        if event == "call":
            mod = frame.f_globals.get("__name__", "") or ""
        elif event == "c_call":
            mod = getattr(arg, "__module__", "") or ""
        else:
            return
        top = mod.split(".")[0]
        for banned, names in _BANNED.items():
            if mod == banned or mod.startswith(banned + "."):
                if names is None:
                    seen.add(banned)
                else:
                    fn = frame.f_code.co_name if event == "call" else getattr(arg, "__name__", "")
                    if fn in names:
                        seen.add(top + "." + fn)

    with open(_os.path.join(call_dir, "call.json")) as fh:
        spec = _json.load(fh)
    result = {}
    head, *attrs = name.split(".")
    fn = get_ipython().user_ns.get(head)  # noqa: F821 - defined inside IPython
    try:
        for attr in attrs:
            fn = getattr(fn, attr) if fn is not None else None
    except Exception:
        fn = None
    seconds = None
    if fn is None:
        result = {"status": "missing"}
    elif spec.get("get"):
        try:
            result = {"status": "ok", "value": encode(fn)}
        except Exception as exc:
            result = {"status": "unsupported", "error": "%s: %s" % (type(exc).__name__, exc)}
    elif not callable(fn):
        result = {"status": "not_callable", "type": qualname(fn)}
    else:
        import time as _time
        args = decode(spec["args"])
        kwargs = decode(spec["kwargs"])
        _sys.setprofile(profile)
        try:
            start = _time.perf_counter()
            value = fn(*args, **kwargs)
            seconds = _time.perf_counter() - start
        except BaseException as exc:  # the student's SystemExit and KeyboardInterrupt too
            _sys.setprofile(None)
            if batch and isinstance(exc, KeyboardInterrupt):
                # Possibly the grader's interrupt: stop the batch; this call is retried alone.
                raise
            frames = _tb.extract_tb(exc.__traceback__)[1:]
            where = ""
            if frames:
                last = frames[-1]
                where = "in %s, line %s: %s" % (last.name, last.lineno, (last.line or "").strip())
            result = {"status": "error", "error": "%s: %s" % (type(exc).__name__, str(exc)[:300]),
                      "where": where[:300]}
        else:
            _sys.setprofile(None)
            try:
                result = {"status": "ok", "value": encode(value)}
            except Exception as exc:
                result = {"status": "unsupported", "error": "%s: %s" % (type(exc).__name__, exc)}
    result["library_calls"] = sorted(seen)
    result["seconds"] = seconds
    tmp = _os.path.join(call_dir, "result.json.tmp")
    with open(tmp, "w") as fh:
        _json.dump(result, fh)
    _os.replace(tmp, _os.path.join(call_dir, "result.json"))
'''


class BridgeError(RuntimeError):
    """The kernel's answer is not well-formed plain data."""


@dataclass
class Returned:
    """What a student function returned, as plain data.

    value: an ndarray, a Python scalar/str/None, or a list or str-keyed dict of those (tuples
        arrive as lists). A Keras model arrives as a dict: json (model.to_json()), layers (class,
        name, output_shape, params, activation per layer), count_params, input_shape, compiled,
        loss, optimizer, name. A Keras History arrives as {"history", "params", "epoch"}.
    type_name: the type the student returned, e.g. "numpy.ndarray", "list", "tensorflow...EagerTensor".
    """

    value: Any
    type_name: str
    library_calls: list[str]
    seconds: float | None = None  # the call's wall time, measured in the kernel (None for `get`)


@dataclass
class CallOutcome:
    status: str  # ok | error | missing | not_callable | unsupported
    returned: Returned | None = None
    error: str = ""
    where: str = ""
    library_calls: list[str] = field(default_factory=list)


def call_key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool = False) -> str:
    """A digest identifying a call by its function and the exact values (and dtypes) of its inputs."""
    digest = hashlib.sha256()

    def feed(a: Any) -> None:
        if isinstance(a, (np.ndarray, np.generic)):
            arr = np.ascontiguousarray(a)
            digest.update(f"A{arr.dtype.str}{arr.shape}".encode())
            digest.update(arr.tobytes())
        elif isinstance(a, (list, tuple)):
            digest.update(f"{type(a).__name__}{len(a)}[".encode())
            for x in a:
                feed(x)
            digest.update(b"]")
        elif isinstance(a, dict):
            digest.update(f"D{len(a)}{{".encode())
            for k, v in a.items():
                feed(str(k))
                feed(v)
            digest.update(b"}")
        elif isinstance(a, FunctionSpec):
            digest.update(f"F{a.kind}{sorted(a.params.items())!r}".encode())
        elif isinstance(a, KerasModelSpec):
            digest.update(f"K{len(a.json)}:".encode() + a.json.encode())
            feed(list(a.weights))
        elif a is None or isinstance(a, (bool, int, float, str)):
            digest.update(f"{type(a).__name__}:{a!r};".encode())
        else:
            raise TypeError(f"cannot send {type(a).__name__} to a student kernel")

    feed((name, get, args, kwargs))
    return digest.hexdigest()


def write_call(call_dir: Path, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool = False) -> None:
    """Serialise the call's arguments into `call_dir` (created here). `get`: fetch, do not call."""
    call_dir.mkdir(parents=True)
    counter = [0]

    def enc(a: Any) -> Any:
        if isinstance(a, FunctionSpec):
            return {"__callable__": a.kind, "params": a.params}
        if isinstance(a, KerasModelSpec):
            return {"__keras_model__": a.json, "weights": [enc(np.asarray(w)) for w in a.weights]}
        if isinstance(a, (np.ndarray, np.generic)):
            counter[0] += 1
            fname = f"a{counter[0]}.npy"
            np.save(call_dir / fname, np.asarray(a), allow_pickle=False)
            return {"__ndarray__": fname}
        if isinstance(a, tuple):
            return {"__tuple__": [enc(x) for x in a]}
        if isinstance(a, list):
            return [enc(x) for x in a]
        if isinstance(a, dict):
            return {str(k): enc(v) for k, v in a.items()}
        if a is None or isinstance(a, (bool, int, float, str)):
            return a
        raise TypeError(f"cannot send {type(a).__name__} to a student kernel")

    spec = {"args": [enc(a) for a in args], "kwargs": {k: enc(v) for k, v in kwargs.items()}, "get": get}
    (call_dir / "call.json").write_text(json.dumps(spec))


_NPY_NAME = re.compile(r"^r\d{1,6}\.npy$")


def _decode_value(call_dir: Path, node: Any, depth: int = 0) -> tuple[Any, str]:
    if depth > 6 or not isinstance(node, dict):
        raise BridgeError("malformed result")
    if "__unsupported__" in node:
        raise BridgeError(f"returned an object of type {str(node['__unsupported__'])[:80]}, "
                          "which is not numeric data")
    type_name = str(node.get("type", "?"))[:120]
    if "json" in node:
        value = node["json"]
        if not (value is None or isinstance(value, (bool, int, float, str))):
            raise BridgeError("malformed result")
        return value, type_name
    if "__map__" in node:
        items = node["__map__"]
        if not isinstance(items, dict):
            raise BridgeError("malformed result")
        return {str(k): _decode_value(call_dir, x, depth + 1)[0] for k, x in items.items()}, type_name
    if "__seq__" in node:
        items = node["__seq__"]
        if not isinstance(items, list):
            raise BridgeError("malformed result")
        return [_decode_value(call_dir, x, depth + 1)[0] for x in items], type_name
    if "__ndarray__" in node:
        fname = str(node["__ndarray__"])
        if not _NPY_NAME.match(fname):
            raise BridgeError("malformed result")
        path = call_dir / fname
        if path.is_symlink() or not path.is_file():
            raise BridgeError("result file missing")
        if path.stat().st_size > MAX_RESULT_BYTES:
            raise BridgeError(f"returned more than {MAX_RESULT_BYTES // 1024**2} MB of data")
        try:
            arr = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise BridgeError(f"unreadable array: {exc}") from exc
        if type(arr) is not np.ndarray:
            raise BridgeError("malformed result")
        return arr, type_name
    raise BridgeError("malformed result")


def read_result(call_dir: Path) -> CallOutcome:
    path = call_dir / "result.json"
    if path.is_symlink() or not path.is_file():
        raise BridgeError("the call produced no result")
    if path.stat().st_size > MAX_RESULT_BYTES:
        raise BridgeError("result too large")
    try:
        raw = json.loads(path.read_text(), parse_constant=lambda c: {"NaN": math.nan,
                         "Infinity": math.inf, "-Infinity": -math.inf}[c])
    except (ValueError, UnicodeDecodeError) as exc:
        raise BridgeError(f"unreadable result: {exc}") from exc
    if not isinstance(raw, dict):
        raise BridgeError("malformed result")
    calls = raw.get("library_calls", [])
    calls = [str(c)[:60] for c in calls] if isinstance(calls, list) else []
    status = str(raw.get("status", ""))
    if status == "ok":
        value, type_name = _decode_value(call_dir, raw.get("value"))
        seconds = raw.get("seconds")
        seconds = float(seconds) if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else None
        return CallOutcome("ok", Returned(value, type_name, calls, seconds), library_calls=calls)
    if status in ("error", "unsupported"):
        return CallOutcome(status, error=str(raw.get("error", ""))[:400],
                           where=str(raw.get("where", ""))[:300], library_calls=calls)
    if status in ("missing", "not_callable"):
        return CallOutcome(status, error=str(raw.get("type", ""))[:80], library_calls=calls)
    raise BridgeError("malformed result")


def clear_call(call_dir: Path) -> None:
    shutil.rmtree(call_dir, ignore_errors=True)


def chown_for_kernel(call_dir: Path, uid: int, gid: int) -> None:
    os.chown(call_dir, uid, gid)
    for name in os.listdir(call_dir):
        os.chown(call_dir / name, uid, gid)
