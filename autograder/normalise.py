"""Answers normalised for comparison: what a copy keeps whatever simple disguise it wears.

An answer is read as the learner's kernel runs it. A cell is parsed as IPython
reads it (``%time`` lines, ``%%timeit`` headers and ``!ls`` are not code), and a
graded name stands for the *last* ``def`` or ``class`` of that name the notebook
executes, so a decoy definition before or after the real one fools nothing. The
definition then loses what does nothing: docstrings, ``pass``, expressions
without calls, statements after ``return`` or ``raise``, branches a constant test
never takes, and, inside functions, assignments, imports and definitions nothing
reads. Its local names and arguments are renamed in order of first use (``_0``,
``_1``, ...) and it is written back from the syntax tree, so comments and
layout are gone. Dead code, decoys, renamed variables, comments and magics then
leave the normalised code of a copy as it was.

Cells are untrusted. One too large or too deeply nested to parse, cells too large
together, or a compared definition nested too deeply to walk, raises
:class:`Unreadable` naming it, never ``RecursionError``: Python's parser gives up
on an expression of some thousand terms, and its tree walkers (this module's
included) recurse once per level.
"""

import ast
import copy
from collections.abc import Collection, Iterable, Iterator, Mapping

__all__ = ["MAX_CELL_CHARS", "MAX_DEPTH", "MAX_NOTEBOOK_CHARS", "Unreadable", "bound_definitions",
           "normalised", "normalised_answer", "normalised_pieces"]

MAX_CELL_CHARS = 100_000
"""Longest code cell read, in characters (the longest instructor cell has under 12,000)."""
MAX_NOTEBOOK_CHARS = 1_000_000
"""Most characters of code read in one notebook (the instructors' have under 44,000):
parsing costs the grader several times what compiling costs the kernel, outside its limits."""
MAX_DEPTH = 100
"""Deepest definition compared, in nested syntax-tree nodes (the solutions nest 13 at most)."""
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
"""Cell magics whose body IPython runs as Python in the notebook's namespace."""
_DEFINITION = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_JUMP = ast.Return | ast.Raise | ast.Break | ast.Continue
_EFFECT = ast.Call | ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr
_BLOCK = ast.If | ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith


class Unreadable(ValueError):
    """A cell or definition that cannot be read safely: too large or too deeply nested."""


def bound_definitions(cells: Iterable[tuple[int, str]]) -> dict[str, ast.stmt]:
    """Return each name's definition as the cells bind it when run in order.

    Parameters
    ----------
    cells : iterable of (int, str)
        The notebook's code cells: the cell's number (for messages) and its source.

    Returns
    -------
    bound : dict
        Name -> the last top-level ``def`` or ``class`` of that name executed (also
        inside top-level ``if``, ``for``, ``with`` and ``try`` blocks), or the
        definition a later ``name = other`` makes it an alias of. Cells that are not
        Python (a syntax error, ``%%bash``) bind nothing, as in the kernel.

    Raises
    ------
    Unreadable
        For a cell too large or too deeply nested to parse, or cells too large together.
    """
    cells = list(cells)
    if (size := sum(len(source) for _, source in cells)) > MAX_NOTEBOOK_CHARS:
        raise Unreadable(f"the notebook has {size:,} characters of code, more than the "
                         f"{MAX_NOTEBOOK_CHARS:,} read")
    bound: dict[str, ast.stmt] = {}
    for number, source in cells:
        for statement in _executed(_parse_cell(source, number)):
            if isinstance(statement, _DEFINITION):
                bound[statement.name] = statement
            elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Name):
                for target in statement.targets:
                    if isinstance(target, ast.Name) and statement.value.id in bound:
                        bound[target.id] = bound[statement.value.id]
    return bound


def normalised_answer(bound: Mapping[str, ast.stmt], name: str, *,
                      others: Collection[str] = ()) -> str | None:
    """Return the normalised code of ``name`` and of the notebook's definitions it uses.

    The pieces of :func:`normalised_pieces`, joined by blank lines; see there.
    """
    pieces = normalised_pieces(bound, name, others=others)
    return "\n\n".join(pieces) if pieces else None


