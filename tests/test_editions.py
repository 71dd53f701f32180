"""The Korean edition (book/_ext/editions.py and its Sphinx extensions), kept in step.

The catalogues must cover every current English message, settled (not fuzzy), with the
English entry's markup and the glossary's Korean terms; the built Korean site
(``_build/html/ko``, made by ``make book`` and ``make test``) must have every page, in
Korean, linked to its English twin and back, with figures described in Korean. The
checks themselves are tested on small catalogues made here, so that each can fail.
"""

import importlib.util
import os
import re
import sys
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _load(name):
    """Import one of the book's extension modules (book/_ext is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "book" / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


editions = _load("editions")
korean_search = _load("korean_search")
edition_downloads = _load("edition_downloads")
language_switch = _load("language_switch")


def _pages():
    """The English pages the table of contents lists, e.g. 'book/ch01_regression'."""
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _need_site():
    """Skip (locally) or fail (in CI) when the Korean site has not been built."""
    if (SITE / "ko" / "index.html").exists():
        return
    message = "the Korean edition is not built: run `make book` (or `make test`) first"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _catalogue(path, entries, fuzzy=()):
    """Write a catalogue of ``entries`` (msgid -> msgstr); ``fuzzy`` msgids are flagged."""
    catalogue = polib.POFile(wrapwidth=0)
    for msgid, msgstr in entries.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr,
                                       flags=["fuzzy"] if msgid in fuzzy else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))


# ---- The catalogues of this version --------------------------------------------------

@pytest.fixture(scope="module")
def english_messages():
    """The current English messages, one template per page (a gettext build, ~20 s)."""
    return editions.extract()


@pytest.mark.slow
def test_every_english_message_is_translated(english_messages):
    rows = editions.coverage("ko", english_messages)
    assert {row.page for row in rows} == set(_pages())
    incomplete = [row for row in rows if not row.complete]
    assert not incomplete, ("Korean catalogues behind the English (run `make translations`, "
                            "then translate):\n" + editions.report(rows))


def test_translations_keep_the_english_markup():
    problems = editions.markup_problems("ko")
    assert not problems, "\n".join(problems[:20])


def test_translations_use_the_glossary_terms():
    problems = editions.terminology_problems("ko")
    assert not problems, f"{len(problems)} entries:\n" + "\n".join(problems[:30])


def test_glued_text_names_its_page_and_format():
    """A translated paragraph is parsed apart from its page: same-page glue comes out empty."""
    loose = {}
    for page in (ROOT / "book").glob("*.md"):
        for role in re.findall(r"\{glue:text\}`([^`]*)`", page.read_text(encoding="utf-8")):
            if not re.fullmatch(rf"{re.escape(page.name)}::[^:`]+:[^:`]*", role):
                loose.setdefault(page.name, []).append(role)
    assert not loose, f"write {{glue:text}}`<page>.md::<key>:<format>`: {loose}"


# ---- The checks, on catalogues made here ---------------------------------------------

def test_coverage_counts_missing_empty_and_fuzzy_entries(tmp_path, monkeypatch):
    pots, locales = tmp_path / "pot", tmp_path / "locales"
    _catalogue(pots / "book" / "p.pot", dict.fromkeys(["One.", "Two.", "Three.", "Four."], ""))
    _catalogue(locales / "ko" / "LC_MESSAGES" / "book" / "p.po",
               {"One.": "하나.", "Two.": "", "Three.": "셋."}, fuzzy={"Three."})
    monkeypatch.setattr(editions, "LOCALES", locales)
    [row] = editions.coverage("ko", pots)
    assert (row.page, row.entries, row.translated, row.fuzzy, row.missing) == (
        "book/p", 4, 1, 1, 2)
    assert not row.complete
    assert "book/p" in editions.report([row])


@pytest.mark.parametrize(("english", "korean", "kept"), [
    ("See {ref}`the fit <ch01-fit>` and $w^2$.", "{ref}`적합 <ch01-fit>`과 $w^2$을 보라.", True),
    ("See {ref}`the fit <ch01-fit>`.", "{ref}`적합 <ch01-fit2>`을 보라.", False),
    ("Here $w^2$ grows.", "여기서 $w^3$이 자란다.", False),
    ("Call `np.sum`.", "`np.mean`을 부른다.", False),
    ("It is {glue:text}`p.md::k:.2f`.", "값은 {glue:text}`p.md::k:.2f`이다.", True),
    ("It is {glue:text}`p.md::k:.2f`.", "값은 {glue:text}`p.md::k:.3f`이다.", False),
    ("As in {eq}`eq-a`.", "식 {eq}`eq-a`에서처럼.", True),
    ("Read [the docs](https://numpy.org).", "[문서](https://numpy.org)를 읽는다.", True),
    ("Read [the docs](https://numpy.org).", "[문서](https://numpy.com)를 읽는다.", False),
    ("So $y = 3\\text{ cups}$.", "곧 $y = 3\\text{잔}$이다.", True),
    ("So $y = 3\\text{ cups}$.", "곧 $y = 4\\text{잔}$이다.", False),
    ("\\begin{aligned} a &= b \\text{ if } c \\end{aligned}",
     "\\begin{aligned} a &= b \\text{일 때 } c \\end{aligned}", False),
    ("\\begin{aligned} a &= b \\text{ if } c \\end{aligned}",
     "\\begin{aligned} a &= d \\text{일 때 } c \\end{aligned}", False),
])
def test_markup_check_keeps_targets_and_formulas_not_words(english, korean, kept):
    assert (editions.markup(english) == editions.markup(korean)) is kept


def test_terms_are_read_longest_first_outside_formulas():
    terms = {"gradient": "그래디언트", "gradient descent": "경사 하강법", "loss": "손실",
             "weight": "가중치"}
    found = editions.terms_used("Gradient descent lowers the losses; `weight` and $loss$.",
                                terms)
    assert found == ["gradient descent", "loss"]


def test_terminology_check_flags_another_name(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    (locales / "ko").mkdir(parents=True)
    (locales / "ko" / "edition.yml").write_text("terms:\n  excepted:\n    mean: verb\n")
    _catalogue(locales / "ko" / "LC_MESSAGES" / "book" / "p.po", {
        "The gradient of the loss.": "손실의 기울기.",        # slope, not gradient
        "The gradient means a lot.": "그래디언트는 많은 것을 뜻한다.",  # 'mean' excepted
    })
    monkeypatch.setattr(editions, "LOCALES", locales)
    problems = editions.terminology_problems("ko")
    assert len(problems) == 1 and "gradient -> 그래디언트" in problems[0]


def test_glossary_gives_each_term_its_first_korean_name():
    terms = editions.glossary()
    assert terms["backpropagation"] == "오차 역전파"
    assert terms["artificial neural network"] == "인공 신경망"
    assert terms["gradient"] == "그래디언트" and terms["slope"] == "기울기"
    assert len(terms) > 200


# ---- Search, switch and pages of the built site ---------------------------------------

@pytest.mark.parametrize(("word", "stem"), [
    ("하강법을", "하강법"), ("역전파에서는", "역전파"), ("그래디언트의", "그래디언트"),
    ("가중치", "가중치"), ("학습률이다", "학습률"), ("이다", "이다"), ("Gradient", "gradient"),
])
def test_search_stem_drops_korean_particles_only(word, stem):
    assert korean_search.stem(word) == stem


@pytest.mark.parametrize(("page", "language", "twin"), [
    ("book/ch01_regression", "en", ("ko", "../ko/book/ch01_regression.html")),
    ("book/ch01_regression", "ko", ("en", "../../book/ch01_regression.html")),
    ("genindex", "en", ("ko", "ko/genindex.html")),
    ("genindex", "ko", ("en", "../genindex.html")),
])
def test_switch_points_at_the_same_page_in_the_other_edition(page, language, twin):
    assert language_switch.twin(page, language) == twin


def test_korean_configuration_is_the_english_one_with_the_editions_values():
    """_config.ko.yml / _toc.ko.yml: same pages and settings; language, titles, captions."""
    import yaml

    config_path, toc_path = editions.templates("ko")
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    korean = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    assert korean["sphinx"]["config"]["language"] == "ko"
    assert korean["title"] != english["title"] and HANGUL.search(korean["title"])
    # Merged into what Jupyter Book makes of repository: and launch_buttons:, not replacing it.
    assert korean["sphinx"]["recursive_update"] is True
    assert korean["repository"] == english["repository"]
    assert korean["sphinx"]["config"]["extensions"] == english["sphinx"]["config"]["extensions"]
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    assert [c["file"] for part in toc["parts"] for c in part["chapters"]] == _pages()[1:]
    assert all(HANGUL.search(part["caption"]) for part in toc["parts"])


def test_download_moves_to_the_editions_notebook_only_where_it_exists(tmp_path):
    book, target = tmp_path / "book", "../exercises/ch01_regression/regression.ipynb"
    book.mkdir()
    assert edition_downloads.edition_target(target, "ko", book) == target
    korean = tmp_path / "exercises" / "ko" / "ch01_regression" / "regression.ipynb"
    korean.parent.mkdir(parents=True)
    korean.write_text("{}")
    assert edition_downloads.edition_target(target, "ko", book) == (
        "../exercises/ko/ch01_regression/regression.ipynb")
    assert edition_downloads.edition_target("../data/x.csv", "ko", book) == "../data/x.csv"


@pytest.mark.parametrize("page", _pages())
def test_each_page_links_to_its_twin_and_back(page):
    _need_site()
    english = SITE / f"{page}.html"
    korean = SITE / "ko" / f"{page}.html"
    for here, there in ((english, korean), (korean, english)):
        soup = BeautifulSoup(here.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("a.edition-switch")
        assert link is not None, f"{here} has no language switch"
        assert (here.parent / link["href"]).resolve() == there.resolve()


@pytest.mark.parametrize("page", _pages())
def test_korean_page_is_in_korean(page):
    """Declared Korean, its title and headings in Hangul, and its prose mostly Hangul."""
    _need_site()
    soup = BeautifulSoup((SITE / "ko" / f"{page}.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert soup.html["lang"] == "ko"
    article = soup.find("article", class_="bd-article")
    headings = [h.get_text(" ", strip=True) for h in article.find_all(["h1", "h2"])]
    assert all(HANGUL.search(h) for h in headings), [h for h in headings
                                                    if not HANGUL.search(h)]
    # Code, formulas, tables, and the cited works (authors and titles as published).
    for tag in article.select("div.cell, pre, .math, table, .highlight, section#further-reading"):
        tag.decompose()
    paragraphs = [p.get_text(" ", strip=True) for p in article.find_all("p")]
    english = [p for p in paragraphs if len(p) > 40 and not HANGUL.search(p)]
    assert not english, f"{page}: paragraphs left in English: {english[:3]}"


@pytest.mark.parametrize("page", _pages())
def test_korean_page_shows_every_display_formula_as_the_english_one(page):
    """A translated display formula would come out as ``::`` (see ``editions.markup``)."""
    _need_site()

    def formulas(path):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for number in soup.select("div.math span.eqno"):
            number.decompose()
        return [div.get_text().strip() for div in soup.select("div.math")]

    assert formulas(SITE / "ko" / f"{page}.html") == formulas(SITE / f"{page}.html")


@pytest.mark.parametrize("page", [p for p in _pages() if "/ch0" in p])
def test_figures_are_described_in_korean(page):
    _need_site()
    soup = BeautifulSoup((SITE / "ko" / f"{page}.html").read_text(encoding="utf-8"),
                         "html.parser")
    alts = [img.get("alt", "") for img in soup.find("article").find_all("img")]
    assert alts, f"{page} has no figures"
    english = [alt[:50] for alt in alts if not HANGUL.search(alt)]
    assert not english, f"{page}: alt texts left in English: {english}"
