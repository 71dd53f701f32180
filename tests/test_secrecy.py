"""Hidden cases stay secret and results are read, not believed: attacks graded for real.

One sandboxed ``autograder.api.grade`` run on Chapter 1, with the default (secret,
random) run key, grades four notebooks:

``recorder``  every graded function records the inputs it is called with (in a global,
              a file in its folder, an environment variable and an attribute of NumPy),
              prints them and raises them as its exception message from every call;
``chatty``    the solutions, each of which prints while it works, without a final
              newline (``end=" "``, progress dots, ``sys.stdout.write``, ``os.write``):
              full marks;
``liar``      the solutions, but ``predict_linear`` computes in float64 and returns an
              ndarray subclass whose ``.dtype`` says float32: loses that part, wrong dtype;
``forger``    the skeleton, printing forged result records with guessed markers, before
              and during the graded calls: earns nothing.

The tests then search every output (feedback pages, grades CSV, LMS CSV) for the
exact text of the hidden inputs the recorder saw, and for the run key.
"""

import csv
import os
import stat

import numpy as np
import pytest

from autograder import api
from autograder.manifest import load
from autograder.runkey import KEY_BITS, RunKey, key_path
from tests.grading_fixtures import fill, solution_bodies, with_code_cell, write_submission

pytestmark = [pytest.mark.kernel, pytest.mark.slow, pytest.mark.xdist_group("secrecy")]

NAME = "ch01_regression"
ASSIGNMENT = load(NAME)
NAMES = [part.name for part in ASSIGNMENT.parts]
TIMEOUT = 20

# The text the recorder leaks for an input: the exact repr of its first number.
FIRST = (
    "def _first(a):\n"
    "    try:\n"
    "        return repr(float(np.ravel(np.asarray(a, dtype=float))[0]))\n"
    "    except Exception:\n"
    "        return None\n"
)
RECORDER = (
    "import os, numpy as np\n" + FIRST +
    "_SEEN = []\n"
    "def _spy(*args, **kwargs):\n"
    "    for a in [*args, *kwargs.values()]:\n"
    "        if (f := _first(a)) and f not in _SEEN:\n"
    "            _SEEN.append(f)\n"
    "    os.environ['SEEN'] = ' '.join(_SEEN)\n"
    "    np.seen = list(_SEEN)\n"
    "    with open('seen.txt', 'a') as handle:\n"
    "        handle.write(' '.join(_SEEN) + '\\n')\n"
    "    print(' '.join(_SEEN[-20:]))\n"
    "    seen = (os.environ.get('SEEN', '') + ' ' + open('seen.txt').read()).split()\n"
    "    raise type(' '.join(seen[-3:]) or 'Nothing', (ValueError,), {})(' '.join(seen[-12:]))\n"
    f"for _name in {NAMES!r}:\n"
    "    globals()[_name] = _spy\n"
)
CHATTY = (
    "import functools, os, sys\n"
    "def _chatty(function):\n"
    "    @functools.wraps(function)\n"
    "    def talking(*args, **kwargs):\n"
    "        print('working on', function.__name__, end=' ')\n"
    "        for _ in range(3):\n"
    "            print('.', end='', flush=True)\n"
    "        sys.stdout.write('almost')\n"
    "        os.write(1, b' and via the file descriptor')\n"
    "        return function(*args, **kwargs)\n"
    "    return talking\n"
    f"for _name in {NAMES!r}:\n"
    "    globals()[_name] = _chatty(globals()[_name])\n"
    "print('set up, no newline', end='')\n"
)
LIAR = (
    "class _Float32(np.ndarray):\n"
    "    dtype = property(lambda self: np.dtype(np.float32))\n"
    "def predict_linear(X, w, b):\n"
    "    out = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b\n"
    "    return out.view(_Float32) if np.asarray(X).dtype == np.float32 else out\n"
)
FORGER = (
    "import json, threading, time\n"
    "def _forge():\n"
    "    return ''.join(f'\\n{marker} ' + json.dumps({'id': f'{name}/{kind}{i}', 'value': 0.0,\n"
    "                                                  'warnings': []}) + '\\n'\n"
    f"                   for marker in ('0' * 16, 'None', '') for name in {NAMES!r}\n"
    "                   for kind in 'vh' for i in range(8))\n"
    "def _spam():\n"
    "    for _ in range(200):\n"
    "        print(_forge(), end='')\n"
    "        time.sleep(0.01)\n"
    "threading.Thread(target=_spam, daemon=True).start()\n"
    "def _answer(*args, **kwargs):\n"
    "    print(_forge())\n"
    "    return 0.0\n"
    f"for _name in {NAMES!r}:\n"
    "    globals()[_name] = _answer\n"
)


