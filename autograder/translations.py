"""The exercises' catalogues: extract the English, merge it into each language, measure coverage.

Run from the repository root::

    python -m autograder.translations update ko     # English changed: refresh the catalogues
    python -m autograder.translations coverage ko   # per catalogue: entries, done, fuzzy, missing

``update`` writes ``locales/<lang>/LC_MESSAGES/autograder.po`` (the fixed phrases of the
notebooks' checking helpers, ``check`` and the feedback page) and
``locales/<lang>/LC_MESSAGES/exercises/<assignment>.po`` (the instructor notebook's
Markdown, one entry per paragraph; each case's message, visible and hidden, a hidden one
with its drawn numbers as ``{0}``, ``{1}``...; the measured quantities of stated-range
checks; the mistakes' names and hints; the titles of the book sections the parts cite,
each with the Korean book's heading as a comment). As the book's editions do: an entry
whose English is unchanged keeps its translation; a new entry close to a translated one
that went away arrives with that translation, marked fuzzy; any other translated entry
that went away stays, obsolete; an untranslated one is dropped. ``coverage`` exits 1
unless every entry is translated and settled. Then ``autograder release`` writes the translated
notebooks (``exercises/<lang>/``).
"""

import argparse
import difflib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
import polib

from autograder.course import COURSE_ROOT, SOURCE_DIR
from autograder.feedback import LABELS
from autograder.i18n import (
    DETAILS,
    HIDDEN,
    KINDS,
    LOCALES,
    LOOKS_LIKE,
    VISIBLE,
    catalogue_path,
    numbered,
    paragraphs,
)
from autograder.manifest import Assignment, Within, known, load
from autograder.release import CODE_NOTE
from autograder.selfcheck import PHRASES
from autograder.visible import BOUNDS, HEADER, MEASURED, NOT_WITHIN, helper_messages

__all__ = ["Coverage", "assignment_messages", "coverage", "fixed_messages", "main", "update"]

DRAWS = 10
"""Hidden draws read for their cases' messages (a message may name a drawn activation)."""
_HEADING = re.compile(r"^#+\s+(.+?)\s*$", re.M)

Message = tuple[str, str, str]
"""(English, comment for the translator, where it is used)."""


def fixed_messages() -> list[Message]:
    """Return the grader's own phrases: checking helpers, test cells, messages, check, feedback."""
    found = [(CODE_NOTE, "opens a translated notebook", "autograder/release.py")]
    found += [(text, "a visible test's failure message; keep every {...} as it is",
               "autograder/visible.py") for text in helper_messages()]
    found += [(text, "test cell comment or stated-range check", "autograder/visible.py")
              for text in (HEADER, *BOUNDS, MEASURED, NOT_WITHIN)]
    found += [(text, "the grader's message about a part", "autograder/judge.py")
              for text in (HIDDEN, VISIBLE, LOOKS_LIKE, *KINDS, *DETAILS)]
    found += [(text, "autograder check", "autograder/selfcheck.py") for text in PHRASES]
    found += [(text, "feedback page", "autograder/feedback.py") for text in LABELS]
    return found


