"""Every assignment, graded from both sides, in the sandbox, through ``autograder.api.grade``.

For each assignment that has a manifest, one grading run (one batch of
notebooks, one random seed) holds: the solved notebook, which earns full
marks; the released skeleton, which earns 0; one notebook per mutant in
``tests/mutants/<assignment>.py``, each of which loses exactly its part's
points and is named by its catalogued mistake (or by none); a notebook of
correct answers written differently (``tests/alternatives/``), which earns full
marks and is named by no mistake; and the attacks below, which try to beat the
grader instead of solving the exercise and earn nothing. A new assignment is tested by adding its
manifest, its instructor notebook and its mutants file.

The same run grades the Korean release (``exercises/ko/``) of the solved notebook, the
skeleton and the first mutant that makes a catalogued mistake: the same grader gives them
the same points, and the feedback page names the mistake in Korean.
"""

import csv
import html
import importlib

import pytest

from autograder import api
from autograder.course import COURSE_ROOT
from autograder.feedback import write_feedback
from autograder.i18n import localise, translator
from autograder.manifest import known, load
from autograder.runkey import RunKey
from tests.alternatives import alternatives
from tests.grading_fixtures import (
    fill,
    solution_bodies,
    trained_with,
    with_code_cell,
    write_submission,
)

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

TIMEOUT = 20
REPOSITORY = COURSE_ROOT.parent

# Attacks: each is a cell added at the end of the released skeleton (no part solved).
# {names} stands for the graded functions' names, {root} for the repository; none of these
# computes a right answer.
ATTACKS = {
    # Rebind every checking helper the notebook or NumPy offers, so every comparison passes.
    "rebinds_helpers": (
        "import numpy as np, numpy.testing\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "np.array_equal = lambda *a, **k: True\n"
        "expect_close = expect_raises = lambda *a, **k: None\n"
        "quietly = lambda call, *a, **k: None\n"
        "import builtins; builtins.isinstance = lambda *a: True\n"
    ),
    # Answers that claim to equal anything: float and ndarray subclasses.
    "fake_numbers": (
        "import numpy as np\n"
        "class Anything(float):\n"
        "    __eq__ = lambda self, other: True\n"
        "    __ne__ = lambda self, other: False\n"
        "    __sub__ = __rsub__ = lambda self, other: Anything(0.0)\n"
        "    __abs__ = lambda self: Anything(0.0)\n"
        "    __lt__ = __le__ = lambda self, other: True\n"
        "    __float__ = lambda self: 0.0\n"
        "class AnyArray(np.ndarray):\n"
        "    __eq__ = lambda self, other: np.ones(self.shape, bool).view(np.ndarray)\n"
        "    __sub__ = lambda self, other: np.zeros(self.shape).view(np.ndarray)\n"
        "    def tolist(self): return Anything(0.0)\n"
        "for _name in {names}:\n"
        "    globals()[_name] = lambda *a, **k: (np.zeros(3).view(AnyArray) if a else Anything())\n"
    ),
    # An input transformer that turns every later cell (the grader's included) into `pass`.
    "input_transformer": (
        "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
    ),
    # Rewrite whatever is printed so that every case claims the exception the reference
    # may raise; and print fake outcome lines with guessed markers.
    "forges_output": (
        "import builtins, json, re\n"
        "_print = builtins.print\n"
        "def _forge(*args, **kw):\n"
        "    if len(args) == 2 and isinstance(args[1], str) and args[1].startswith('{'):\n"
        "        case = json.loads(args[1])\n"
        "        args = (args[0], json.dumps({'id': case['id'], 'raised': 'ValueError',\n"
        "                                     'message': '', 'warnings': []}))\n"
        "    _print(*args, **kw)\n"
        "builtins.print = _forge\n"
        "for _name in {names}:\n"
        "    for _i in range(20):\n"
        "        print('0' * 16, json.dumps({'id': f'{_name}/h{_i}', 'value': 0.0,\n"
        "                                     'warnings': []}))\n"
    ),
    # Look for the answers on disk: the reference library, the instructor notebook, the
    # manifest, other submissions; and use them if found.
    "reads_files": (
        "import glob, os, sys\n"
        "found = [p for pattern in ('{root}/solutions/*.py', '{root}/autograder/**/*.py',\n"
        "                           '{root}/autograder/source/*/*.ipynb', '/tmp/**/*.ipynb',\n"
        "                           os.path.expanduser('~/**/*.ipynb'))\n"
        "         for p in glob.glob(pattern, recursive=True)]\n"
        "for path in found:\n"
        "    if path.endswith('.py'):\n"
        "        try:\n"
        "            exec(open(path).read(), globals())\n"
        "        except Exception:\n"
        "            pass\n"
        "sys.path[:0] = ['{root}']\n"
        "try:\n"
        "    import solutions\n"
        "except ImportError:\n"
        "    pass\n"
    ),
}


