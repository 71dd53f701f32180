"""Scores into nbgrader's gradebook, so formgrader and ``nbgrader export`` show them."""

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import nbgrader
from alembic.script import ScriptDirectory
from nbgrader.api import Base, Comment, Grade, Gradebook, SubmittedAssignment
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from autograder.autograded import write_entry
from autograder.errors import UsageError
from autograder.escape import escape
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.quiet import quiet
from autograder.roster import Student

__all__ = ["GradebookWriter", "check_course", "write_gradebook"]


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


def _naive(moment: datetime) -> datetime:
    """``moment`` as nbgrader keeps times: UTC without a time zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _timestamp(record: GradeRecord) -> dict[str, datetime]:
    """Return the submission's time as nbgrader keeps it (naive UTC), if the run read one."""
    if not record.submitted:
        return {}
    return {"timestamp": _naive(datetime.fromisoformat(record.submitted))}


def _person(student: Student) -> dict[str, str | None]:
    """Return the name and email fields of nbgrader's student row for a roster row.

    nbgrader keeps a first and a last name and formgrader shows "last, first".
    A name with a comma is read as "Last, First" (what Canvas and Moodle export);
    otherwise the last word is the last name and the words before it the first
    name (a name of one word is a last name alone).
    """
    if "," in student.name:
        last, _, first = student.name.partition(",")
    else:
        first, _, last = student.name.strip().rpartition(" ")
    return {"first_name": first.strip() or None, "last_name": last.strip() or None,
            "email": student.email or None}


def _mirror(session: Session, submission: SubmittedAssignment) -> None:
    """Give each notebook of ``submission`` a grade per grade cell and a comment per solution cell.

    nbgrader makes them when a submission is first recorded; a submission recorded
    before a cell was (an earlier version of the grader, a part added since) lacks
    them, and formgrader cannot open its notebook without them.
    """
    for notebook in submission.notebooks:
        graded = {grade.cell_id for grade in notebook.grades}
        commented = {comment.cell_id for comment in notebook.comments}
        session.add_all([Grade(cell_id=cell.id, notebook=notebook)
                         for cell in notebook.notebook.grade_cells if cell.id not in graded])
        session.add_all([Comment(cell_id=cell.id, notebook=notebook)
                         for cell in notebook.notebook.solution_cells
                         if cell.id not in commented])


def check_course(gradebook: Path, submissions: Path) -> None:
    """Refuse a gradebook whose folder the run's entries would mix with the submissions.

    The grader writes ``submitted/`` and ``autograded/`` beside the gradebook
    (:mod:`autograder.autograded`): that folder must not be the submissions folder
    or inside it (nbgrader's own layout, ``course/submitted``, would have its
    learners' ``timestamp.txt`` rewritten), nor hold the submissions in those two.

    Raises
    ------
    UsageError
        Naming both folders and what to do.
    """
    course, folder = gradebook.parent.resolve(), submissions.resolve()
    if folder == course or folder in course.parents or any(
            folder == course / name or course / name in folder.parents
            for name in ("submitted", "autograded")):
        raise UsageError(f"--gradebook {gradebook}: its folder {gradebook.parent} overlaps the "
                         f"submissions folder {submissions}, and the grader writes submitted/ "
                         "and autograded/ for formgrader beside the gradebook; give the "
                         "gradebook a folder of its own (e.g. ~/formgrader/gradebook.db)")


class GradebookWriter:
    """The SQLite gradebook at ``path``, written one record at a time.

    Each part is a grade cell ``test_<part>`` of the assignment's notebook, with
    the part's points as its maximum, and its solution cell ``<part>`` a solution
    cell, exactly as ``nbgrader generate_assignment`` would record the instructor
    notebook. With a roster, every rostered student is recorded with their name
    and email; with due dates, each assignment's due date is recorded, so that
    formgrader shows how late each submission came. With a late policy
    (:mod:`autograder.late`) the submission's timestamp and the notebook's
    ``late_submission_penalty`` are set, as nbgrader's autograde does. A
    submission with no score gets no row: nbgrader has no way to say "not graded"
    other than leaving it out. Each record is committed on its own, so a record
    that fails leaves the others in place.

    Where the record's submission folder is known and still holds its notebook,
    the gradebook's folder is also made the course folder formgrader reads: the
    submission's ``submitted/`` and ``autograded/`` entries, the latter with the
    learner's notebook annotated (:mod:`autograder.autograded`).

    Parameters
    ----------
    path : Path
        The gradebook; created (with its folder) when missing.
    folders : mapping, optional
        ``(student_id, assignment) -> submission folder`` of the graded submissions.
    roster : sequence of Student, optional
        The course's roster (:mod:`autograder.roster`).
    due : mapping, optional
        ``assignment -> due date`` (time-zone aware).
    """

    def __init__(self, path: Path, *, folders: Mapping[tuple[str, str], Path] | None = None,
                 roster: Sequence[Student] = (), due: Mapping[str, datetime] | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._course = path.parent
        self._folders = dict(folders or {})
        self._due = dict(due or {})
        with quiet():  # SQLAlchemy's notes on nbgrader's models
            if not path.exists():
                _create(path)
            self._gradebook = Gradebook(f"sqlite:///{path.resolve()}")
            try:
                for student in roster:
                    self._gradebook.update_or_create_student(student.id, **_person(student))
            except Exception:
                self._gradebook.close()
                raise
        self._ready: set[str] = set()

    def _prepare(self, name: str) -> None:
        """Record the assignment ``name``, its due date, notebook and cells, once."""
        assignment = load(name)
        notebook = Path(assignment.notebook).stem
        due = {"duedate": _naive(self._due[name])} if name in self._due else {}
        self._gradebook.update_or_create_assignment(name, **due)
        self._gradebook.update_or_create_notebook(notebook, name)
        for part in assignment.parts:
            self._gradebook.update_or_create_grade_cell(
                f"test_{part.name}", notebook, name, max_score=part.points, cell_type="code")
            self._gradebook.update_or_create_solution_cell(part.name, notebook, name)
        self._ready.add(name)

    def add(self, record: GradeRecord) -> None:
        """Record one submission's part scores and commit, then write its course entries.

        On a failure of the gradebook, roll back and raise; a failure to write the
        course entries raises after the scores are committed.
        """
        if record.score is None:
            return
        student = escape(record.student_id)
        with quiet():
            try:
                if record.assignment not in self._ready:
                    self._prepare(record.assignment)
                notebook = Path(load(record.assignment).notebook).stem
                self._gradebook.update_or_create_student(student)
                submission = self._gradebook.update_or_create_submission(
                    record.assignment, student, **_timestamp(record))
                _mirror(self._gradebook.db, submission)
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
                timestamp = submission.timestamp
            except Exception:
                self._gradebook.db.rollback()
                raise
        assignment = load(record.assignment)
        folder = self._folders.get((record.student_id, record.assignment))
        if folder is not None and os.path.lexists(folder / assignment.notebook):
            write_entry(self._course, record, assignment, folder, timestamp)

    def close(self) -> None:
        """Close the gradebook."""
        self._gradebook.close()


def write_gradebook(records: Iterable[GradeRecord], path: Path, *,
                    folders: Mapping[tuple[str, str], Path] | None = None,
                    roster: Sequence[Student] = ()) -> None:
    """Record every graded submission's part scores in the gradebook at ``path``.

    ``folders`` and ``roster`` are as for :class:`GradebookWriter`.
    """
    writer = GradebookWriter(path, folders=folders, roster=roster)
    try:
        for record in records:
            writer.add(record)
    finally:
        writer.close()
