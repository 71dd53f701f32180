"""The exercises' catalogues: made from the English, merged keeping translations, complete."""

import polib
import pytest

from autograder.i18n import catalogue_path
from autograder.manifest import known, load
from autograder.translations import (
    _merge,
    assignment_messages,
    coverage,
    fixed_messages,
    main,
)

LANGUAGE = "ko"


def _catalogue(path):
    return {entry.msgid: entry for entry in polib.pofile(str(path))}


def test_an_update_keeps_translations_marks_changed_ones_fuzzy_and_keeps_lost_work(tmp_path):
    path = tmp_path / "a.po"
    _merge(path, [("The mean squared error averages the squared differences.", "c", "w"),
                  ("Untranslated and gone.", "c", "w"), ("Kept.", "c", "w"),
                  ("Translated and gone for good.", "c", "w")], LANGUAGE)
    catalogue = polib.pofile(str(path))
    korean_texts = ("평균 제곱 오차는 제곱한 차이를 평균한다.", "", "유지.", "사라짐.")
    for entry, korean in zip(catalogue, korean_texts, strict=True):
        entry.msgstr = korean
    catalogue.save()
    _merge(path, [("Kept.", "c", "w"),
                  ("The mean squared error averages the squared differences of all entries.",
                   "c", "w"), ("New.", "c", "w2")], LANGUAGE)
    entries = _catalogue(path)
    assert entries["Kept."].msgstr == "유지." and not entries["Kept."].fuzzy
    changed = entries["The mean squared error averages the squared differences of all entries."]
    assert (changed.msgstr, changed.fuzzy) == ("평균 제곱 오차는 제곱한 차이를 평균한다.", True)
    assert changed.previous_msgid == "The mean squared error averages the squared differences."
    assert entries["New."].msgstr == "" and entries["New."].occurrences == [("w2", "")]
    assert entries["Translated and gone for good."].obsolete
    assert "The mean squared error averages the squared differences." not in entries  # reused
    assert "Untranslated and gone." not in entries
    assert polib.pofile(str(path)).metadata["Language"] == LANGUAGE


def _current(path) -> set[str]:
    return {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_the_grader_catalogue_holds_the_current_phrases():
    assert _current(catalogue_path(LANGUAGE, "autograder")) == {
        text for text, _, _ in fixed_messages()}, (
        "run `python -m autograder.translations update ko`, translate, then `autograder release`")


@pytest.mark.parametrize("name", known())
def test_each_assignments_catalogue_holds_its_current_text(name):
    """Every paragraph, case message, mistake and section of the assignment, and no other."""
    messages = {text for text, _, _ in assignment_messages(load(name), LANGUAGE)}
    assignment = load(name)
    assert {case.what for part in assignment.parts for case in part.visible} <= messages
    assert {m.hint for part in assignment.parts for m in part.mistakes} <= messages
    assert _current(catalogue_path(LANGUAGE, f"exercises/{name}")) == messages, (
        "run `python -m autograder.translations update ko`, translate, then `autograder release`")


def test_every_catalogue_entry_is_translated_and_settled():
    rows = coverage(LANGUAGE)
    assert [(r.domain, r.fuzzy, r.missing) for r in rows if not r.complete] == [], (
        "translate the entries `python -m autograder.translations coverage ko` counts, then "
        "run `autograder release` and commit exercises/ko/")


def test_coverage_prints_each_catalogue_and_fails_while_an_entry_is_missing(capsys):
    rows = coverage(LANGUAGE)
    assert main(["coverage", LANGUAGE]) == (0 if all(r.complete for r in rows) else 1)
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["catalogue", "entries", "done", "fuzzy", "missing"]
    assert [line.split() for line in out[1:]] == [
        [r.domain, *map(str, (r.entries, r.translated, r.fuzzy, r.missing))] for r in rows]
    assert [r.domain for r in rows] == ["autograder", *(f"exercises/{n}" for n in known())]
    assert rows[0].entries == rows[0].translated > 50  # the grader's phrases: translated


def test_an_unknown_assignment_or_language_is_refused(capsys):
    for argv in (["update", LANGUAGE, "ch99_nothing"], ["update", "../x"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    assert "unknown assignments ch99_nothing" in capsys.readouterr().err