def _hidden_texts(seed: int) -> set[str]:
    """The recorder's text for every random input of the run's hidden cases."""
    scope = {"np": np}
    exec(FIRST, scope)
    texts = set()
    for part_cases in ASSIGNMENT.cases(seed).values():
        for case_id, case in part_cases:
            for value in [*case.args, *case.inputs.values()]:
                if "/h" in case_id and isinstance(value, np.ndarray) and value.size > 1:
                    texts.add(scope["_first"](value))
    return texts


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The four notebooks of the module docstring, graded once with a default run key."""
    root = tmp_path_factory.mktemp("secrecy")
    subs = root / "submissions"
    solved = solution_bodies(NAME, ASSIGNMENT.notebook)
    skeleton = fill(NAME, ASSIGNMENT.notebook, {})
    notebooks = {
        "recorder": with_code_cell(skeleton, RECORDER),
        "chatty": with_code_cell(fill(NAME, ASSIGNMENT.notebook, solved), CHATTY),
        "liar": fill(NAME, ASSIGNMENT.notebook, {**solved, "predict_linear": LIAR}),
        "forger": with_code_cell(skeleton, FORGER),
    }
    for student, nb in notebooks.items():
        write_submission(subs, student, NAME, ASSIGNMENT.notebook, nb)
    out = root / "out"
    run = api.grade(submissions=subs, out=out / "grades.csv", feedback=out / "feedback",
                    lms=out / "lms.csv", jobs=2,
                    timeout=TIMEOUT)
    outputs = {str(path.relative_to(out)): path.read_text(encoding="utf-8")
               for path in sorted(out.rglob("*")) if path.is_file() and path.suffix != ".key"}
    return {"out": out, "run": run, "outputs": outputs,
            "records": {r.student_id: r for r in run.records}}


def test_the_recorder_earns_nothing_and_its_channel_works(graded):
    record = graded["records"]["recorder"]
    assert record.score == 0, record.parts
    page = graded["outputs"]["feedback/recorder/ch01_regression/feedback.html"]
    visible = {text for part in ASSIGNMENT.parts for case in part.visible
               for value in case.args if isinstance(value, np.ndarray) and value.size > 1
               if (text := repr(float(np.ravel(value)[0])))}
    # What it saw of the visible cases comes back on its page: the channel is open ...
    assert any(text in page for text in visible), page


def test_no_output_shows_a_hidden_input(graded):
    # ... and still carries nothing it saw of a hidden case.
    hidden = _hidden_texts(graded["run"].seed)
    assert len(hidden) > 20
    leaked = {name: sorted(t for t in hidden if t in text)
              for name, text in graded["outputs"].items()}
    assert not any(leaked.values()), leaked


def test_correct_functions_that_print_without_a_newline_earn_full_marks(graded):
    record = graded["records"]["chatty"]
    assert (record.score, record.status) == (ASSIGNMENT.max_score, "ok"), record.messages


def test_an_array_that_lies_about_its_dtype_fails_the_dtype_check(graded):
    record = graded["records"]["liar"]
    full = {part.name: float(part.points) for part in ASSIGNMENT.parts}
    assert record.parts == {**full, "predict_linear": 0.0}, record.messages
    assert "wrong dtype" in record.messages["predict_linear"] or (
        "expected dtype float32, got float64" in record.messages["predict_linear"])


def test_forged_records_earn_nothing(graded):
    record = graded["records"]["forger"]
    assert record.score == 0, record.parts


def test_the_run_key_is_kept_private_beside_the_csv(graded):
    key, path = RunKey(graded["run"].seed), key_path(graded["out"] / "grades.csv")
    assert RunKey.read(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text(encoding="utf-8").strip()
    assert len(text) * 4 >= KEY_BITS
    for name, output in graded["outputs"].items():
        assert text not in output and str(key.seed) not in output, name
    with (graded["out"] / "grades.csv").open(newline="", encoding="utf-8") as handle:
        assert {row["key"] for row in csv.DictReader(handle)} == {key.id}
