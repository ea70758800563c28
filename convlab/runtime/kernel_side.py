"""The kernel side of the bridge: these functions run inside the student's kernel.

The grading process sends this file's source to the kernel after the notebook's cells (see
`convlab.runtime.student`), so it must import nothing of the course, and it defines only names that start
with `_convlab`/`__convlab`. It is public on purpose: knowing it gives a student nothing, because
expected values never enter the kernel. As a real module it is linted and tested like the rest.

It knows plain data only (numbers, strings, arrays, lists, tuples, dicts). What else an assignment
sends or receives (a function described as data, a Keras model) comes from the kernel extensions
the assignment registers (`convlab.registration`): `_convlab_install` loads one and files its
decoders (wire kind -> argument) and describers (value -> dict of plain data, or None). Which
libraries to watch while a student function runs is registered the same way (`_convlab_watch`).
"""

# ruff: noqa: N807 - dunder-style names keep the helpers out of the student's way in the kernel

_convlab_registry = {"decoders": {}, "describers": [], "watch": frozenset()}


def _convlab_install(name, source, decoders, describers):
    """Load an extension's source as module `_convlab_ext_<name>` and register its functions."""
    import sys as _sys
    import types as _types
    module = _types.ModuleType("_convlab_ext_" + name.replace(".", "_"))
    _sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, module.__name__, "exec"), module.__dict__)  # noqa: S102 - the grader's own code
    for kind, function in decoders.items():
        _convlab_registry["decoders"][kind] = getattr(module, function)
    _convlab_registry["describers"].extend(getattr(module, function) for function in describers)


def _convlab_watch(words):
    """Record calls into libraries whose module path or function name holds one of `words`."""
    _convlab_registry["watch"] = frozenset(words)


def _convlab_decode(node, call_dir):
    """An argument as the grading process wrote it (`convlab.runtime.bridge.write_call`)."""
    import os as _os

    import numpy as _np
    if isinstance(node, list):
        return [_convlab_decode(x, call_dir) for x in node]
    if not isinstance(node, dict):
        return node
    if "__ndarray__" in node:
        return _np.load(_os.path.join(call_dir, node["__ndarray__"]), allow_pickle=False)
    if "__tuple__" in node:
        return tuple(_convlab_decode(x, call_dir) for x in node["__tuple__"])
    if "__kind__" in node:
        return _convlab_registry["decoders"][node["__kind__"]](_convlab_decode(node["payload"], call_dir))
    return {k: _convlab_decode(v, call_dir) for k, v in node.items()}


def _convlab_qualname(value):
    kind = type(value)
    return (kind.__module__ + "." + kind.__qualname__).replace("builtins.", "")


def _convlab_encode(value, call_dir, counter, depth=0):
    """A returned value as plain data: JSON for scalars, `.npy` files for arrays."""
    import os as _os

    import numpy as _np
    if depth > 4:
        return {"__unsupported__": _convlab_qualname(value)}
    if value is None:
        return {"json": None, "type": "NoneType"}
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return {"json": base(value), "type": _convlab_qualname(value)}
    if isinstance(value, (list, tuple)):
        return {"__seq__": [_convlab_encode(x, call_dir, counter, depth + 1) for x in value[:10000]],
                "type": _convlab_qualname(value)}
    if isinstance(value, dict):
        items = list(value.items())[:10000]
        return {"__map__": {str(k)[:200]: _convlab_encode(x, call_dir, counter, depth + 1) for k, x in items},
                "type": _convlab_qualname(value)}
    for describe in _convlab_registry["describers"]:
        summary = describe(value)
        if summary is not None:
            return {"__map__": {k: _convlab_encode(x, call_dir, counter, depth + 1) for k, x in summary.items()},
                    "type": _convlab_qualname(value)}
    try:
        arr = _np.asarray(value)
    except Exception:
        return {"__unsupported__": _convlab_qualname(value)}
    if arr.dtype.hasobject or arr.dtype.kind not in "biufcSU":
        return {"__unsupported__": _convlab_qualname(value)}
    counter[0] += 1
    fname = f"r{counter[0]}.npy"
    _np.save(_os.path.join(call_dir, fname), _np.array(arr), allow_pickle=False)
    return {"__ndarray__": fname, "type": _convlab_qualname(value), "dtype": str(arr.dtype)}