def _book_heading(label: str, language: str) -> str:
    """Return the translated heading of the book section ``label``, or ``""``."""
    for page in sorted((COURSE_ROOT.parent / "book").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        at = text.find(f"({label})=\n")
        if at < 0:
            continue
        heading = _HEADING.search(text, at)
        path = LOCALES / language / "LC_MESSAGES" / "book" / f"{page.stem}.po"
        if heading and path.is_file():
            entry = polib.pofile(str(path)).find(heading.group(1))
            return entry.msgstr if entry else ""
    return ""


def _cases(assignment: Assignment) -> Iterator[tuple[str, object, bool]]:
    """Yield (part name, case, hidden) for the visible cases and ``DRAWS`` hidden draws."""
    for part in assignment.parts:
        yield from ((part.name, case, False) for case in part.visible)
    for seed in range(DRAWS):
        for name, cases in assignment.cases(seed).items():
            yield from ((name, case, True) for case_id, case in cases if "/h" in case_id)


def assignment_messages(assignment: Assignment, language: str) -> list[Message]:
    """Return an assignment's text: its notebook, cases, mistakes and cited book sections."""
    where = f"autograder/source/{assignment.name}/{assignment.notebook}"
    nb = nbformat.read(SOURCE_DIR / assignment.name / assignment.notebook, as_version=4)
    found = [(piece, "notebook text (Markdown)", f"{where}:cell {index}")
             for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
             for piece in paragraphs(cell.source)]
    for name, case, hidden in _cases(assignment):
        text = numbered(case.what)[0] if hidden else case.what
        found.append((text, f"{'a hidden' if hidden else 'a visible'} case of {name}"
                      + ("; {0}, {1}... are drawn numbers" if "{0}" in text else ""),
                      f"autograder/assignments/{assignment.name}.py"))
        if isinstance(case.check, Within):
            found.append((case.check.what, f"what a stated-range check of {name} measures",
                          f"autograder/assignments/{assignment.name}.py"))
    for part in assignment.parts:
        for section in (part.section, *(m.section for m in part.mistakes if m.section)):
            heading = _book_heading(section.label, language)
            found.append((section.title, f"book section {section.label}"
                          + (f"; its heading in the book: {heading}" if heading else ""),
                          f"autograder/assignments/{assignment.name}.py"))
        for mistake in part.mistakes:
            where_m = f"autograder/catalogues/{assignment.name}.py"
            found.append((mistake.name, f"a mistake in {part.name}, after 'Looks like'",
                          where_m))
            found.append((mistake.hint, f"the hint of that mistake in {part.name}", where_m))
    return found


def _merge(path, messages: list[Message], language: str) -> None:
    """Write ``messages`` into the catalogue at ``path``, keeping what translators did."""
    old = polib.pofile(str(path), wrapwidth=0) if path.is_file() else polib.POFile()
    current = {entry.msgid: entry for entry in old if not entry.obsolete}
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {"Project-Id-Version": "learning-to-learn exercises",
                          "Language": language, "MIME-Version": "1.0",
                          "Content-Type": "text/plain; charset=UTF-8",
                          "Content-Transfer-Encoding": "8bit"}
    wanted: dict[str, polib.POEntry] = {}
    for text, comment, where in messages:
        if text in wanted:
            if (where, "") not in wanted[text].occurrences:
                wanted[text].occurrences.append((where, ""))
            continue
        wanted[text] = polib.POEntry(msgid=text, comment=comment, occurrences=[(where, "")])
    gone = {msgid: e for msgid, e in current.items() if msgid not in wanted and e.msgstr}
    for text, entry in wanted.items():
        if text in current:
            entry.msgstr, entry.flags = current[text].msgstr, list(current[text].flags)
        elif close := difflib.get_close_matches(text, list(gone), n=1, cutoff=0.6):
            entry.msgstr, entry.flags = gone.pop(close[0]).msgstr, ["fuzzy"]
            entry.previous_msgid = close[0]
        catalogue.append(entry)
    for entry in [*gone.values(), *(e for e in old if e.obsolete)]:
        entry.obsolete = True
        catalogue.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))


def update(language: str, names: list[str] = ()) -> list:
    """Refresh the language's catalogues from the English (all assignments, or ``names``)."""
    written = [catalogue_path(language, "autograder")]
    _merge(written[0], fixed_messages(), language)
    for name in names or known():
        written.append(catalogue_path(language, f"exercises/{name}"))
        _merge(written[-1], assignment_messages(load(name), language), language)
    return written


@dataclass(frozen=True)
class Coverage:
    """How much of one catalogue's current English is translated."""

    domain: str
    entries: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        """Entries with no translation: absent from the catalogue or empty."""
        return self.entries - self.translated - self.fuzzy

    @property
    def complete(self) -> bool:
        """Every entry translated and settled."""
        return self.translated == self.entries


def coverage(language: str) -> list[Coverage]:
    """Compare the current English with each catalogue of the language."""
    domains = {"autograder": fixed_messages()}
    domains |= {f"exercises/{name}": assignment_messages(load(name), language)
                for name in known()}
    rows = []
    for domain, messages in domains.items():
        path = catalogue_path(language, domain)
        entries = ({e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}
                   if path.is_file() else {})
        ids = list(dict.fromkeys(text for text, _, _ in messages))
        fuzzy = sum(1 for i in ids if i in entries and entries[i].fuzzy)
        done = sum(1 for i in ids if i in entries and entries[i].msgstr and not entries[i].fuzzy)
        rows.append(Coverage(domain, len(ids), done, fuzzy))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m autograder.translations",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "coverage"))
    parser.add_argument("language", help="the language's code, e.g. ko")
    parser.add_argument("assignments", nargs="*", help="update: only these assignments")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z]{2,3}", args.language):
        parser.error(f"expected a language code such as ko, got {args.language!r}")
    if unknown := sorted(set(args.assignments) - set(known())):
        parser.error(f"unknown assignments {', '.join(unknown)}: expected some of "
                     f"{', '.join(known())}")
    if args.command == "update":
        for path in update(args.language, args.assignments):
            print(f"updated {path.relative_to(LOCALES.parent)}")
        return 0
    rows = coverage(args.language)
    print(f"{'catalogue':<34}{'entries':>8}{'done':>8}{'fuzzy':>8}{'missing':>8}")
    for r in rows:
        print(f"{r.domain:<34}{r.entries:>8}{r.translated:>8}{r.fuzzy:>8}{r.missing:>8}")
    return 0 if all(r.complete for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
