"""Scores into nbgrader's gradebook, so formgrader and ``nbgrader export`` show them."""

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import nbgrader
from alembic.script import ScriptDirectory
from nbgrader.api import Base, Gradebook
from sqlalchemy import create_engine, text

from autograder.escape import escape
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.quiet import quiet

__all__ = ["GradebookWriter", "write_gradebook"]


def _create(path: Path) -> None:
    """Create an empty gradebook stamped with nbgrader's schema version.

    This is what ``Gradebook`` does for a new file, except that the version is
    read in this process instead of by running the ``alembic`` command (which
    costs seconds).
    """
    head = ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(bind=engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                           {"head": head})
    engine.dispose()


def _timestamp(record: GradeRecord) -> dict[str, datetime]:
    """Return the submission's time as nbgrader keeps it (naive UTC), if the run read one."""
    if not record.submitted:
        return {}
    moment = datetime.fromisoformat(record.submitted).astimezone(UTC)
    return {"timestamp": moment.replace(tzinfo=None)}


class GradebookWriter:
    """The SQLite gradebook at ``path``, written one record at a time.

    Each part is a grade cell ``test_<part>`` of the assignment's notebook, with
    the part's points as its maximum, exactly as ``nbgrader generate_assignment``
    would record the instructor notebook. With a late policy (:mod:`autograder.late`)
    the submission's timestamp and the notebook's ``late_submission_penalty`` are
    set, as nbgrader's autograde does. A submission with no score gets no row:
    nbgrader has no way to say "not graded" other than leaving it out. Each record
    is committed on its own, so a record that fails leaves the others in place.

    Parameters
    ----------
    path : Path
        The gradebook; created (with its folder) when missing.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        with quiet():  # SQLAlchemy's notes on nbgrader's models
            if not path.exists():
                _create(path)
            self._gradebook = Gradebook(f"sqlite:///{path.resolve()}")
        self._ready: set[str] = set()

    def _prepare(self, name: str) -> None:
        """Record the assignment ``name``, its notebook and its grade cells, once."""
        assignment = load(name)
        notebook = Path(assignment.notebook).stem
        self._gradebook.update_or_create_assignment(name)
        self._gradebook.update_or_create_notebook(notebook, name)
        for part in assignment.parts:
            self._gradebook.update_or_create_grade_cell(
                f"test_{part.name}", notebook, name, max_score=part.points, cell_type="code")
        self._ready.add(name)

    def add(self, record: GradeRecord) -> None:
        """Record one submission's part scores and commit; on failure roll back and raise."""
        if record.score is None:
            return
        student = escape(record.student_id)
        with quiet():
            try:
                if record.assignment not in self._ready:
                    self._prepare(record.assignment)
                notebook = Path(load(record.assignment).notebook).stem
                self._gradebook.update_or_create_student(student)
                self._gradebook.update_or_create_submission(record.assignment, student,
                                                            **_timestamp(record))
                if record.penalty is not None:
                    self._gradebook.find_submission_notebook(
                        notebook, record.assignment, student).late_submission_penalty = \
                        record.penalty
                for part, points in record.parts.items():
                    grade = self._gradebook.find_grade(f"test_{part}", notebook,
                                                       record.assignment, student)
                    grade.auto_score = points
                    # as nbgrader's autograde: only a grade a person changed needs review
                    grade.needs_manual_grade = grade.manual_score is not None
                self._gradebook.db.commit()
            except Exception:
                self._gradebook.db.rollback()
                raise

    def close(self) -> None:
        """Close the gradebook."""
        self._gradebook.close()


def write_gradebook(records: Iterable[GradeRecord], path: Path) -> None:
    """Record every graded submission's part scores in the gradebook at ``path``."""
    writer = GradebookWriter(path)
    try:
        for record in records:
            writer.add(record)
    finally:
        writer.close()
