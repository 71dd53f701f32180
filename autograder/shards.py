"""What each shard of a grading run records beside its CSV, so that ``merge`` misses none.

``autograder grade --shard K/N --out DIR/grades.csv`` writes, after the CSV,
``DIR/grades.shard.json``: which share it graded (K of N), the run key's id (never
the key, :mod:`autograder.runkey`), how many
submissions it graded, how many the whole folder held and a digest of their
names. ``merge`` reads these records and refuses files that are not all N
shards of one run over one unchanged folder, naming what is missing. The
CSV itself is not changed, so the merged CSV stays byte-identical to an
unsharded run's.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.grading import Shard, Submission
from autograder.runkey import RunKey

__all__ = ["ShardRecord", "check_one_run", "read_shard_record", "shard_record_path",
           "write_shard_record"]


@dataclass(frozen=True)
class ShardRecord:
    """One shard's account of itself: the file ``<csv stem>.shard.json``."""

    index: int
    """K: the share this shard graded (1-based)."""
    count: int
    """N: how many shards the run has."""
    key: str
    """The id of the run key the shard drew its hidden cases from (:attr:`RunKey.id`)."""
    submissions: int
    """How many submissions this shard graded (rows of its CSV)."""
    total: int
    """How many submissions the whole folder held (rows of the merged CSV)."""
    folder: str
    """SHA-256 of the folder's ``student_id/assignment`` names, one a line, in grading order."""

    @classmethod
    def describe(cls, shard: Shard, seed: int, graded: int,
                 everything: Sequence[Submission]) -> "ShardRecord":
        """Describe ``shard`` of a run over ``everything`` that graded ``graded`` of them.

        ``seed`` is the run key's secret; only its id is kept.
        """
        names = "\n".join(f"{s.student_id}/{s.assignment}" for s in everything)
        return cls(shard.index, shard.count, RunKey(seed).id, graded, len(everything),
                   hashlib.sha256(names.encode("utf-8")).hexdigest())


def shard_record_path(csv_path: Path) -> Path:
    """Where the shard record of the grades CSV ``csv_path`` lies: ``grades.shard.json``."""
    return csv_path.with_name(f"{csv_path.stem}.shard.json")


def write_shard_record(record: ShardRecord, csv_path: Path) -> None:
    """Write ``record`` beside ``csv_path`` (after the CSV: its presence means the CSV is whole)."""
    text = json.dumps(asdict(record), indent=2) + "\n"
    shard_record_path(csv_path).write_text(text, encoding="utf-8")


def read_shard_record(csv_path: Path) -> ShardRecord:
    """Read the shard record beside ``csv_path``.

    Raises
    ------
    UsageError
        When there is none (a CSV not written by ``grade --shard``, or a shard
        that stopped before it finished) or it is not a shard record.
    """
    path = shard_record_path(csv_path)
    if not path.is_file():
        raise UsageError(f"{csv_path} has no {path.name} beside it: merge joins only the CSVs "
                         "that `autograder grade --shard K/N` wrote completely (an unsharded "
                         "run's CSV needs no merge)")
    try:
        return ShardRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        raise UsageError(f"{path} is not a shard record written by `autograder grade`") from None


def _numbers(indices: Sequence[int]) -> str:
    return ", ".join(str(k) for k in sorted(indices))


def check_one_run(records: Sequence[tuple[Path, ShardRecord]]) -> ShardRecord:
    """Check that ``records`` (CSV, its record) are the N shards of one run, each once.

    Returns
    -------
    record : ShardRecord
        The first record: N and the folder's total are those of every shard.

    Raises
    ------
    UsageError
        When the records disagree on N or on the submissions folder, give a
        shard twice, or lack one (the message names the missing numbers).
    """
    first = records[0][1]
    splits = {f"{path} is {r.index}/{r.count}" for path, r in records}
    if len({r.count for _, r in records}) > 1:
        raise UsageError(f"the files are shards of different splits ({'; '.join(sorted(splits))})")
    if len({(r.total, r.folder) for _, r in records}) > 1:
        raise UsageError("the shards saw different submissions folders (the folder changed "
                         "between them?): grade every shard of a run from one unchanged folder")
    given: dict[int, list[Path]] = {}
    for path, r in records:
        given.setdefault(r.index, []).append(path)
    for index, paths in given.items():
        if len(paths) > 1:
            raise UsageError(f"shard {index}/{first.count} given twice: "
                             f"{', '.join(map(str, paths))}")
    missing = set(range(1, first.count + 1)) - set(given)
    if missing:
        raise UsageError(f"missing shard{'s' * (len(missing) > 1)} {_numbers(missing)} of "
                         f"{first.count} (given: {_numbers(given)}): grade the missing ones with "
                         f"the run's --key FILE and --shard K/{first.count}, then merge all "
                         f"{first.count}")
    return first
