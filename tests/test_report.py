"""The class report: pass rates, mistakes, missing students, figures; opened offline in Chromium.

The grades CSV is written from records made here (no kernel): four ch01
submissions, one not submitted, one not gradable.
"""

import csv
import os
from pathlib import Path

import pytest

from autograder import cli
from autograder.errors import UsageError
from autograder.export import write_grades_csv
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.report import write_report
from autograder.roster import NOT_SUBMITTED
from tests.test_book import CHROMIUM, CHROMIUM_ARGS

NAME = "ch01_regression"
PARTS = {part.name: float(part.points) for part in load(NAME).parts}
MAX = load(NAME).max_score


def _record(student: str, failed: dict[str, str], **extra) -> GradeRecord:
    """A graded record: full points but on ``failed`` parts, each with its matched mistake."""
    parts = {name: 0.0 if name in failed else points for name, points in PARTS.items()}
    mistakes = {part: mistake for part, mistake in failed.items() if mistake}
    return GradeRecord(student, NAME, sum(parts.values()), MAX, "ok", 7, parts,
                       mistakes=mistakes, **extra)


RECORDS = [
    _record("s1", {}),
    _record("s2", {"mse": "mean of absolute errors", "r_squared": "clipped at zero"}),
    _record("s3", {"mse": "mean of absolute errors"}),
    _record("s4", {"mse": "", "r_squared": "clipped at zero"}, flags=("imports solutions",)),
    GradeRecord("s5", NAME, None, MAX, NOT_SUBMITTED, 7),
    GradeRecord("<s6>", NAME, None, MAX, "invalid notebook JSON in regression.ipynb", 7),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_grades_csv(RECORDS, out / "grades.csv", [NAME])
    return out, *write_report(out)


def test_each_parts_pass_rate_and_most_matched_mistakes(report):
    _, _, table = report
    with table.open(newline="", encoding="utf-8") as handle:
        rows = {row["part"]: row for row in csv.DictReader(handle)}
    assert list(rows) == list(PARTS)
    assert (rows["mse"]["graded"], rows["mse"]["passed"], rows["mse"]["pass_rate"],
            rows["mse"]["mistakes"]) == ("4", "1", "0.2500", "mean of absolute errors (2)")
    assert (rows["r_squared"]["passed"], rows["r_squared"]["mistakes"]) == (
        "2", "clipped at zero (2)")
    assert (rows["sigmoid"]["passed"], rows["sigmoid"]["mistakes"]) == ("4", "")


def test_the_page_shows_scores_missing_students_and_flags(report):
    _, page, _ = report
    text = page.read_text(encoding="utf-8")
    scores = [MAX, MAX - PARTS["mse"] - PARTS["r_squared"], MAX - PARTS["mse"],
              MAX - PARTS["mse"] - PARTS["r_squared"]]
    assert f"4 graded; mean {sum(scores) / 4:.1f}" in text and "1 full marks" in text
    assert "s5" in text and NOT_SUBMITTED in text and "invalid notebook JSON" in text
    assert "&lt;s6&gt;" in text and "<s6>" not in text
    assert "imports solutions" in text
    assert text.count("src='data:image/png;base64,") == 1
    assert "http://" not in text and "https://" not in text


def test_a_folder_without_grades_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(UsageError, match="no such grades file"):
        write_report(tmp_path)
    assert cli.main(["report", str(tmp_path)]) == 2
    assert "no such grades file" in capsys.readouterr().err


@pytest.mark.browser
def test_the_report_opens_offline_in_a_browser_and_fits_a_phone(report):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{CHROMIUM} is missing")
    _, page, _ = report
    requests = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 390, "height": 800})
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(Path(page).as_uri(), wait_until="load")
        widths = tab.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        heading = tab.inner_text("h2")
        browser.close()
    assert widths and all(width > 0 for width in widths)
    assert overflow <= 0
    assert heading == NAME
    assert all(url.startswith(("file:", "data:")) for url in requests)
