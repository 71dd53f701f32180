"""The exercises in other languages: a notebook's language, translated messages, fallbacks."""

import ast

import nbformat
import numpy as np
import pytest

from autograder import i18n, visible
from autograder.course import SOURCE_DIR
from autograder.i18n import (
    DETAILS,
    ENGLISH,
    IN_ENGLISH,
    Translator,
    language_of,
    localise,
    numbered,
    paragraphs,
    translate_markdown,
    translator,
)
from autograder.judge import judge_part
from autograder.manifest import Within, known, load
from autograder.mistakes import mistake_outcomes, recognise

ASSIGNMENT = load("ch01_regression")
MSE = next(part for part in ASSIGNMENT.parts if part.name == "mse")
SUMMED = MSE.mistakes[0]
"""The catalogued mistake of summing instead of averaging."""


def _notebook(metadata):
    return nbformat.v4.new_notebook(metadata=metadata)


@pytest.mark.parametrize(("metadata", "language"), [
    ({"course": {"language": "ko"}}, "ko"),
    ({}, ENGLISH),
    ({"course": {"language": "en"}}, ENGLISH),
    ({"course": {"language": "../../etc"}}, ENGLISH),  # no path out of locales/
    ({"course": {"language": "zz"}}, ENGLISH),         # no such catalogue
    ({"course": {"language": ["ko"]}}, ENGLISH),
    ({"course": "ko"}, ENGLISH),
])
def test_the_notebooks_metadata_names_its_language_or_it_is_english(metadata, language):
    assert language_of(_notebook(metadata)) == language


def test_a_translation_that_loses_a_placeholder_shows_the_english():
    tr = Translator("ko", {"expected {expected}, got {got}": "기댓값 {expected}",
                           "at least {low}": "{low 이상", "Part": "문항"})
    assert tr.format("expected {expected}, got {got}", expected=1, got=2) == "expected 1, got 2"
    assert tr.format("at least {low}", low=3) == "at least 3"
    assert tr.text("Part") == "문항" and tr.text("Points") == "Points"


def test_a_hidden_cases_drawn_numbers_fill_its_one_catalogue_entry():
    template, numbers = numbered("dense_forward(x, w, b) with N=5, D=3, M=12 in float64")
    assert (template, numbers) == ("dense_forward(x, w, b) with N={0}, D={1}, M={2} in float64",
                                   ["5", "3", "12"])
    tr = Translator("ko", {template: "N={0}, D={1}, M={2}인 dense_forward(x, w, b), float64"})
    assert tr.numbered("dense_forward(x, w, b) with N=7, D=1, M=2 in float64") == (
        "N=7, D=1, M=2인 dense_forward(x, w, b), float64")
    assert tr.numbered("something else with N=7") == "something else with N=7"
    assert numbered("R^2 >= 0.9 on float32, x_2 and 1e4") == ("R^2 >= {0} on float32, x_2 and 1e4",
                                                              ["0.9"])


def _failed(case_id: str, mistaken: bool):
    """The grader's message for mse failing one case (summed when ``mistaken``), as judged."""
    cases = [(case_id, MSE.visible[0])]
    reference = ASSIGNMENT.reference_outcomes({"mse": cases})
    outcomes = mistake_outcomes(ASSIGNMENT, {**{p.name: [] for p in ASSIGNMENT.parts},
                                             "mse": cases})["mse"]
    learner = outcomes[SUMMED.name] if mistaken else {case_id: {"raised": "TypeError",
                                                                "message": "no"}}
    verdict = judge_part(MSE, cases, learner, reference)
    return recognise(MSE, verdict, cases, learner, outcomes).message


KOREAN = Translator("ko", {
    MSE.visible[0].what: "경우 설명", MSE.section.title: "1장, '평균 제곱 오차'",
    SUMMED.name: "실수 이름", SUMMED.hint: "힌트.", "wrong value": "잘못된 값",
    "raised": "예외 발생",
    "a hidden case failed ({kind}): {what} — see {section}": "숨겨진 경우 실패({kind}): {what} "
                                                             "— {section} 참고",
    "{what} ({detail}) — see {section}": "{what} ({detail}) — {section} 참고",
    "Looks like {name}: {hint} See {section}.": "이런 실수로 보인다: {name}. {hint} "
                                                "{section} 참고.",
    DETAILS[1]: "기댓값 {expected}, 실제 {got} (첫 차이: {value} 대 {reference}, {limit} 초과)",
})


def test_every_piece_of_a_visible_cases_message_is_translated():
    message = _failed("mse/v0", mistaken=True)
    assert message.startswith(MSE.visible[0].what) and f"Looks like {SUMMED.name}" in message
    korean = localise(message, MSE, KOREAN)
    assert korean.startswith("경우 설명 (기댓값 2.0, 실제 4.0 (첫 차이: 2.0 대 4.0, ")
    assert korean.endswith("초과)) — 1장, '평균 제곱 오차' (#ch01-mse) 참고. 이런 실수로 보인다: "
                           "실수 이름. 힌트. 1장, '평균 제곱 오차' (#ch01-mse) 참고.")
    assert localise(message, MSE, IN_ENGLISH) == message


