"""Find graded answers in what a learner can read: chapter sources and released notebooks.

A built chapter page offers its source (``book/<page>.md``, and the ``.ipynb``
made from it) for download, with every cell, including those the page hides
(``remove-input``); a released notebook holds given cells. None of them may
show the code of a graded part. The graded answers are the solution cells of
the instructor notebooks (``autograder/source``). Two scans look for them:

* by tokens (:func:`leaks`): a function found in a source leaks a part when the two
  share a long run of tokens once local names, docstrings and input checks are set
  aside: the part's whole computation (at least :data:`WHOLE` of it), or :data:`RUN`
  tokens in a row. A *verify* part's own notebook gives its function with planted bugs,
  which must resemble the answer: there only the whole answer counts as a leak.
* by behaviour (:func:`behaves_like`): a function leaks a part when, bound to the part's
  name, it passes every visible case and one hidden draw, as grading judges a learner.
  This catches an answer written with other tokens than the solution's (loops for a
  product, another order), which the token scan misses; neither catches one given
  with another interface.
"""

import ast
import builtins
import io
import keyword
import re
import signal
import tokenize
from pathlib import Path
from typing import NamedTuple

import nbformat

from autograder.judge import judge_part
from autograder.manifest import Case, Part, known, load
from autograder.mistakes import implementation, outcomes_of

ROOT = Path(__file__).resolve().parents[1]
RUN = 28
"""Tokens in a row that no independent code shares with an answer by chance. Set-up lines
such as ``w, b = np.zeros(X.shape[1]), 0.0`` then ``for _ in range(`` are 24 tokens; the
clip-less BCE the chapter once printed shared 29 with the graded one."""
WHOLE = 0.9
"""Share of an answer's computation that, found in one run, counts as the whole of it."""
SHORTEST = 8
"""Answers with fewer tokens (``X @ w + b``) are left out: any code may contain them."""
_KEPT_NAMES = set(dir(builtins)) | {"np", "math"}
_CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


class Leak(NamedTuple):
    """A function in a readable source that shows a graded part's answer."""

    source: str
    function: str
    part: str
    """``assignment.part``."""
    evidence: str
    """What gives it away, e.g. ``"29 of its 31 tokens in a row"``."""


def tokens(source: str) -> list[str]:
    """Python tokens with local names as ``V`` and strings as ``S``.

    Keywords, builtins, ``np``/``math``, attribute names and called names stay
    as written, so ``np.log(1 - p)`` and ``np.log(1 - q)`` agree while
    ``np.log`` and ``np.exp`` do not.
    """
    raw = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
           if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                             tokenize.DEDENT, tokenize.ENDMARKER)]
    out = []
    for i, tok in enumerate(raw):
        before = raw[i - 1].string if i else ""
        after = raw[i + 1].string if i + 1 < len(raw) else ""
        if tok.type == tokenize.STRING:
            out.append("S")
        elif (tok.type == tokenize.NAME and not keyword.iskeyword(tok.string)
              and tok.string not in _KEPT_NAMES and before != "." and after != "("):
            out.append("V")
        else:
            out.append(tok.string)
    return out


def _checks_input(statement: ast.stmt) -> bool:
    """A docstring, a bare ``raise``, or an ``if`` that only raises (an input check)."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return isinstance(statement.value.value, str)
    if isinstance(statement, ast.If) and not statement.orelse:
        return all(isinstance(s, ast.Raise) for s in statement.body)
    return isinstance(statement, ast.Raise)


def computation(function: ast.FunctionDef) -> list[str]:
    """Tokens of a function's body without its docstring and input checks."""
    kept = [s for s in function.body if not _checks_input(s)]
    return tokens("\n".join(ast.unparse(s) for s in kept))


def functions(code: str) -> list[ast.FunctionDef]:
    """Every function defined in ``code`` (nested ones too); none if it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def longest_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of tokens that ``a`` and ``b`` share."""
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


class Answer(NamedTuple):
    """A graded part's answer, as the scan compares it."""

    assignment: str
    kind: str
    """The part's kind (``Part.kind``)."""
    tokens: list[str]
    """Tokens of the instructor solution's computation (:func:`computation`)."""


