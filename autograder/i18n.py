"""The exercises in other languages: a notebook's language, the catalogues, translated messages.

English is the one source. A released notebook in another language (``exercises/ko/``)
says so in its metadata (``{"course": {"language": "ko"}}``); ``check`` and the feedback
page speak that language, the grades CSV stays English. The words come from gettext
catalogues made by :mod:`autograder.translations`:
``locales/<lang>/LC_MESSAGES/autograder.po`` (the grader's fixed phrases) and
``locales/<lang>/LC_MESSAGES/exercises/<assignment>.po`` (an assignment's text, its
cases' messages, its mistakes and the book sections it cites). An entry that is missing,
untranslated, fuzzy, or whose translation lost a ``{placeholder}`` shows the English:
a gap in a catalogue never stops a check or a grading run.
"""

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib
from nbformat import NotebookNode

from autograder.course import COURSE_ROOT
from autograder.manifest import Part, Section

__all__ = ["DETAILS", "ENGLISH", "IN_ENGLISH", "KINDS", "LOCALES", "METADATA", "Translator",
           "catalogue_path", "language_of", "languages", "localise", "numbered", "paragraphs",
           "translate_markdown", "translator"]

ENGLISH = "en"
LOCALES = COURSE_ROOT.parent / "locales"
"""One folder per language, as the book's editions have."""
METADATA = "course"
"""The notebook metadata key whose ``language`` names the notebook's language."""
_LANGUAGE = re.compile(r"[a-z]{2,3}")

KINDS = ("no answer", "wrong exception", "no exception", "raised", "warned", "wrong type",
         "wrong shape", "wrong dtype", "wrong value", "not reached")
"""What went wrong in a case, as :mod:`autograder.judge` and :mod:`autograder.checks` name it."""
DETAILS = (
    "expected {expected}, got {got} (first difference at flat index {index}: {value} vs "
    "{reference}, more than {limit} apart)",
    "expected {expected}, got {got} (first difference: {value} vs {reference}, more than "
    "{limit} apart)",
    "expected shape {expected}, got shape {got}",
    "expected dtype {expected}, got {got}",
    "expected {expected} to be raised, got a value",
    "expected a tuple of {count}, got {got}",
    "expected a number or array, got {got}",
    "expected {measure} as one number, got {got}",
    "{measure} is {value}, below the required {low}",
    "{measure} is {value}, above the allowed {high}",
    "{measure} is {value}, not a finite number",
    "{measure} could not be measured: {error}",
    "expected {expected}, got {got}",
    "the call did not finish or printed no result (see the status)",
    "emitted {warnings}",
)
"""The judge's details of a failed case, as templates, the most specific first."""
HIDDEN = "a hidden case failed ({kind}): {what} — see {section}"
VISIBLE = "{what} ({detail}) — see {section}"
LOOKS_LIKE = "Looks like {name}: {hint} See {section}."

_NUMBER = re.compile(r"(?<![\w.^])-?\d+(?:\.\d+)?(?![\w])")


def catalogue_path(language: str, domain: str) -> Path:
    """Return a catalogue's file: ``domain`` is ``autograder`` or ``exercises/<assignment>``."""
    return LOCALES / language / "LC_MESSAGES" / f"{domain}.po"


