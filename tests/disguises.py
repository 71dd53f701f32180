"""Copies of the reference in simple disguises, as a learner hiding a copy would write them.

Each disguise takes the cells of a notebook whose answer cell pastes the reference (the
graded definition first, then the private helpers it calls) and returns new cells that
the kernel runs to the same graded function. ``tests/test_flags.py`` and
``tests/test_similarity.py`` check that none hides the copy.
"""

import ast
import inspect
import textwrap

import nbformat

from autograder import flags
from autograder.manifest import known, load

DEAD_CODE = """\
spare = 0
for step in range(4):
    spare += step
notes = [spare, 'unused']
"""
"""Four lines that change nothing, put before the answer's first statement."""
UNREACHABLE = """\
total = 0
for step in range(4):
    total += step
print(total)
"""
"""Four lines after the final ``return``."""


def compared_parts() -> list[tuple[str, str]]:
    """(assignment, part) for every part whose answers are compared with the reference."""
    return [(name, part.name) for name in known() for part in load(name).parts
            if part.compare_source and flags._reference_fingerprints(part.reference)]


def copy_cell(assignment: str, part: str) -> str:
    """The reference's source and its private helpers, the first one named as the part."""
    reference = next(p for p in load(assignment).parts if p.name == part).reference
    first, *helpers = flags.reference_sources(reference)
    keyword = "class" if inspect.isclass(reference) else "def"
    first = first.replace(f"{keyword} {reference.__name__}", f"{keyword} {part}", 1)
    return "\n\n".join([first, *helpers])


def notebook(*cells: str) -> nbformat.NotebookNode:
    """A notebook of code cells."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nb


def _edit_answer(cell: str, edit) -> str:
    """Apply ``edit`` to the body of the cell's first definition; return the unparsed cell."""
    tree = ast.parse(cell)
    body = tree.body[0].body
    if isinstance(tree.body[0], ast.ClassDef):  # disguise the longest method instead
        body = max((node.body for node in tree.body[0].body if isinstance(node, ast.FunctionDef)),
                   key=lambda b: len(ast.unparse(b[-1])) + len(b))
    edit(body)
    return ast.unparse(tree)


def dead_code(cells: list[str]) -> list[str]:
    """Four unused lines at the start of the answer (after its docstring)."""
    def edit(body):
        body[1:1] = ast.parse(DEAD_CODE).body
    return [*cells[:-1], _edit_answer(cells[-1], edit)]


def unreachable(cells: list[str]) -> list[str]:
    """Four lines after the answer's final ``return`` (or in an ``if False`` if none ends it)."""
    def edit(body):
        extra = ast.parse(UNREACHABLE).body
        if not isinstance(body[-1], ast.Return):
            extra = [ast.If(test=ast.Constant(False), body=extra, orelse=[])]
        body.extend(extra)
    return [*cells[:-1], _edit_answer(cells[-1], edit)]


PADDING = """\
def _padding(count):
    rows = []
    for row in range(count):
        line = []
        for column in range(count):
            line.append((row * 31 + column * 17) % 7 - 3.5 * column)
        rows.append(sorted(line, key=abs))
    table = {key: sum(value) / len(value) for key, value in enumerate(rows)}
    return max(table.values(), default=0.0) if table else min(rows[0])
"""
"""A helper as long as many answers, reached from dead code only."""


def dead_helper(cells: list[str]) -> list[str]:
    """Dead code calling a long helper defined next to the answer."""
    def edit(body):
        body[1:1] = ast.parse("spare = _padding(4)").body
    return [*cells[:-1], _edit_answer(cells[-1], edit) + "\n\n" + PADDING]


def decoy(cells: list[str]) -> list[str]:
    """An earlier cell defines the graded name as something short and honest-looking."""
    name = ast.parse(cells[-1]).body[0].name
    return [f"def {name}(*args, **kwargs):\n    return None\n", *cells]


def magics(cells: list[str]) -> list[str]:
    """``%time``, ``!ls`` and ``%%timeit``-free line magics in the answer cell."""
    return [*cells[:-1], "%time import math\n!ls\n" + cells[-1] + "\n%timeit -n1 math.pi\n"]


def renamed(cells: list[str]) -> list[str]:
    """Arguments and local variables renamed, a comment on every line."""
    tree = ast.parse(cells[-1])
    stored = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)} | {
        node.id for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg in stored:
            node.arg = f"my_{node.arg}_value"
        elif isinstance(node, ast.Name) and node.id in stored:
            node.id = f"my_{node.id}_value"
    lines = ast.unparse(tree).splitlines()
    return [*cells[:-1], "\n".join(f"{line}  # my own work" if line.strip() and not
                                   line.strip().startswith(('"', "'")) else line
                                   for line in lines)]


def _names(node: ast.AST, context: type) -> set[str]:
    return {name.id for name in ast.walk(node)
            if isinstance(name, ast.Name) and isinstance(name.ctx, context)}


def reordered(cells: list[str]) -> list[str]:
    """Every two neighbouring assignments that do not depend on each other swapped."""
    tree = ast.parse(cells[-1])
    for function in ast.walk(tree):
        body = function.body if isinstance(function, ast.FunctionDef) else []
        for i in range(len(body) - 1):
            first, second = body[i], body[i + 1]
            if isinstance(first, ast.Assign) and isinstance(second, ast.Assign) \
                    and not _names(first, ast.Store) & _names(second, ast.Load | ast.Store) \
                    and not _names(second, ast.Store) & _names(first, ast.Load):
                body[i], body[i + 1] = second, first
    return [*cells[:-1], ast.unparse(tree)]


def all_at_once(cells: list[str]) -> list[str]:
    """Every disguise above together."""
    for disguise in (reordered, dead_code, dead_helper, unreachable, renamed, decoy, magics):
        cells = disguise(cells)
    return cells


DISGUISES = {disguise.__name__: disguise
             for disguise in (dead_code, dead_helper, unreachable, decoy, magics, renamed,
                              reordered, all_at_once)}
UNDONE = frozenset(DISGUISES) - {"reordered", "all_at_once"}
"""Disguises the normalised code undoes entirely: the copy matches at 100 %. Reordering
changes only the fingerprints that span the swapped statements (95 % and more remain)."""


def disguised_copy(assignment: str, part: str, disguise: str) -> nbformat.NotebookNode:
    """A notebook whose answer to ``part`` is the reference in ``disguise``."""
    return notebook(*DISGUISES[disguise]([textwrap.dedent(copy_cell(assignment, part))]))