def answers() -> dict[str, Answer]:
    """``assignment.part`` -> the instructor solution's answer.

    Parts whose every correct answer is the same chain of calls
    (``Part.compare_source=False``) are left out, as by the similarity flag.
    """
    found = {}
    for name in known():
        assignment = load(name)
        nb = nbformat.read(ROOT / "autograder" / "source" / name / assignment.notebook, 4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        defined = {f.name: f for f in functions(code)}
        for part in assignment.parts:
            if part.compare_source and part.name in defined:
                if len(answer := computation(defined[part.name])) >= SHORTEST:
                    found[f"{name}.{part.name}"] = Answer(name, part.kind, answer)
    return found


def readable_sources() -> list[Path]:
    """Chapter and appendix sources under book/, and every released notebook."""
    return sorted(ROOT.glob("book/*.md")) + sorted(ROOT.glob("exercises/*/*.ipynb"))


def source_code(path: Path) -> str:
    """The code of a MyST page's code cells, or of a notebook's code cells.

    A released notebook's own stubs (``def <its part>``) are dropped: they are
    the questions, not answers.
    """
    if path.suffix == ".md":
        cells = _CODE_CELL.findall(path.read_text(encoding="utf-8"))
        return "\n".join(line for cell in cells for line in cell.splitlines()
                         if not line.startswith((":", "%", "!")))
    own = {part.name for part in load(path.parent.name).parts}
    nb = nbformat.read(path, 4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code"
                     and (c.metadata.get("nbgrader", {}).get("grade_id") not in own))


def leaks(path: Path, graded: dict[str, Answer]) -> list[Leak]:
    """The functions of one source that show a graded answer."""
    found = []
    where = _where(path)
    notebook_of = path.parent.name if path.suffix == ".ipynb" else None
    for function in functions(source_code(path)):
        body = computation(function)
        for part, answer in graded.items():
            shared = longest_run(body, answer.tokens)
            whole = shared >= WHOLE * len(answer.tokens)
            planted = answer.kind == "verify" and answer.assignment == notebook_of
            if whole or (shared >= RUN and not planted):
                found.append(Leak(where, function.name, part,
                                  f"{shared} of its {len(answer.tokens)} tokens in a row"))
    return found


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


TIME_LIMIT = 0.5
"""Seconds one function may take on one part's cases before the scan gives up on the pair
(a training loop called with a layer's arguments); no answer needs a tenth of it."""
_HELPERS = frozenset({"_case", "expect_close", "expect_raises", "quietly", "stand_ins"})
"""The test helpers every released notebook gives: they check answers, they hold none."""


class Behaviour(NamedTuple):
    """A graded part as grading judges it: its cases at one seed, the reference's outcomes."""

    name: str
    """``assignment.part``."""
    part: Part
    cases: list[tuple[str, Case]]
    expected: dict[str, dict]


def behaviours(seed: int = 0) -> list[Behaviour]:
    """Every part but the experiments (their answer is a choice, not code), at ``seed``."""
    found = []
    for name in known():
        assignment = load(name)
        drawn = assignment.cases(seed)
        for part in assignment.parts:
            if part.kind != "experiment":
                cases = drawn[part.name]
                found.append(Behaviour(f"{name}.{part.name}", part, cases,
                                       outcomes_of(part, cases, part.namespace())))
    return found


class _TooSlow(BaseException):
    """Raised by the timer; a BaseException, so no ``except Exception`` in scanned code or in
    the harness keeps running past it."""


def _stop(signum, frame):
    raise _TooSlow


def _passes(behaviour: Behaviour, source: str) -> bool:
    """Whether ``source`` (which defines the part's name) passes every case of ``behaviour``."""
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT, 0.05)  # and again, should it be caught
    try:
        namespace = implementation(behaviour.part, source, "<scanned source>")
        outcomes = outcomes_of(behaviour.part, behaviour.cases, namespace)
        return judge_part(behaviour.part, behaviour.cases, outcomes, behaviour.expected).passed
    except (Exception, _TooSlow):  # code that does not run as the part is no answer
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def behaves_like(path: Path, graded: list[Behaviour]) -> list[Leak]:
    """The functions of one source that earn a graded part's points under its name.

    Each function runs with the source's imports and top-level functions beside it (its
    helpers), bound to each part's name, in the grader's own process (the sources are
    ours); see :func:`_passes`.
    """
    try:
        tree = ast.parse(source_code(path))
    except SyntaxError:
        return []
    top = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.Import
                                                     | ast.ImportFrom)]
    given = "\n".join(ast.unparse(node) for node in top)
    found = []
    for function in (f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                     and f.name not in _HELPERS):
        nested = "" if function in top else "\n" + ast.unparse(function)
        for behaviour in graded:
            bound = f"{given}{nested}\n{behaviour.part.name} = {function.name}\n"
            if _passes(behaviour, bound):
                found.append(Leak(_where(path), function.name, behaviour.name,
                                  "passes every case of one hidden draw"))
    return found