def numbered(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with each number as ``{0}``, ``{1}``... and the numbers.

    A hidden case's message names its drawn sizes (``"N=5, D=3"``); its catalogue entry
    is the message with the numbers as placeholders, so one entry serves every draw.
    """
    numbers = _NUMBER.findall(text)
    parts = _NUMBER.split(text.replace("{", "{{").replace("}", "}}"))
    return "".join(p + (f"{{{i}}}" if i < len(numbers) else "")
                   for i, p in enumerate(parts)), numbers


@functools.cache
def _settled(path: Path, stamp: int) -> dict[str, str]:
    """Return the settled translations of one catalogue (``stamp``: its mtime, for the cache)."""
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))
            if entry.msgstr and not entry.fuzzy and not entry.obsolete}


def _table(language: str, domain: str) -> dict[str, str]:
    path = catalogue_path(language, domain)
    try:
        return _settled(path, path.stat().st_mtime_ns)
    except (OSError, ValueError, UnicodeDecodeError):  # no catalogue, or an unreadable one
        return {}


def _fields(template: str) -> set[str]:
    """Return the ``{placeholders}`` of a template; raise ValueError when it is malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@dataclass(frozen=True)
class Translator:
    """English text to one language, with the English wherever a translation is missing."""

    language: str = ENGLISH
    table: Mapping[str, str] = field(default_factory=dict)

    def text(self, english: str) -> str:
        """Return the translation of ``english``, or ``english``."""
        return self.table.get(english, english)

    def format(self, english: str, **values: object) -> str:
        """Fill the translation of the template ``english`` (or ``english`` itself)."""
        translated = self.table.get(english, english)
        try:
            if _fields(translated) == _fields(english):
                return translated.format(**values)
        except (ValueError, IndexError, KeyError):
            pass  # a translation with broken placeholders: the English is right
        return english.format(**values)

    def numbered(self, english: str) -> str:
        """Translate a message that may name drawn numbers (see :func:`numbered`)."""
        if english in self.table:
            return self.table[english]
        template, numbers = numbered(english)
        translated = self.table.get(template)
        try:
            if translated and _fields(translated) == _fields(template):
                return translated.format(*numbers)
        except (ValueError, IndexError, KeyError):
            pass
        return english

    def section(self, section: Section) -> str:
        """How a message names a book section: its translated title and its label."""
        return f"{self.text(section.title)} (#{section.label})"


IN_ENGLISH = Translator()
"""The translator that leaves every text English."""


def translator(language: str, assignment: str | None = None) -> Translator:
    """Return the translator of one language: the grader's phrases and an assignment's text."""
    if language == ENGLISH:
        return IN_ENGLISH
    table = _table(language, "autograder")
    if assignment is not None:
        table = {**table, **_table(language, f"exercises/{assignment}")}
    return Translator(language, table)


def language_of(nb: NotebookNode) -> str:
    """Return the language a notebook's metadata states, or English.

    Anything but the code of a language with a folder in ``locales/`` counts as
    English, so a learner's edited metadata can point nowhere else.
    """
    metadata = nb.get("metadata", {}) if isinstance(nb, dict) else {}
    stated = metadata.get(METADATA, {}) if isinstance(metadata, dict) else {}
    language = stated.get("language") if isinstance(stated, dict) else None
    if (isinstance(language, str) and _LANGUAGE.fullmatch(language)
            and (LOCALES / language / "LC_MESSAGES").is_dir()):
        return language
    return ENGLISH


def _templated(template: str) -> re.Pattern:
    """Return a pattern that matches what ``template`` makes, one group per placeholder."""
    pieces = string.Formatter().parse(template)
    return re.compile("".join(re.escape(text) + (f"(?P<{name}>.+?)" if name else "")
                              for text, name, _, _ in pieces), re.S)


def _detail(detail: str, tr: Translator) -> str:
    """Translate a case's detail (or a hidden case's kind) by the first template it fits."""
    if detail in KINDS:
        return tr.text(detail)
    kind, sep, rest = detail.partition(": ")
    if sep and kind in KINDS:
        return f"{tr.text(kind)}: {_detail(rest, tr)}"
    for template in DETAILS:
        if match := _templated(template).fullmatch(detail):
            return tr.format(template, **{name: tr.text(value)
                                          for name, value in match.groupdict().items()})
    return detail  # the learner's own exception message, or a form not catalogued


def localise(message: str, part: Part, tr: Translator) -> str:
    """Translate one of the grader's messages about ``part`` (:mod:`autograder.judge`).

    The message is taken apart by the known phrases: the failing case's message, its
    detail, the book section, a catalogued mistake's sentence; a message of another form
    is returned as it is.
    """
    if tr.language == ENGLISH or not message:
        return message
    tail = ""
    for mistake in part.mistakes:
        if message.endswith(f". {mistake.sentence()}"):
            message = message[:-len(mistake.sentence()) - 2]
            tail = ". " + tr.format(LOOKS_LIKE, name=tr.text(mistake.name),
                                    hint=tr.text(mistake.hint),
                                    section=tr.section(mistake.section or part.section))
            break
    see = f" — see {part.section}"
    if not message.endswith(see):
        return message + tail
    body, section = message[:-len(see)], tr.section(part.section)
    hidden = "a hidden case failed ("
    if body.startswith(hidden) and "): " in body:
        shown, what = body[len(hidden):].split("): ", 1)  # a kind holds no "): "
        return tr.format(HIDDEN, kind=_detail(shown, tr), what=tr.numbered(what),
                         section=section) + tail
    for case in part.visible:
        if body.startswith(f"{case.what} (") and body.endswith(")"):
            detail = body[len(case.what) + 2:-1]
            return tr.format(VISIBLE, what=tr.text(case.what), detail=_detail(detail, tr),
                             section=section) + tail
    return message + tail


def paragraphs(markdown: str) -> list[str]:
    """Split a Markdown cell into the paragraphs a catalogue translates one by one.

    Paragraphs are separated by blank lines; a display formula (``$$``) or a code fence
    that holds a blank line stays in one piece.
    """
    pieces: list[str] = []
    for chunk in markdown.split("\n\n"):
        if pieces and (pieces[-1].count("$$") % 2 or pieces[-1].count("```") % 2):
            pieces[-1] += "\n\n" + chunk
        else:
            pieces.append(chunk)
    return [piece for piece in pieces if piece.strip()]


def translate_markdown(markdown: str, tr: Translator) -> str:
    """Return a Markdown cell with each paragraph translated (English where there is none)."""
    return "\n\n".join(tr.text(piece) for piece in paragraphs(markdown))


def languages() -> list[str]:
    """Return the languages the exercises are released in besides English (a catalogue each)."""
    return sorted(path.parents[1].name for path in LOCALES.glob("*/LC_MESSAGES/autograder.po"))