def test_a_hidden_cases_message_is_translated_without_its_inputs():
    message = _failed("mse/h0", mistaken=False)
    assert message.startswith("a hidden case failed (raised): ")
    assert localise(message, MSE, KOREAN) == ("숨겨진 경우 실패(예외 발생): 경우 설명 — 1장, '평균 "
                                              "제곱 오차' (#ch01-mse) 참고")


def test_a_message_of_another_form_is_shown_as_it_is():
    assert localise("the kernel died", MSE, KOREAN) == "the kernel died"


def test_the_korean_catalogue_gives_the_message_frame_in_korean():
    korean = localise(_failed("mse/h0", mistaken=True), MSE, translator("ko", ASSIGNMENT.name))
    assert korean.startswith("숨겨진 경우 실패(") and "이런 실수로 보인다: " in korean


@pytest.mark.parametrize("name", known())
def test_paragraphs_put_together_give_the_cell_back(name):
    nb = nbformat.read(SOURCE_DIR / name / load(name).notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "\n\n".join(paragraphs(cell.source)) == cell.source
            assert translate_markdown(cell.source, IN_ENGLISH) == cell.source


def test_a_display_formula_with_a_blank_line_stays_one_paragraph():
    text = "Before.\n\n$$\na\n\nb\n$$\n\nAfter."
    assert paragraphs(text) == ["Before.", "$$\na\n\nb\n$$", "After."]


def _run_helpers(tr):
    scope = {}
    exec(visible.setup_cell(tr), scope)
    return scope


def test_the_korean_helpers_fail_with_korean_messages():
    scope = _run_helpers(translator("ko"))
    with pytest.raises(AssertionError,
                       match=r"^mse: 기댓값 형태 \(2,\), 실제 형태 \(3,\) — 1장 참고$"):
        scope["expect_close"](scope["np"].zeros(3), scope["np"].zeros(2), "mse", "1장")
    with pytest.raises(AssertionError, match="예외가 발생해야 하는데"):
        scope["expect_raises"](lambda: 1, "ValueError", "mse", "1장")


def test_english_helpers_are_the_released_ones_and_a_broken_translation_stays_english():
    assert visible.SETUP_HELPERS in visible.setup_cell()
    template = visible.helper_messages()[3]
    assert "{expected_array.shape}" in template
    broken = Translator("ko", {template: "{what}: 형태 {expected_array} — {see}",
                               visible.helper_messages()[0]: "{what}: \\'{see}\" {"})
    assert visible.setup_cell(broken) == visible.setup_cell()


def _without_words(source: str) -> str:
    """The cell's syntax tree with every string emptied: its code, not its messages.

    An f-string keeps its expressions, in any order (a translation may reorder them).
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
        elif isinstance(node, ast.JoinedStr):
            node.values = sorted((v for v in node.values if isinstance(v, ast.FormattedValue)),
                                 key=ast.dump)
    return ast.dump(tree)


@pytest.mark.parametrize("name", known())
def test_every_test_cell_in_korean_is_the_english_code_with_other_words(name):
    tr = translator("ko", name)
    for part in load(name).parts:
        english, korean = visible.test_cell(part), visible.test_cell(part, tr)
        assert _without_words(korean) == _without_words(english), part.name


def test_a_stated_range_check_in_korean_says_its_bounds_in_korean():
    (case,) = [case for part in load("ch04_gradient_descent").parts for case in part.visible
               if isinstance(case.check, Within) and case.check.measure is None]
    tr = Translator("ko", {"at least {low}": "{low} 이상", "at most {high}": "{high} 이하",
                           "within [{low}, {high}]": "[{low}, {high}] 범위",
                           "{what}: {measure} is {value}, not {bounds} — see {see}":
                           "{what}: {measure} = {value}, 요구 조건은 {bounds} — {see} 참고"})
    lines = visible._within_lines(case.check, "f()", "w", tr)
    scope = {"f": lambda: 9.0, "np": np, "see": "4장"}
    with pytest.raises(AssertionError,
                       match=r"^w: .* = 9, 요구 조건은 \[0\.485, 0\.515\] 범위 — 4장 참고$"):
        exec("\n".join(lines), scope)


def test_a_missing_or_broken_catalogue_leaves_the_english(tmp_path, monkeypatch):
    (tmp_path / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "ko" / "LC_MESSAGES" / "autograder.po").write_text("a line polib cannot read\n")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    tr = translator("ko", ASSIGNMENT.name)  # no exercise catalogue there at all
    assert (tr.table, tr.text("Part")) == ({}, "Part")
    message = _failed("mse/h0", mistaken=False)
    assert localise(message, MSE, tr) == message