def _mutants(assignment: str) -> dict:
    return importlib.import_module(f"tests.mutants.{assignment}").MUTANTS


# One grading run per assignment, each in one xdist worker (the run is module-scoped).
@pytest.fixture(scope="module", params=[
    pytest.param(name, marks=pytest.mark.xdist_group(f"exercise-{name}")) for name in known()])
def graded(request, tmp_path_factory):
    """Grade one assignment's solved, skeleton, mutant and attack notebooks in one run."""
    name = request.param
    assignment = load(name)
    root = tmp_path_factory.mktemp(name)
    subs, solved = root / "submissions", solution_bodies(name, assignment.notebook)
    names = [part.name for part in assignment.parts]

    def submit(student, nb):
        write_submission(subs, student, name, assignment.notebook, nb)

    submit("solved", fill(name, assignment.notebook, solved))
    submit("skeleton", fill(name, assignment.notebook, {}))
    for mutant_name, mutant in _mutants(name).items():
        submit(f"mutant_{mutant_name}",
               fill(name, assignment.notebook, {**solved, mutant.cell: mutant.body}))
    skeleton = fill(name, assignment.notebook, {})
    # One cell defining every part as written in tests/alternatives/, rotating through them.
    others = [sources[i % len(sources)] for i, sources in enumerate(alternatives(name).values())]
    submit("alternatives", with_code_cell(skeleton, "\n\n".join(others)))
    for attack, source in ATTACKS.items():
        source = source.replace("{names}", repr(names)).replace("{root}", str(REPOSITORY))
        submit(f"attack_{attack}", with_code_cell(skeleton, source))
    submit("ko_solved", fill(name, assignment.notebook, solved, language="ko"))
    submit("ko_skeleton", fill(name, assignment.notebook, {}, language="ko"))
    mutant = _named_mutant(name)[1]
    submit("ko_mutant", fill(name, assignment.notebook, {**solved, mutant.cell: mutant.body},
                             language="ko"))
    out = root / "out" / "grades.csv"
    run = api.grade(submissions=subs, out=out, jobs=2, timeout=TIMEOUT)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return assignment, {r.student_id: r for r in run.records}, rows, run.seed


def _named_mutant(assignment: str):
    """The first mutant of the assignment that makes a catalogued mistake: (name, mutant)."""
    return next((name, mutant) for name, mutant in _mutants(assignment).items()
                if mutant.mistake)


def _points(assignment) -> dict[str, float]:
    return {part.name: float(part.points) for part in assignment.parts}


def test_solution_earns_full_marks(graded):
    assignment, records, _, seed = graded
    record = records["solved"]
    assert (record.score, record.status) == (assignment.max_score, "ok"), (seed, record.messages)
    assert record.parts == _points(assignment)


def test_skeleton_earns_zero(graded):
    assignment, records, _, _ = graded
    record = records["skeleton"]
    assert (record.score, record.max_score) == (0, assignment.max_score)
    assert set(record.parts.values()) == {0.0}


def test_every_answer_notebook_is_graded_in_full(graded):
    """No solved, mutant or alternative notebook comes back ungraded or with parts missing.

    The per-part tests below compare only the parts a record holds, so a notebook the
    grader failed on would otherwise pass them without being judged.
    """
    assignment, records, _, seed = graded
    names = {part.name for part in assignment.parts}
    ungraded = {student: record.status for student, record in records.items()
                if not student.startswith("attack_")
                and (record.status != "ok" or set(record.parts) != names)}
    assert not ungraded, f"notebooks not graded in full (seed {seed}): {ungraded}"