def _convlab_watcher(seen):
    """A profile function adding to `seen` the watched library calls made while it is installed.

    A call is watched when a part of its module's path is a watched word (recorded up to that
    part: "scipy.signal", "tensorflow") or its function's name is one ("numpy.convolve"). The
    student's own code (`__main__`) is never recorded. Verdicts are cached per module: the
    profile function runs on every call the student's code makes.
    """
    watch = _convlab_registry["watch"]
    prefixes = {"__main__": None}

    def prefix_of(module):
        try:
            return prefixes[module]
        except KeyError:
            pass
        except TypeError:  # a module whose `__name__` the student replaced by something odd
            return None
        parts = str(module).split(".")
        hit = next((i for i, part in enumerate(parts) if part in watch), None)
        prefixes[module] = None if hit is None else ".".join(parts[:hit + 1])
        return prefixes[module]

    def profile(frame, event, arg):
        if event == "call":
            module, function = frame.f_globals.get("__name__") or "", frame.f_code.co_name
        elif event == "c_call":
            module, function = getattr(arg, "__module__", None) or "", getattr(arg, "__name__", "")
        else:
            return
        prefix = prefix_of(module)
        if prefix is not None:
            seen.add(prefix)
        elif function in watch and module != "__main__":
            seen.add(str(module).split(".")[0] + "." + str(function))

    return profile if watch else None


def _convlab_run(fn, spec, call_dir, counter, batch):
    """Call the student's `fn` as `spec` says: (result without library calls, calls recorded)."""
    import sys as _sys
    import time as _time
    import traceback as _tb
    seen = set()
    args = _convlab_decode(spec["args"], call_dir)
    kwargs = _convlab_decode(spec["kwargs"], call_dir)
    _sys.setprofile(_convlab_watcher(seen))
    try:
        start = _time.perf_counter()
        value = fn(*args, **kwargs)
        seconds = _time.perf_counter() - start
    except BaseException as exc:  # the student's SystemExit and KeyboardInterrupt too
        _sys.setprofile(None)
        if batch and isinstance(exc, KeyboardInterrupt):
            raise  # possibly the grader's interrupt: stop the batch; this call is retried alone
        frames = _tb.extract_tb(exc.__traceback__)[1:]  # from the student's function on
        where = ""
        if frames:
            last = frames[-1]
            where = "in {}, line {}: {}".format(last.name, last.lineno, (last.line or "").strip())
        return {"status": "error", "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                "exc_type": type(exc).__name__, "exc_message": str(exc)[:300], "where": where[:300], "seconds": None}, seen
    _sys.setprofile(None)
    try:
        return {"status": "ok", "value": _convlab_encode(value, call_dir, counter), "seconds": seconds}, seen
    except Exception as exc:
        return {"status": "unsupported", "error": f"{type(exc).__name__}: {exc}", "seconds": seconds}, seen


def _convlab_lookup(name):
    """The student's object called `name` ("f" or "obj.attr"), or None."""
    head, *attrs = name.split(".")
    found = get_ipython().user_ns.get(head)  # noqa: F821 - a builtin inside IPython
    try:
        for attr in attrs:
            found = getattr(found, attr) if found is not None else None
    except Exception:
        return None
    return found


def __convlab_call__(name, call_dir, batch=False):
    """Answer one call request: read `call.json` in `call_dir`, write `result.json` there."""
    import json as _json
    import os as _os
    with open(_os.path.join(call_dir, "call.json")) as fh:
        spec = _json.load(fh)
    fn = _convlab_lookup(name)
    seen = set()
    counter = [0]
    if fn is None:
        result = {"status": "missing"}
    elif spec.get("get"):
        try:
            result = {"status": "ok", "value": _convlab_encode(fn, call_dir, counter)}
        except Exception as exc:
            result = {"status": "unsupported", "error": f"{type(exc).__name__}: {exc}"}
    elif not callable(fn):
        result = {"status": "not_callable", "type": _convlab_qualname(fn)}
    else:
        result, seen = _convlab_run(fn, spec, call_dir, counter, batch)
    result["library_calls"] = sorted(seen)
    result.setdefault("seconds", None)
    tmp = _os.path.join(call_dir, "result.json.tmp")
    with open(tmp, "w") as fh:
        _json.dump(result, fh)
    _os.replace(tmp, _os.path.join(call_dir, "result.json"))


def __convlab_call_many__(jobs, budget):
    """Run several calls in one request; a `started` file marks the call running when stopped.

    No call starts after `budget` seconds: the rest wait for the next request, so that only a
    call that is slow by itself ever meets the request's time limit.
    """
    import os as _os
    import time as _time
    begin = _time.monotonic()
    for name, call_dir in jobs:
        if _time.monotonic() - begin > budget:
            return
        open(_os.path.join(call_dir, "started"), "w").close()
        __convlab_call__(name, call_dir, batch=True)
