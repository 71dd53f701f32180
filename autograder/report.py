"""The class report: where a class stands and where it struggles, from a run's grades CSV.

``autograder report OUT`` reads ``OUT/grades.csv`` and writes ``OUT/report.html``
and ``OUT/report.csv``. Per assignment: the score distribution (a histogram
and its summary numbers), each part's pass rate and the catalogued mistakes
(:mod:`autograder.mistakes`) most often matched on it; then the flagged rows
and the students with no score (not submitted, or not gradable) and why. The
figures are drawn with matplotlib when the report is written and embedded in
the page as PNG data, so it opens offline and can be mailed as one file. Every
text from the CSV is escaped (:mod:`autograder.escape`).
"""

import base64
import html
import io
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.escape import escape
from autograder.export import number_cell, read_grades_csv, text_cell, write_table
from autograder.grading import GradeRecord
from autograder.manifest import known, load

__all__ = ["PartStats", "part_stats", "write_report"]

REPORT_COLUMNS = ("assignment", "part", "points", "graded", "passed", "pass_rate",
                  "mistakes")
_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;"
          "line-height:1.45}table{border-collapse:collapse;width:100%}td,th{border-bottom:"
          "1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;"
          "overflow-wrap:anywhere}img{max-width:100%;height:auto}")


@dataclass(frozen=True)
class PartStats:
    """How one part went over the submissions that were graded."""

    assignment: str
    part: str
    points: float
    graded: int
    """Submissions with a score (the part's pass rate is over these)."""
    passed: int
    """Those that earned the part's full points."""
    mistakes: tuple[tuple[str, int], ...]
    """Catalogued mistakes matched on this part, most frequent first, with their counts."""

    @property
    def pass_rate(self) -> float | None:
        """Share of graded submissions that passed; None when none was graded."""
        return self.passed / self.graded if self.graded else None


def part_stats(records: Sequence[GradeRecord]) -> list[PartStats]:
    """Return the stats of each part of each known assignment among ``records``, in order."""
    stats = []
    for name in known():
        graded = [r for r in records if r.assignment == name and r.score is not None]
        if not any(r.assignment == name for r in records):
            continue
        for part in load(name).parts:
            mistakes = Counter(r.mistakes[part.name] for r in graded if part.name in r.mistakes)
            stats.append(PartStats(name, part.name, part.points, len(graded),
                                   sum(r.parts.get(part.name) == part.points for r in graded),
                                   tuple(mistakes.most_common())))
    return stats


def _esc(text: str) -> str:
    return html.escape(escape(text))


def _png(figure) -> str:
    """Return ``figure`` as an ``<img>`` of embedded PNG data, and close it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='' src='data:image/png;base64,{data}'>"


def _figures(name: str, scores: list[float], maximum: float, parts: list[PartStats]) -> str:
    """Draw the score histogram and the parts' pass rates of one assignment."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
    left.hist(scores, bins=10, range=(0, maximum), color="#4c72b0", edgecolor="white")
    left.set(xlabel=f"score (of {maximum:g})", ylabel="submissions", title=f"{name}: scores")
    rates = [100 * (p.pass_rate or 0) for p in parts]
    right.barh([p.part for p in parts][::-1], rates[::-1], color="#55a868")
    right.set(xlim=(0, 100), xlabel="passed (%)", title="pass rate per part")
    right.tick_params(axis="y", labelsize=8)
    return _png(figure)


def _summary(scores: list[float], maximum: float) -> str:
    if not scores:
        return "no graded submission"
    return (f"{len(scores)} graded; mean {statistics.fmean(scores):.1f}, median "
            f"{statistics.median(scores):g}, min {min(scores):g}, max {max(scores):g} "
            f"of {maximum:g}; {sum(s == maximum for s in scores)} full marks")


def _mistake_text(part: PartStats) -> str:
    return " | ".join(f"{name} ({count})" for name, count in part.mistakes)


def _assignment_section(name: str, records: Sequence[GradeRecord],
                        parts: list[PartStats]) -> str:
    maximum = load(name).max_score
    scores = [r.score for r in records if r.assignment == name and r.score is not None]
    rows = "".join(
        f"<tr><td>{_esc(p.part)}</td><td>{p.points:g}</td><td>{p.passed} / {p.graded}</td>"
        f"<td>{'' if p.pass_rate is None else f'{100 * p.pass_rate:.0f} %'}</td>"
        f"<td>{_esc(_mistake_text(p))}</td></tr>" for p in parts)
    figure = _figures(name, scores, maximum, parts) if scores else ""
    return (f"<section><h2>{_esc(name)}</h2><p>{_esc(_summary(scores, maximum))}</p>{figure}"
            "<table><tr><th>Part</th><th>Points</th><th>Passed</th><th>Pass rate</th>"
            f"<th>Mistakes matched (count)</th></tr>{rows}</table></section>")


def _rows_table(title: str, records: Sequence[GradeRecord], what) -> str:
    if not records:
        return f"<h2>{title}</h2><p>None.</p>"
    rows = "".join(f"<tr><td>{_esc(r.student_id)}</td><td>{_esc(r.assignment)}</td>"
                   f"<td>{_esc(what(r))}</td></tr>" for r in records)
    return (f"<h2>{title}</h2><table><tr><th>Student</th><th>Assignment</th><th></th></tr>"
            f"{rows}</table>")


def write_report(out: Path) -> tuple[Path, Path]:
    """Write ``out/report.html`` and ``out/report.csv`` from ``out/grades.csv``.

    Parameters
    ----------
    out : Path
        A grading run's output folder (the one holding ``grades.csv``).

    Returns
    -------
    html, csv : Path
        The two files written.

    Raises
    ------
    UsageError
        When ``out/grades.csv`` is missing or is not a grades CSV.
    """
    records = read_grades_csv(out / "grades.csv")
    stats = part_stats(records)
    sections = "".join(_assignment_section(name, records,
                                           [p for p in stats if p.assignment == name])
                       for name in dict.fromkeys(p.assignment for p in stats))
    missing = [r for r in records if r.score is None]
    flagged = [r for r in records if r.flags]
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>Class report</title><style>{_STYLE}</style></head><body>"
            f"<h1>Class report</h1><p>{len(records)} rows of {_esc(str(out / 'grades.csv'))}."
            "</p>" + sections
            + _rows_table("No score (not submitted or not gradable)", missing,
                          lambda r: r.status)
            + _rows_table("Flagged", flagged, lambda r: " | ".join(r.flags))
            + "</body></html>")
    page_path, table_path = out / "report.html", out / "report.csv"
    page_path.write_text(page, encoding="utf-8")
    write_table(table_path, REPORT_COLUMNS, (
        [text_cell(p.assignment), text_cell(p.part), number_cell(p.points), str(p.graded),
         str(p.passed), "" if p.pass_rate is None else f"{p.pass_rate:.4f}",
         text_cell(_mistake_text(p))] for p in stats))
    return page_path, table_path
