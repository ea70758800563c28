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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from convlab.registration import Registration
from convlab.runtime import kernel_side

MAX_RESULT_BYTES = 64 * 1024**2

# The kernel side of the bridge, sent to the kernel as source (convlab/runtime/kernel_side.py).
KERNEL_BOOTSTRAP = Path(kernel_side.__file__).read_text()


class WireArgument(Protocol):
    """An argument that is not plain data (a function described as data, a Keras model).

    `wire()` gives (kind, payload of plain data and arrays); the kernel rebuilds the argument with
    the decoder a kernel extension registered for `kind` (see `convlab.registration`).
    """

    def wire(self) -> tuple[str, Any]: ...


def _is_wire(a: Any) -> bool:
    # What isinstance(a, WireArgument) says, without a Protocol check's cost (thousands per submission).
    return callable(getattr(type(a), "wire", None))


class BridgeError(RuntimeError):
    """The kernel's answer is not well-formed plain data."""


class RecordedCalls(list[str]):
    """The library calls the kernel recorded while a student function ran, and the registration of
    the assignment: the kernel watched the names of its banned tables only, so a call of any other
    name was never recorded (`convlab.checking.banned` refuses to read such a table here)."""

    def __init__(self, calls: Iterable[str], registration: Registration) -> None:
        super().__init__(calls)
        self.registration = registration


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
    exc_type: str = ""  # the class name of what the function raised (status "error")
    exc_message: str = ""  # and its own message


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
        elif a is None or isinstance(a, (bool, int, float, str)):
            digest.update(f"{type(a).__name__}:{a!r};".encode())
        elif _is_wire(a):
            kind, payload = a.wire()
            digest.update(f"W{kind}:".encode())
            feed(payload)
        else:
            raise TypeError(f"cannot send {type(a).__name__} to a student kernel")

    feed((name, get, args, kwargs))
    return digest.hexdigest()


def write_call(call_dir: Path, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool = False) -> None:
    """Serialise the call's arguments into `call_dir` (created here). `get`: fetch, do not call."""
    call_dir.mkdir(parents=True)
    counter = [0]

    def enc(a: Any) -> Any:
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
        if _is_wire(a):
            kind, payload = a.wire()
            return {"__kind__": kind, "payload": enc(payload)}
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
                           where=str(raw.get("where", ""))[:300], library_calls=calls,
                           exc_type=str(raw.get("exc_type", ""))[:80],
                           exc_message=str(raw.get("exc_message", ""))[:300])
    if status in ("missing", "not_callable"):
        return CallOutcome(status, error=str(raw.get("type", ""))[:80], library_calls=calls)
    raise BridgeError("malformed result")


def clear_call(call_dir: Path) -> None:
    shutil.rmtree(call_dir, ignore_errors=True)


def chown_for_kernel(call_dir: Path, uid: int, gid: int) -> None:
    os.chown(call_dir, uid, gid)
    for name in os.listdir(call_dir):
        os.chown(call_dir / name, uid, gid)
