"""The code that runs inside the learner's kernel at grading time: call, encode, print.

This module is sent, as source text, into the learner's kernel after the
learner's cells have run. For each graded case it calls the learner's function
(or runs the case's short program) on inputs decoded from plain data, and prints
one record per case: a nonce, then the outcome as JSON (the value, or the name of
the exception raised, and the names of the warnings emitted).

A record is written with one ``write`` call, on a line of its own (a newline
before and after it), and what the learner's code prints while it is called goes
to a sink, not to the output: so a correct function that prints (``end=" "``,
progress dots) never splits or hides a record. Values are read from the data
itself: an array is viewed as a plain ndarray before its dtype, shape and numbers
are read, so a subclass that overrides ``dtype``, ``shape`` or ``tolist`` is not
believed; a subclass of ``float`` or ``int`` is read by the base type's method.

Nothing here decides a point. Everything in the learner's interpreter can be
replaced by the learner, this module included; what it prints is read by the
grader's own process with a strict decoder (:mod:`autograder.wire`) and
compared there with the reference, computed in the grader's process on inputs
drawn from a secret run key (:mod:`autograder.runkey`). A fake record can only
carry numbers, and numbers earn points only when they are right.

The grader also uses :func:`encode` on the reference's outputs and :func:`decode`
on the inputs, so both sides are encoded by the same code. It imports only the
standard library and NumPy.
"""

import contextlib
import io
import json
import math
import sys
import warnings

import numpy as np

__all__ = ["DTYPES", "Rng", "decode", "encode", "outcome", "record", "run", "stand_ins"]

MAX_ITEMS = 100_000
"""At most this many numbers per encoded value (a learner's huge output is cut)."""
DTYPES = frozenset({"float16", "float32", "float64", "int8", "int16", "int32", "int64",
                    "uint8", "uint16", "uint32", "uint64", "bool"})
"""The dtypes an encoded array or NumPy scalar may have; others are encoded as objects."""


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


def _plain(array: np.ndarray) -> np.ndarray:
    """Return the array's own data as a plain ndarray, whatever its class says of itself."""
    return np.ndarray.view(array, np.ndarray)


def _array(array: np.ndarray):
    """Encode a plain ndarray: its real dtype, shape and (at most MAX_ITEMS) numbers."""
    data = array.ravel()[:MAX_ITEMS].tolist()
    if array.dtype.kind == "f":
        data = [_float(x) for x in data]
    return {"$array": {"dtype": array.dtype.name, "shape": list(array.shape), "data": data}}


def encode(value):
    """Turn a value into JSON-ready plain data.

    Arrays become ``{"$array": {"dtype", "shape", "data"}}`` (``data`` flat,
    row-major), NumPy scalars ``{"$scalar": {"dtype", "value"}}``, tuples
    ``{"$tuple": [...]}``, iterators a list of their items, other objects
    ``{"$object": type name}`` (arrays of other dtypes too). Non-finite floats are
    tagged ``{"$float": "nan"}``. Dtypes, shapes and numbers are read from the data,
    never from attributes a subclass may override.
    """
    if isinstance(value, Rng):
        return {"$rng": value.seed}
    if value is None or isinstance(value, str) and len(value) <= 1000:
        return None if value is None else str.__str__(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray | np.generic):
        array = _plain(np.asarray(value))
        if array.dtype.name not in DTYPES:
            kind = "an array" if isinstance(value, np.ndarray) else "a NumPy scalar"
            return {"$object": f"{kind} of dtype {array.dtype.name}"}
        if isinstance(value, np.ndarray):
            return _array(array)
        return {"$scalar": {"dtype": array.dtype.name, "value": encode(array.item())}}
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return _float(float.__float__(value))
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


class _Sink(io.StringIO):
    """Where the learner's prints go while a case runs: counted by nobody, kept nowhere."""

    def write(self, text):
        return len(text)


def outcome(case, namespace):
    """Call one case and describe what happened as plain data (what it prints is dropped)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = (dict(over="raise", divide="raise", invalid="raise", under="ignore")
                    if case.get("strict_fp") else {})
        try:
            with np.errstate(**settings), contextlib.redirect_stdout(_Sink()):
                result = {"value": encode(_call(case, namespace))}
        except Exception as err:  # the learner's code may raise anything
            result = _raised(err, case.get("call"))
    result["warnings"] = sorted({w.category.__name__ for w in caught})
    return result


def _raised(err, call):
    """Describe an exception: its class name and (at most 300 characters of) its message."""
    args = err.args if type(err.args) is tuple else ()
    if type(err) is KeyError and len(args) == 1 and type(args[0]) is str and args[0] == call:
        return {"raised": "NameError", "message": f"{call} is not defined"}
    try:
        message = str.__str__(str(err))[:300]
    except Exception:  # a message that cannot be read is no message
        message = ""
    return {"raised": type(err).__name__, "message": message}


def record(nonce, case_id, result):
    """Return the record of one outcome: ``<nonce> <json>`` on a line of its own."""
    return f"\n{nonce} {json.dumps({'id': case_id, **result}, allow_nan=False)}\n"


def run(nonce, cases_json, namespace):
    """Run every case and write its :func:`record` to stdout, each in one ``write`` call."""
    for case in json.loads(cases_json):
        text = record(nonce, case["id"], outcome(case, namespace))
        sys.stdout.write(text)
        sys.stdout.flush()
