"""Feedback pages: the learner's code beside each verdict, book links, a phone's width."""

import os
from dataclasses import replace

import nbformat
import pytest

from autograder.feedback import book_pages, write_feedback
from autograder.grading import MAX_CODE_CHARS, GradeRecord, answer_code
from autograder.manifest import load
from tests.test_book import CHROMIUM, CHROMIUM_ARGS

NAME = "ch01_regression"
ASSIGNMENT = load(NAME)
MSE = next(part for part in ASSIGNMENT.parts if part.name == "mse")
URL = "https://course.example.edu/dl"
LONG = "x" * 400


def _record(**extra) -> GradeRecord:
    parts = {part.name: float(part.points) for part in ASSIGNMENT.parts}
    parts["mse"] = 0.0
    message = f"expected 1.0, got {LONG} — see {MSE.section}"
    return GradeRecord("s1", NAME, sum(parts.values()), ASSIGNMENT.max_score, "ok", 1, parts,
                       {"mse": message}, **extra)


def _nb(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_the_code_shown_is_the_definition_the_notebook_binds_last():
    nb = _nb("def mse(y, t):\n    return 0", "def mse(y, t):\n    return ((y - t) ** 2).mean()",
             "print('not an answer')")
    expected = "def mse(y, t):\n    return ((y - t) ** 2).mean()"
    assert answer_code(nb, ASSIGNMENT) == {"mse": expected}


def test_overlong_code_is_cut_and_unreadable_notebooks_show_none():
    body = "\n".join(f"    a{i} = {i}" for i in range(2000))
    (code,) = answer_code(_nb(f"def mse(y, t):\n{body}\n    return a0"), ASSIGNMENT).values()
    assert len(code) < MAX_CODE_CHARS + 100 and code.endswith("(cut: too long to show)")
    assert answer_code(_nb("x = " + "(" * 5000 + ")" * 5000), ASSIGNMENT) == {}


def test_the_page_shows_the_learners_code_escaped_beside_the_verdict(tmp_path):
    code = "def mse(y, t):\n    return '</pre><script>alert(1)</script>'"
    page = write_feedback(_record(code={"mse": code}), tmp_path).read_text(encoding="utf-8")
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in page
    row = page[page.index("<td>mse</td>"):page.index("</tr>", page.index("<td>mse</td>"))]
    assert "class='fail'" in row and "your code" in row
    assert "&lt;/pre&gt;&lt;script&gt;" in row and "<script>" not in page


def test_book_references_link_only_when_the_book_has_an_address(tmp_path):
    label = MSE.section.label
    href = f"href='{URL}/{book_pages()[label]}#{label}'"
    linked = write_feedback(_record(), tmp_path / "a", book_url=URL).read_text(encoding="utf-8")
    plain = write_feedback(_record(), tmp_path / "b").read_text(encoding="utf-8")
    row = linked[linked.index("<td>mse</td>"):linked.index("</tr>", linked.index("<td>mse</td>"))]
    assert row.count(href) == 2  # in the message and the part's "Read:" line
    assert "href=" not in plain and f"(#{label})" in plain
    assert book_pages()[label].startswith("book/ch01_")


@pytest.mark.browser
def test_the_page_fits_a_phone(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{CHROMIUM} is missing")
    code = {"mse": "def mse(y, t):\n    return " + "+".join(["y"] * 200)}
    page = write_feedback(_record(code=code), tmp_path, book_url=URL)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 390, "height": 800})
        tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            "file:") else route.abort())
        tab.goto(page.as_uri())
        tab.click("summary")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        shown = tab.is_visible("pre")
        browser.close()
    assert overflow <= 0 and shown


def test_the_page_speaks_the_notebooks_language_and_keeps_its_links(tmp_path):
    """A Korean notebook's page: Korean words, the grader's message translated, links kept."""
    code = "def mse(y, t):\n    return '<b>'"
    judged = {"mse": f"{MSE.visible[0].what} (expected 1.0, got 2.0) — see {MSE.section}"}
    record = replace(_record(code={"mse": code}, flags=("f",)), messages=judged)
    korean = write_feedback(replace(record, language="ko"), tmp_path / "ko",
                            book_url=URL).read_text(encoding="utf-8")
    english = write_feedback(record, tmp_path / "en", book_url=URL).read_text(encoding="utf-8")
    assert "<html lang='ko'>" in korean and "<html lang='en'>" in english
    assert "<th>문항</th><th>결과</th><th>점수</th><th>이유</th>" in korean
    assert "<summary>내 코드</summary>" in korean and "강사를 위한 표시" in korean
    row = korean[korean.index("<td>mse</td>"):korean.index("</tr>", korean.index("<td>mse</td>"))]
    assert "class='fail'>실패</td>" in row and "기댓값 1.0, 실제 " in row
    assert f"href='{URL}/{book_pages()[MSE.section.label]}#{MSE.section.label}'" in row
    assert "&lt;b&gt;" in row and "<b>" not in korean
    assert "Part</th>" not in korean and "— see" not in korean and "Read:" not in korean
    assert "<th>Part</th>" in english and "— see" in english
