"""Scores into nbgrader's gradebook, so formgrader and ``nbgrader export`` show them."""

import warnings
from collections.abc import Iterable
from pathlib import Path

import nbgrader
from alembic.script import ScriptDirectory
from nbgrader.api import Base, Gradebook
from sqlalchemy import create_engine, text

from autograder.grading import GradeRecord
from autograder.manifest import load

__all__ = ["write_gradebook"]


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


def write_gradebook(records: Iterable[GradeRecord], path: Path) -> None:
    """Record every graded submission's part scores in the SQLite gradebook at ``path``.

    Each part is a grade cell ``test_<part>`` of the assignment's notebook, with
    the part's points as its maximum, exactly as ``nbgrader generate_assignment``
    would record the instructor notebook. A submission with no score gets no row:
    nbgrader has no way to say "not graded" other than leaving it out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [r for r in records if r.score is not None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes on nbgrader's models
        if not path.exists():
            _create(path)
        with Gradebook(f"sqlite:///{path.resolve()}") as gradebook:
            for name in sorted({r.assignment for r in records}):
                assignment = load(name)
                notebook = Path(assignment.notebook).stem
                gradebook.update_or_create_assignment(name)
                gradebook.update_or_create_notebook(notebook, name)
                for part in assignment.parts:
                    gradebook.update_or_create_grade_cell(
                        f"test_{part.name}", notebook, name, max_score=part.points,
                        cell_type="code")
            for record in records:
                notebook = Path(load(record.assignment).notebook).stem
                gradebook.update_or_create_student(record.student_id)
                gradebook.update_or_create_submission(record.assignment, record.student_id)
                for part, points in record.parts.items():
                    grade = gradebook.find_grade(f"test_{part}", notebook, record.assignment,
                                                 record.student_id)
                    grade.auto_score = points
                    # as nbgrader's autograde: only a grade a person already changed needs review
                    grade.needs_manual_grade = grade.manual_score is not None
            gradebook.db.commit()