def test_each_mutant_loses_exactly_its_part(graded):
    assignment, records, _, seed = graded
    points = _points(assignment)
    wrong = {}
    for mutant_name, mutant in _mutants(assignment.name).items():
        record = records[f"mutant_{mutant_name}"]
        kept = {p: v for p, v in record.parts.items()
                if p not in trained_with(assignment, mutant.cell)}
        if kept != {p: v for p, v in {**points, mutant.cell: 0.0}.items() if p in kept}:
            wrong[mutant_name] = {p: v for p, v in record.parts.items() if v != points[p]}
    assert not wrong, f"mutants that did not lose exactly their part (seed {seed}): {wrong}"


def test_each_mutant_is_named_by_its_mistake(graded):
    """A catalogued mistake is named in the record and its part's message; other answers none."""
    assignment, records, _, seed = graded
    wrong = {}
    for mutant_name, mutant in _mutants(assignment.name).items():
        record = records[f"mutant_{mutant_name}"]
        expected = {mutant.cell: mutant.mistake} if mutant.mistake else {}
        named = mutant.mistake and f"Looks like {mutant.mistake}:" in record.messages[mutant.cell]
        if record.mistakes != expected or mutant.mistake and not named:
            wrong[mutant_name] = record.mistakes
    assert not wrong, f"mutants named wrongly (seed {seed}): {wrong}"
    assert records["solved"].mistakes == records["skeleton"].mistakes == {}


def test_correct_answers_written_differently_earn_full_marks(graded):
    assignment, records, rows, seed = graded
    record = records["alternatives"]
    written = set(alternatives(assignment.name))
    assert {part: points for part, points in record.parts.items() if part in written} == {
        part.name: float(part.points) for part in assignment.parts if part.name in written
    }, (seed, record.messages)
    assert record.mistakes == {}
    row = next(row for row in rows if row["student_id"] == "alternatives")
    assert row["mistakes"] == ""


def test_csv_lists_the_mistake_of_each_failed_part(graded):
    assignment, records, rows, _ = graded
    named = {f"mutant_{name}": f"{mutant.cell}: {mutant.mistake}"
             for name, mutant in _mutants(assignment.name).items() if mutant.mistake}
    assert named
    assert {row["student_id"]: row["mistakes"] for row in rows
            if row["student_id"] in named} == named


def test_every_part_has_a_mutant(graded):
    assignment, _, _, _ = graded
    covered = {mutant.cell for mutant in _mutants(assignment.name).values()}
    assert covered == {part.name for part in assignment.parts}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_earns_nothing(graded, attack):
    _, records, _, _ = graded
    record = records[f"attack_{attack}"]
    assert record.score == 0, (record.parts, record.status)


def test_reading_the_reference_is_flagged(graded):
    _, records, _, _ = graded
    assert any("imports the course's reference" in flag
               for flag in records["attack_reads_files"].flags)


def test_csv_has_a_row_per_notebook_with_the_seed_and_part_columns(graded):
    assignment, records, rows, seed = graded
    assert len(rows) == len(records)
    assert {row["key"] for row in rows} == {RunKey(seed).id}
    solved = next(row for row in rows if row["student_id"] == "solved")
    for part in assignment.parts:
        assert float(solved[f"{assignment.name}:{part.name}"]) == part.points


def test_the_korean_release_is_graded_as_the_english_one(graded, tmp_path):
    """Korean solved: full marks; skeleton: 0; a mutant loses its part, named in Korean."""
    assignment, records, _, seed = graded
    solved, skeleton, mutant = (records[f"ko_{n}"] for n in ("solved", "skeleton", "mutant"))
    assert (solved.score, solved.status, solved.language) == (assignment.max_score, "ok", "ko"), (
        seed, solved.messages)
    assert solved.parts == records["solved"].parts == _points(assignment)
    assert (skeleton.score, set(skeleton.parts.values())) == (0, {0.0})
    name, named = _named_mutant(assignment.name)
    english = records[f"mutant_{name}"]
    assert (mutant.parts, mutant.mistakes) == (english.parts, {named.cell: named.mistake}), seed
    assert mutant.parts[named.cell] == 0 and english.language == "en"
    part = next(p for p in assignment.parts if p.name == named.cell)
    korean = localise(mutant.messages[named.cell], part, translator("ko", assignment.name))
    page = write_feedback(mutant, tmp_path).read_text(encoding="utf-8")
    assert "<html lang='ko'>" in page and "이런 실수로 보인다: " in korean
    assert html.escape(korean) in page and "Looks like" not in page
