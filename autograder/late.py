"""Late work: when each submission came in, how late it was, and what that costs.

A submission's time is read from nbgrader's ``timestamp.txt`` in its folder
(what ``nbgrader collect`` and the exchange write), or, without one, from the
newest modification time of the files in its folder. The due dates and the
policy come from a TOML file (``--late-policy``)::

    [late]
    penalty_per_day = 10   # percent of the assignment's points, per started day late
    cap = 50               # percent at most
    grace_minutes = 15     # lateness forgiven

    [due]
    ch01_regression = 2026-10-05T23:59:00+09:00

and ``--due ASSIGNMENT=WHEN`` adds or overrides a due date. Times need their
UTC offset (a due date without one is refused; a ``timestamp.txt`` without one
is read as UTC, as nbgrader writes it). The penalty is at most the points
earned: the total never goes below 0 and is never made up where nothing was
graded.
"""

import math
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nbgrader.utils import parse_utc

from autograder.errors import UsageError
from autograder.grading import GradeRecord

__all__ = ["LatePolicy", "parse_due", "read_policy", "submitted_at"]


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None:
        raise UsageError(f"{what} has no UTC offset: write it as 2026-10-05T23:59:00+09:00")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class LatePolicy:
    """Due dates and the penalty for late work."""

    due: dict[str, datetime] = field(default_factory=dict)
    """Each assignment's due date (UTC); an assignment without one is never late."""
    per_day: float = 0.0
    """Share of the assignment's points lost per started day late, after the grace."""
    cap: float = 1.0
    """The largest share lost."""
    grace: timedelta = timedelta()

    def apply(self, record: GradeRecord, folder: Path) -> GradeRecord:
        """Return ``record`` with its time, lateness and penalty; its score less the penalty."""
        due = self.due.get(record.assignment)
        when, note = submitted_at(folder)
        late = max(when - due, timedelta()) if due is not None else timedelta()
        days = math.ceil((late - self.grace) / timedelta(days=1)) if late > self.grace else 0
        penalty = None
        score = record.score
        if score is not None and record.max_score is not None:
            penalty = min(min(self.per_day * days, self.cap) * record.max_score, score)
            score = score - penalty
        status = record.status if not note else (
            note if record.status == "ok" else f"{record.status}; {note}")
        return replace(record, score=score, status=status,
                       submitted=when.isoformat(timespec="seconds"),
                       late_hours=round(late / timedelta(hours=1), 2), penalty=penalty)


def parse_due(text: str) -> tuple[str, datetime]:
    """Read ``ASSIGNMENT=WHEN`` (``--due``), WHEN an ISO 8601 time with its offset."""
    name, sep, when = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--due expects ASSIGNMENT=WHEN, e.g. "
                         f"ch01_regression=2026-10-05T23:59:00+09:00; got {text!r}")
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        raise UsageError(f"--due {text!r}: {when!r} is not an ISO 8601 time") from None
    return name, _aware(moment, f"--due {text}")


def read_policy(path: Path | None, dues: list[str] = ()) -> LatePolicy:
    """Read the policy file at ``path`` (may be None), then the ``--due`` overrides."""
    data = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"no such late policy file: {path}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise UsageError(f"{path} is not a TOML late policy: {err}") from None
    late, due = data.get("late", {}), data.get("due", {})
    unknown = set(late) - {"penalty_per_day", "cap", "grace_minutes"}
    if unknown:
        raise UsageError(f"{path}: unknown [late] setting {', '.join(sorted(unknown))} "
                         "(expected penalty_per_day, cap, grace_minutes)")
    dates = {}
    for name, when in due.items():
        if not isinstance(when, datetime):
            raise UsageError(f"{path}: the due date of {name} is not a TOML date-time")
        dates[name] = _aware(when, f"{path}: the due date of {name}")
    dates.update(parse_due(text) for text in dues)
    try:
        per_day, cap = (float(late.get(key, default)) / 100
                        for key, default in (("penalty_per_day", 0), ("cap", 100)))
        grace = timedelta(minutes=float(late.get("grace_minutes", 0)))
    except (TypeError, ValueError) as err:
        raise UsageError(f"{path}: a [late] setting is not a number: {err}") from None
    if not (0 <= per_day and 0 <= cap <= 1 and grace >= timedelta()):
        raise UsageError(f"{path}: expected penalty_per_day >= 0, 0 <= cap <= 100 and "
                         "grace_minutes >= 0")
    return LatePolicy(dates, per_day, cap, grace)


def submitted_at(folder: Path) -> tuple[datetime, str]:
    """Return when the submission in ``folder`` came in (UTC), and a note when in doubt.

    ``timestamp.txt`` first; else the newest modification time of the folder's
    regular files (with a note for the status when a ``timestamp.txt`` is there
    but cannot be read).
    """
    stamp = folder / "timestamp.txt"
    try:
        if stamp.is_symlink():
            raise OSError("a symbolic link, refused")
        text = stamp.read_text(encoding="utf-8").strip()
        return parse_utc(text).replace(tzinfo=UTC), ""  # nbgrader's reading: naive UTC
    except FileNotFoundError:
        note = ""  # the documented fallback: nothing to remark
    except (OSError, ValueError, OverflowError, TypeError) as err:
        note = f"timestamp.txt unreadable ({err}): time from the files' times"
    times = [p.lstat().st_mtime for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
    moment = datetime.fromtimestamp(max(times, default=folder.lstat().st_mtime), UTC)
    return moment.replace(microsecond=0), note
