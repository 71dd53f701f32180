"""The code that runs inside the learner's kernel at grading time: call, encode, print.

This module is sent, as source text, into the learner's kernel after the
learner's cells have run. For each graded case it calls the learner's function
(or runs the case's short program) on inputs decoded from plain data, and prints
one line per case: a nonce, then the outcome as JSON (the value, or the name of
the exception raised, and the names of the warnings emitted).

Nothing here decides a point. Everything in the learner's interpreter can be
replaced by the learner, this module included; what it prints is read by the
grader's own process with a strict decoder (:mod:`autograder.wire`) and
compared there with the reference, computed in the grader's process on inputs
drawn from a seed the learner never sees. A fake line can only carry numbers,
and numbers earn points only when they are right.

The grader also uses :func:`encode` on the reference's outputs and :func:`decode`
on the inputs, so both sides are encoded by the same code. It imports only the
standard library and NumPy.
"""

import contextlib
import json
import math
import warnings

import numpy as np

__all__ = ["Rng", "decode", "encode", "outcome", "run", "stand_ins"]

MAX_ITEMS = 100_000
"""At most this many numbers per encoded value (a learner's huge output is cut)."""


class Rng:
    """A random-number generator argument: each side of a case gets ``default_rng(seed)``."""

    def __init__(self, seed):
        self.seed = int(seed)

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


def _float(value):
    """Return a JSON-safe float: finite floats as numbers, others tagged."""
    value = float(value)
    return value if math.isfinite(value) else {"$float": repr(value)}


def encode(value):
    """Turn a value into JSON-ready plain data.

    Arrays become ``{"$array": {"dtype", "shape", "data"}}`` (``data`` flat,
    row-major), NumPy scalars ``{"$scalar": {"dtype", "value"}}``, tuples
    ``{"$tuple": [...]}``, iterators a list of their items, other objects
    ``{"$object": type name}``. Non-finite floats are tagged ``{"$float": "nan"}``.
    """
    if isinstance(value, Rng):
        return {"$rng": value.seed}
    if value is None or isinstance(value, str) and len(value) <= 1000:
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        flat = np.asarray(value).ravel()[:MAX_ITEMS]
        if value.dtype.kind == "b":
            data = [bool(x) for x in flat]
        elif value.dtype.kind in "iu":
            data = [int(x) for x in flat]
        else:
            data = [_float(x) for x in flat]
        return {"$array": {"dtype": str(value.dtype), "shape": list(value.shape), "data": data}}
    if isinstance(value, np.generic):
        return {"$scalar": {"dtype": str(value.dtype), "value": encode(value.item())}}
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value[:MAX_ITEMS]]}
    if isinstance(value, list):
        return [encode(item) for item in value[:MAX_ITEMS]]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in list(value.items())[:MAX_ITEMS]]}
    if hasattr(value, "__next__"):
        items = []
        for item in value:
            items.append(encode(item))
            if len(items) >= MAX_ITEMS:
                break
        return items
    return {"$object": type(value).__name__}


def decode(data):
    """Inverse of :func:`encode` for inputs; ``{"$rng": seed}`` becomes a fresh Generator."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    (tag, body), = data.items()
    if tag == "$array":
        flat = [decode(x) for x in body["data"]]
        return np.array(flat, dtype=body["dtype"]).reshape(body["shape"])
    if tag == "$scalar":
        return np.dtype(body["dtype"]).type(decode(body["value"]))
    if tag == "$float":
        return float(body)
    if tag == "$tuple":
        return tuple(decode(item) for item in body)
    if tag == "$dict":
        return {decode(k): decode(v) for k, v in body}
    if tag == "$rng":
        return np.random.default_rng(body)
    raise ValueError(f"unknown tag {tag!r}")


@contextlib.contextmanager
def stand_ins(function, **replacements):
    """Temporarily rebind names in ``function``'s module globals (to test how it composes)."""
    namespace = function.__globals__
    saved = {name: namespace[name] for name in replacements if name in namespace}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name in replacements:
            namespace.pop(name, None)
        namespace.update(saved)


def _call(case, namespace):
    """Run one case against ``namespace``; return the value (exceptions propagate)."""
    args = [decode(a) for a in case.get("args", [])]
    kwargs = {k: decode(v) for k, v in case.get("kwargs", {}).items()}
    if case.get("program"):
        scope = dict(namespace)
        scope.update({"stand_ins": stand_ins, "np": np})
        scope.update(kwargs)
        exec(case["program"], scope)  # the case's own short program, from the manifest
        return scope.get("result")
    return namespace[case["call"]](*args, **kwargs)


def outcome(case, namespace):
    """Call one case and describe what happened as plain data."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = (dict(over="raise", divide="raise", invalid="raise", under="ignore")
                    if case.get("strict_fp") else {})
        try:
            with np.errstate(**settings):
                result = {"value": encode(_call(case, namespace))}
        except KeyError as err:
            if case.get("call") and err.args == (case["call"],):
                result = {"raised": "NameError", "message": f"{case['call']} is not defined"}
            else:
                result = {"raised": "KeyError", "message": str(err)[:300]}
        except Exception as err:  # the learner's code may raise anything
            result = {"raised": type(err).__name__, "message": str(err)[:300]}
    result["warnings"] = sorted({w.category.__name__ for w in caught})
    return result


def run(nonce, cases_json, namespace):
    """Run every case and print ``nonce id json`` per case."""
    for case in json.loads(cases_json):
        line = json.dumps({"id": case["id"], **outcome(case, namespace)}, allow_nan=False)
        print(nonce, line, flush=True)
