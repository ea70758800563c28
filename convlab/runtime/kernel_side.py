"""The kernel side of the bridge: these functions run inside the student's kernel.

The grading process sends this file's source to the kernel after the notebook's cells (see
`convlab.runtime.student`), so it must import nothing of the course, and it defines only names that start
with `_convlab`/`__convlab`. It is public on purpose: knowing it gives a student nothing, because
expected values never enter the kernel. As a real module it is linted and tested like the rest.

`_convlab_make_callable` also runs in the grading process, so both sides evaluate exactly the same
callable arguments.
"""

# ruff: noqa: N807 - dunder-style names keep the helpers out of the student's way in the kernel


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


def __convlab_call__(name, call_dir, batch=False):
    import json as _json
    import os as _os
    import sys as _sys
    import traceback as _tb

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
        fname = f"r{counter[0]}.npy"
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
    fn = get_ipython().user_ns.get(head)  # noqa: F821 - a builtin inside IPython
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
            result = {"status": "unsupported", "error": f"{type(exc).__name__}: {exc}"}
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
                where = "in {}, line {}: {}".format(last.name, last.lineno, (last.line or "").strip())
            result = {"status": "error", "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                      "where": where[:300]}
        else:
            _sys.setprofile(None)
            try:
                result = {"status": "ok", "value": encode(value)}
            except Exception as exc:
                result = {"status": "unsupported", "error": f"{type(exc).__name__}: {exc}"}
    result["library_calls"] = sorted(seen)
    result["seconds"] = seconds
    tmp = _os.path.join(call_dir, "result.json.tmp")
    with open(tmp, "w") as fh:
        _json.dump(result, fh)
    _os.replace(tmp, _os.path.join(call_dir, "result.json"))
