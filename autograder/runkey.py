"""The run key: the secret a grading run draws its hidden cases from.

Without ``--seed``, ``autograder grade`` draws a fresh key of :data:`KEY_BITS`
random bits from the operating system (:mod:`secrets`), so nobody can find it by
trying keys, nor rebuild the hidden cases from a date or a small number. The key
is written beside the grades CSV (``grades.key`` for ``grades.csv``) readable
by its owner only (mode 0600); ``grade --key FILE`` reads it back for a regrade,
a late submission or the other shards of the run (the first run with a FILE that
does not exist yet creates it, once, so the tasks of a job array share one key).

What others may read names the key by its :attr:`RunKey.id`, a fingerprint
that does not reveal it: the CSV, the shard records, the terminal. A seed given
with ``--seed`` is a key too (for reproducible tests); a small one can be guessed.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

__all__ = ["KEY_BITS", "RunKey", "choose", "keep", "key_path"]

KEY_BITS = 128
"""Random bits of a generated key."""


@dataclass(frozen=True)
class RunKey:
    """A grading run's secret; ``repr`` shows only its id."""

    seed: int
    """The secret: the non-negative integer the hidden cases are drawn from."""

    def __post_init__(self):
        if type(self.seed) is not int or self.seed < 0:
            raise ValueError(f"a run key is a non-negative integer, got {type(self.seed)}")

    def __repr__(self) -> str:
        return f"RunKey(id={self.id!r})"

    @classmethod
    def generate(cls) -> "RunKey":
        """Return a fresh key of :data:`KEY_BITS` bits from the operating system's source."""
        return cls(secrets.randbits(KEY_BITS))

    @property
    def id(self) -> str:
        """16 hex digits that tell keys apart without revealing them (a SHA-256 prefix)."""
        return hashlib.sha256(f"autograder run key {self.seed}".encode()).hexdigest()[:16]

    def write(self, path: Path) -> None:
        """Write the key to ``path``, mode 0600, replacing any file there at once."""
        temporary = _write_private(path, self)
        os.replace(temporary, path)

    @classmethod
    def read(cls, path: Path) -> "RunKey":
        """Read a key that :meth:`write` wrote.

        Raises
        ------
        UsageError
            When ``path`` is missing or holds no key.
        """
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise UsageError(f"no such key file: {path}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"cannot read the key file {path}: {err}") from None
        if not (text.isascii() and text.isdigit() and len(text) < 100):
            raise UsageError(f"{path} is not a run key written by `autograder grade` "
                             "(expected one whole number)")
        return cls(int(text))

    @classmethod
    def shared(cls, path: Path) -> "RunKey":
        """Read the key at ``path``; where there is none, create it with a fresh key.

        Creation is atomic: of several runs that start at once with the same
        ``path`` (the tasks of a job array), one writes the key and all use it.
        """
        if path.exists():
            return cls.read(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _write_private(path, cls.generate())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
        return cls.read(path)


def _write_private(path: Path, key: RunKey) -> Path:
    """Write ``key`` to a new file beside ``path``, readable by its owner only; return it."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(f"{key.seed}\n")
    return temporary


def key_path(csv_path: Path) -> Path:
    """Where a run's key is kept: ``grades.key`` beside ``grades.csv``."""
    return csv_path.with_name(f"{csv_path.stem}.key")


def choose(*, seed: int | None = None, key: Path | None = None) -> RunKey:
    """Return a run's key: fixed, from a key file, or fresh.

    Parameters
    ----------
    seed : int, optional
        A fixed key, for reproducible tests (``--seed``).
    key : Path, optional
        A key file to use, created with a fresh key where there is none (``--key``).
        Without ``seed`` and ``key``, a fresh key.

    Raises
    ------
    UsageError
        When both ``seed`` and ``key`` are given, or ``key`` holds no key.
    """
    if seed is not None and key is not None:
        raise UsageError("give --seed or --key, not both")
    if key is not None:
        return RunKey.shared(key)
    return RunKey.generate() if seed is None else RunKey(seed)


def keep(key: RunKey, csv_path: Path) -> Path:
    """Write ``key`` beside the grades CSV (:func:`key_path`, mode 0600) and return that path."""
    target = key_path(csv_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    key.write(target)
    return target