def normalised_pieces(bound: Mapping[str, ast.stmt], name: str, *,
                      others: Collection[str] = ()) -> list[str]:
    """Return the normalised code of ``name`` and of each notebook definition it uses.

    A helper the normalised answer still refers to (``_core``, or anything the learner
    split it into; not one named only in dead code) is part of the answer, followed
    through the helpers it uses in turn, each taken once; ``others`` (the other graded
    parts, compared on their own) are not.

    Returns
    -------
    pieces : list of str
        The normalised definitions, the answer's first; empty when ``name`` is not bound.

    Raises
    ------
    Unreadable
        When one of these definitions nests more than MAX_DEPTH levels.
    """
    if name not in bound:
        return []
    pieces, seen, todo = [], {name, *others}, [bound[name]]
    while todo:
        tree = _normalised_tree(todo.pop(0))
        pieces.append(ast.unparse(tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in bound and node.id not in seen:
                seen.add(node.id)
                todo.append(bound[node.id])
    return pieces


def normalised(definition: ast.stmt) -> str:
    """Return the source of a definition without what does nothing, local names canonical.

    Raises
    ------
    Unreadable
        When the definition nests more than MAX_DEPTH levels.
    """
    return ast.unparse(_normalised_tree(definition))


def _normalised_tree(definition: ast.stmt) -> ast.stmt:
    """Return a normalised copy of a definition's syntax tree (see :func:`normalised`).

    Only the definitions compared are walked recursively (copied, transformed, written
    back), so only they are checked for depth: a deep expression elsewhere costs nothing.

    Raises
    ------
    Unreadable
        When the definition nests more than MAX_DEPTH levels.
    """
    if _too_deep(definition):
        raise Unreadable(f"the definition of {getattr(definition, 'name', '?')} nests more than "
                         f"{MAX_DEPTH} levels deep")
    tree = copy.deepcopy(definition)
    while True:
        _Tidy().visit(tree)
        unused = _Unused(_read_names(tree))
        unused.visit(tree)
        if not unused.removed:
            break
    _Rename(_local_names(tree)).visit(tree)
    return tree


def _parse_cell(source: str, number: int) -> ast.Module | None:
    """Parse a code cell as IPython runs it; None when it is not Python."""
    if len(source) > MAX_CELL_CHARS:
        raise Unreadable(f"cell {number} has {len(source):,} characters, more than the "
                         f"{MAX_CELL_CHARS:,} read")
    # Lone surrogates (JSON's "\ud800") cannot be encoded for the parser; they can only sit
    # in strings and comments, so a replacement character changes nothing compared.
    source = source.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    try:
        return _python(source)
    except (RecursionError, MemoryError) as err:
        raise Unreadable(f"cell {number} is too deeply nested to parse "
                         f"({type(err).__name__})") from None


def _python(source: str) -> ast.Module | None:
    """Parse Python, or IPython's syntax translated as IPython does; None for anything else."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        pass
    header, _, body = source.lstrip().partition("\n")
    if header.startswith("%%"):
        magic = header[2:].split(maxsplit=1)
        return _python(body) if magic and magic[0] in PYTHON_CELL_MAGICS else None
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (RecursionError, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - whatever IPython cannot translate, the kernel cannot run
        return None


def _too_deep(tree: ast.AST) -> bool:
    """Return True when the tree nests more than MAX_DEPTH nodes (walked without recursion)."""
    todo = [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            return True
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def _executed(module: ast.Module | None) -> Iterator[ast.stmt]:
    """Yield a module's top-level statements in order, entering blocks that run at top level."""
    todo = list(reversed(module.body)) if module else []
    while todo:
        statement = todo.pop()
        yield statement
        if isinstance(statement, ast.If) and isinstance(statement.test, ast.Constant):
            inner = statement.body if statement.test.value else statement.orelse
        elif isinstance(statement, _BLOCK | ast.Try):
            inner = [*statement.body, *getattr(statement, "orelse", []),
                     *getattr(statement, "finalbody", [])]
        else:
            inner = []
        todo.extend(reversed(inner))


def _placeholder(statement: ast.stmt) -> bool:
    """Return True for the stub's ``raise NotImplementedError(...)``, which answers often keep."""
    raised = statement.exc if isinstance(statement, ast.Raise) else None
    raised = raised.func if isinstance(raised, ast.Call) else raised
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def _inert(statement: ast.stmt) -> bool:
    """Return True for a statement that does nothing: it is left out of the comparison."""
    if isinstance(statement, ast.Pass) or _placeholder(statement):
        return True
    if isinstance(statement, ast.Expr):
        nodes = list(ast.walk(statement.value))
        return not any(isinstance(node, _EFFECT) for node in nodes) or any(
            isinstance(node, ast.Name) and node.id == "get_ipython" for node in nodes)
    return isinstance(statement, _BLOCK) and not statement.body \
        and not getattr(statement, "orelse", [])


def _tidied(statements: list[ast.stmt]) -> list[ast.stmt]:
    """Drop inert and unreachable statements; replace constant ``if`` tests by their branch."""
    kept = []
    for statement in statements:
        runs = [statement]
        if isinstance(statement, ast.If | ast.While) and isinstance(statement.test, ast.Constant):
            if not statement.test.value:
                runs = statement.orelse
            elif isinstance(statement, ast.If):
                runs = statement.body
        for run in runs:
            if not _inert(run):
                kept.append(run)
            if isinstance(run, _JUMP):
                return kept
    return kept


class _Tidy(ast.NodeTransformer):
    """Tidy every statement list of a tree, innermost first."""

    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and all(isinstance(s, ast.stmt) for s in statements):
                setattr(node, field, _tidied(statements))
        return node


def _read_names(tree: ast.AST) -> set[str]:
    """Names the tree reads anywhere (or declares global or nonlocal)."""
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            read.add(node.id)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            read.update(node.names)
    return read


class _Unused(ast.NodeTransformer):
    """Remove, inside functions, the assignments, imports and definitions nothing reads."""

    def __init__(self, read: set[str]):
        self.read = read
        self.removed = False
        self.in_function = [False]

    def _scope(self, node, in_function):
        self.in_function.append(in_function)
        self.generic_visit(node)
        self.in_function.pop()
        return node

    def _drop(self, node, names):
        if self.in_function[-1] and names is not None and not names & self.read:
            self.removed = True
            return None
        return node

    def visit_FunctionDef(self, node):
        return self._drop(node, {node.name}) and self._scope(node, True)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        return self._scope(node, True)

    def visit_ClassDef(self, node):
        return self._drop(node, {node.name}) and self._scope(node, False)

    def visit_Assign(self, node):
        names = [_stored(target) for target in node.targets]
        return self._drop(node, None if None in names else set().union(*names))

    def visit_AnnAssign(self, node):
        return self._drop(node, _stored(node.target))

    visit_AugAssign = visit_AnnAssign

    def visit_Import(self, node):
        return self._drop(node, {(alias.asname or alias.name).split(".")[0]
                                 for alias in node.names})

    visit_ImportFrom = visit_Import


def _stored(target: ast.expr) -> set[str] | None:
    """Names an assignment target binds; None when it also writes elsewhere (``a[i]``, ``o.x``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Starred):
        return _stored(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        names = [_stored(element) for element in target.elts]
        return None if None in names else set().union(*names)
    return None


def _local_names(definition: ast.stmt) -> dict[str, str]:
    """Name -> placeholder for every name the definition binds, in order of first binding."""
    declared = {name for node in ast.walk(definition) if isinstance(node, ast.Global)
                for name in node.names}
    members = {id(member) for node in ast.walk(definition) if isinstance(node, ast.ClassDef)
               for member in node.body}  # a class's methods keep their names
    local = []
    for node in ast.walk(definition):
        if id(node) in members:
            continue
        if isinstance(node, ast.arg):
            local.append(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.append(node.id)
        elif isinstance(node, _DEFINITION) and node is not definition:
            local.append(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            local.append(node.name)
    names = [name for name in dict.fromkeys(local) if name not in declared]
    return {name: f"_{number}" for number, name in enumerate(names)}


class _Rename(ast.NodeTransformer):
    """Rename the local names of a definition."""

    def __init__(self, names: Mapping[str, str]):
        self.names = names

    def _new(self, name):
        return self.names.get(name, name)

    def visit_Name(self, node):
        node.id = self._new(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self._new(node.arg)
        return self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        node.name = node.name and self._new(node.name)
        return self.generic_visit(node)

    def visit_Nonlocal(self, node):
        node.names = [self._new(name) for name in node.names]
        return node

    def _definition(self, node):
        node.name = self._new(node.name)
        return self.generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _definition
