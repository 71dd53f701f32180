"""Reading what the learner's kernel printed: a strict decoder for plain data.

The kernel writes one record per graded case, ``<nonce> <json>`` on a line of
its own (see :mod:`autograder.harness`), among whatever else the learner's code
printed. Here the grader's own process reads those records: JSON only (never
pickle, never ``eval``), no NaN/Infinity literals, a closed set of tags, arrays
whose data match their shape and dtype, and a size limit. A record that breaks
any rule is dropped and its case counts as not answered.
"""

import json
import math

from autograder.harness import DTYPES

__all__ = ["MalformedOutcome", "parse_outcomes", "validate"]

_MAX_LINE = 8_000_000
_MAX_DEPTH = 20


class MalformedOutcome(ValueError):
    """A line from the kernel that is not well-formed plain data."""


def _reject_constant(name):
    raise MalformedOutcome(f"non-standard JSON constant {name}")


def _number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _check_array(body) -> None:
    if not (isinstance(body, dict) and set(body) == {"dtype", "shape", "data"}):
        raise MalformedOutcome("an array needs exactly dtype, shape and data")
    dtype, shape, data = body["dtype"], body["shape"], body["data"]
    if not (isinstance(dtype, str) and dtype in DTYPES):
        raise MalformedOutcome(f"unsupported dtype {dtype!r}")
    if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
        raise MalformedOutcome("an array's shape must be a list of sizes")
    if not isinstance(data, list) or len(data) != math.prod(shape):
        raise MalformedOutcome("an array's data do not match its shape")
    if dtype == "bool":
        fits = all(isinstance(x, bool) for x in data)
    elif dtype.startswith(("int", "uint")):
        fits = all(type(x) is int for x in data)
    else:
        fits = all(_number(x) or _is_tagged_float(x) for x in data)
    if not fits:
        raise MalformedOutcome(f"an array of {dtype} holds something other than {dtype} numbers")


def _is_tagged_float(x) -> bool:
    return (isinstance(x, dict) and set(x) == {"$float"}
            and x["$float"] in ("nan", "inf", "-inf"))


def validate(data, depth: int = 0) -> None:
    """Raise :class:`MalformedOutcome` unless ``data`` is plain data as the harness encodes it."""
    if depth > _MAX_DEPTH:
        raise MalformedOutcome("nested too deeply")
    if data is None or isinstance(data, bool | str) or _number(data):
        return
    if isinstance(data, list):
        for item in data:
            validate(item, depth + 1)
        return
    if not (isinstance(data, dict) and len(data) == 1):
        raise MalformedOutcome("an object must have exactly one tag")
    (tag, body), = data.items()
    if tag == "$array":
        _check_array(body)
    elif tag == "$float":
        if not _is_tagged_float(data):
            raise MalformedOutcome(f"bad float tag {body!r}")
    elif tag == "$scalar":
        if not (isinstance(body, dict) and set(body) == {"dtype", "value"}
                and isinstance(body["dtype"], str) and body["dtype"] in DTYPES):
            raise MalformedOutcome("bad scalar")
        validate(body["value"], depth + 1)
    elif tag == "$tuple":
        if not isinstance(body, list):
            raise MalformedOutcome("bad tuple")
        validate(body, depth + 1)
    elif tag == "$dict":
        if not (isinstance(body, list) and all(isinstance(p, list) and len(p) == 2 for p in body)):
            raise MalformedOutcome("bad dict")
        validate(body, depth + 1)
    elif tag == "$object":
        if not isinstance(body, str):
            raise MalformedOutcome("bad object tag")
    else:
        raise MalformedOutcome(f"unknown tag {tag!r}")


def _outcome(line: str) -> tuple[str, dict]:
    """Decode one ``<json>`` outcome into (case id, outcome)."""
    if len(line) > _MAX_LINE:
        raise MalformedOutcome("line too long")
    record = json.loads(line, parse_constant=_reject_constant)
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise MalformedOutcome("an outcome needs a case id")
    warnings = record.get("warnings", [])
    if not (isinstance(warnings, list) and all(isinstance(w, str) for w in warnings)):
        raise MalformedOutcome("warnings must be a list of names")
    if set(record) == {"id", "value", "warnings"}:
        validate(record["value"])
        return record["id"], {"value": record["value"], "warnings": warnings}
    if set(record) == {"id", "raised", "message", "warnings"}:
        if not (isinstance(record["raised"], str) and isinstance(record["message"], str)):
            raise MalformedOutcome("an exception needs a name and a message")
        return record["id"], {"raised": record["raised"][:100],
                              "message": record["message"][:300], "warnings": warnings}
    raise MalformedOutcome(f"unexpected fields {sorted(record)}")


def parse_outcomes(text: str, nonce: str, expected_ids) -> dict[str, dict]:
    """Collect the outcome of each expected case from the kernel's printed text.

    Parameters
    ----------
    text : str
        Everything the harness cells printed on stdout, the learner's text included.
    nonce : str
        The per-run marker that starts each record, at the start of a line.
    expected_ids : collection of str
        The case ids that were sent.

    Returns
    -------
    outcomes : dict
        Case id -> outcome, for every id that came back exactly once and well-formed.
        A case printed twice is dropped (the learner's code printed over the harness).
    """
    seen: dict[str, list[dict]] = {}
    prefix = nonce + " "
    for line in text.splitlines():
        if not line.startswith(prefix):
            continue
        try:
            case_id, outcome = _outcome(line[len(prefix):])
        except (MalformedOutcome, json.JSONDecodeError, RecursionError):
            continue
        if case_id in expected_ids:
            seen.setdefault(case_id, []).append(outcome)
    return {case_id: found[0] for case_id, found in seen.items() if len(found) == 1}
