"""Feedback for learners: one HTML page per submission that shows no hidden case.

The page speaks the language of the learner's notebook (:attr:`GradeRecord.language`,
:mod:`autograder.i18n`): its headings, labels and the grader's messages; the grades CSV
stays English.
"""

import functools
import html
import re
from pathlib import Path

from autograder.course import COURSE_ROOT
from autograder.escape import escape
from autograder.grading import GradeRecord
from autograder.i18n import localise, translator
from autograder.manifest import load

__all__ = ["LABELS", "book_pages", "write_feedback"]

LABELS = ("not graded", "Feedback: {assignment}", "Student: {student}. Status: {status}.",
          "Part", "Result", "Points", "Why", "pass", "fail", "your code", "Read: {section}",
          "Flags for the instructor",
          "Hidden cases are drawn afresh for each grading run; a failed hidden case is named "
          "by what it checks, never by its inputs.")
"""The page's own words, for the catalogues (:mod:`autograder.translations`)."""

_STYLE = ("body{font-family:sans-serif;max-width:52em;margin:1em auto;padding:0 1em;"
          "line-height:1.45;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%}"
          "td,th{border-bottom:1px solid #ccc;padding:.3em .5em;text-align:left;"
          "vertical-align:top}.pass{color:#1a7f37}.fail{color:#b42318}"
          "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:.5em;"
          "margin:.3em 0;font-size:.9em}details{margin:.2em 0}")
_LABEL_LINE = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
_CITED_LABEL = re.compile(r"\(#([A-Za-z0-9_-]+)\)")


@functools.cache
def book_pages() -> dict[str, str]:
    """Return each MyST label of the book (``(label)=``) and the page that holds it."""
    return {match.group(1): f"book/{path.stem}.html"
            for path in sorted((COURSE_ROOT.parent / "book").glob("*.md"))
            for match in _LABEL_LINE.finditer(path.read_text(encoding="utf-8"))}


def _linked(escaped: str, book_url: str) -> str:
    """Turn each ``(#label)`` of escaped HTML into a link into the book at ``book_url``."""
    if not book_url:
        return escaped

    def link(match: re.Match) -> str:
        page = book_pages().get(match.group(1))
        if page is None:
            return match.group(0)
        href = html.escape(f"{book_url.rstrip('/')}/{page}#{match.group(1)}")
        return f"(<a href='{href}'>#{match.group(1)}</a>)"

    return _CITED_LABEL.sub(link, escaped)


def _html(text: str) -> str:
    """Escape text for HTML, and every character that could do harm (:mod:`autograder.escape`)."""
    return html.escape(escape(text))


def write_feedback(record: GradeRecord, folder: Path, *, book_url: str = "") -> Path:
    """Write ``folder/<student_id>/<assignment>/feedback.html`` and return its path.

    It lists each part with its points, the book section that explains it and,
    for a failed part, the message of its first failing case: visible cases with
    expected and actual values, hidden ones only by what they check. Under each
    part, the learner's own code for it (:attr:`GradeRecord.code`). The status and
    the flags close it. Every text is escaped, whatever the learner's code raised
    or printed. With ``book_url`` (the published book's address), each book
    reference links to its section. The page fits a phone's width.
    """
    target = folder / escape(record.student_id) / escape(record.assignment) / "feedback.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    esc = _html
    tr = translator(record.language, record.assignment)
    score = (tr.text("not graded") if record.score is None
             else f"{record.score:g} / {record.max_score:g}")
    rows = []
    if record.max_score is not None:
        for part in load(record.assignment).parts:
            earned = record.parts.get(part.name)
            message = localise(record.messages.get(part.name, ""), part, tr)
            verdict = ("—" if earned is None else "pass" if not message else "fail")
            shown_verdict = tr.text(verdict)
            points = "" if earned is None else f"{earned:g} / {part.points:g}"
            code = record.code.get(part.name)
            shown = (f"<details><summary>{esc(tr.text('your code'))}</summary>"
                     f"<pre>{esc(code)}</pre></details>" if code else "")
            read = tr.format("Read: {section}", section=tr.section(part.section))
            rows.append(f"<tr><td>{esc(part.name)}</td><td class='{verdict}'>"
                        f"{esc(shown_verdict)}</td><td>{points}</td>"
                        f"<td>{_linked(esc(message), book_url)}"
                        f"<br>{_linked(esc(read), book_url)}{shown}</td></tr>")
    flags = "".join(f"<li>{esc(flag)}</li>" for flag in record.flags)
    headings = "".join(f"<th>{esc(tr.text(label))}</th>"
                       for label in ("Part", "Result", "Points", "Why"))
    title = tr.format("Feedback: {assignment}", assignment=record.assignment)
    who = tr.format("Student: {student}. Status: {status}.", student=record.student_id,
                    status=record.status)
    page = (f"<!DOCTYPE html><html lang='{esc(tr.language)}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{esc(record.assignment)}: {esc(score)}</h1>"
            f"<p>{esc(who)}</p><table><tr>{headings}</tr>{''.join(rows)}</table>"
            + (f"<h2>{esc(tr.text('Flags for the instructor'))}</h2><ul>{flags}</ul>"
               if flags else "")
            + f"<p>{esc(tr.text(LABELS[-1]))}</p></body></html>")
    target.write_text(page, encoding="utf-8")
    return target
