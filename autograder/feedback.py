"""Feedback for learners: one HTML page per submission that shows no hidden case."""

import html
from pathlib import Path

from autograder.escape import escape
from autograder.grading import GradeRecord
from autograder.manifest import load

__all__ = ["write_feedback"]

_STYLE = ("body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.45}"
          "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;"
          "padding:.3em .5em;text-align:left;vertical-align:top}.pass{color:#1a7f37}"
          ".fail{color:#b42318}")


def _html(text: str) -> str:
    """Escape text for HTML, and every character that could do harm (:mod:`autograder.escape`)."""
    return html.escape(escape(text))


def write_feedback(record: GradeRecord, folder: Path) -> Path:
    """Write ``folder/<student_id>/<assignment>/feedback.html`` and return its path.

    It lists each part with its points and, for a failed part, the message of
    its first failing case: visible cases with expected and actual values,
    hidden ones only by what they check. The status and the flags close it. Every
    text is escaped, whatever the learner's code raised or printed.
    """
    target = folder / escape(record.student_id) / escape(record.assignment) / "feedback.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    esc = _html
    score = ("not graded" if record.score is None
             else f"{record.score:g} / {record.max_score:g}")
    rows = []
    if record.max_score is not None:
        for part in load(record.assignment).parts:
            earned = record.parts.get(part.name)
            message = record.messages.get(part.name, "")
            verdict = ("—" if earned is None else "pass" if not message else "fail")
            points = "" if earned is None else f"{earned:g} / {part.points:g}"
            rows.append(f"<tr><td>{esc(part.name)}</td><td class='{verdict}'>{verdict}</td>"
                        f"<td>{points}</td><td>{esc(message)}</td></tr>")
    flags = "".join(f"<li>{esc(flag)}</li>" for flag in record.flags)
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Feedback: {esc(record.assignment)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{esc(record.assignment)}: {esc(score)}</h1>"
            f"<p>Student: {esc(record.student_id)}. Status: {esc(record.status)}.</p>"
            "<table><tr><th>Part</th><th>Result</th><th>Points</th><th>Why</th></tr>"
            f"{''.join(rows)}</table>"
            + (f"<h2>Flags for the instructor</h2><ul>{flags}</ul>" if flags else "")
            + "<p>Hidden cases are drawn afresh for each grading run; a failed hidden case is "
            "named by what it checks, never by its inputs.</p></body></html>")
    target.write_text(page, encoding="utf-8")
    return target
