"""Tests on the built book in _build/html (`make book`, or `make test` which builds it first).

They check what a reader gets: every page in _toc.yml was built; no page makes
the browser fetch anything from another host (the book works offline); MathJax
and the Korean web font come from the site itself; every internal link and
anchor resolves; launch buttons appear only when _config.yml names the public
repository; and every chapter page (book/chNN_*) has its figures, its length,
its exercise section with the notebook download and its Korean terms. The tests
marked `browser` open every page in a real headless Chromium and fail on any
request to another host, on any console error, when MathJax did not render, and
when a Korean glyph is not drawn with the web font (a missing-glyph box).

BOOK_HTML points them at a book built elsewhere (`jupyter-book build ...
--path-output DIR` writes DIR/_build/html), and BOOK_CONFIG at the _config.yml
it was built with.
"""

import functools
import http.server
import importlib.util
import os
import re
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from tests import answer_leaks

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
# BOOK_CONFIG: the _config.yml that built it (`jupyter-book build --config ...`).
CONFIG = yaml.safe_load(Path(os.environ.get("BOOK_CONFIG", ROOT / "_config.yml"))
                        .read_text(encoding="utf-8"))
CHROMIUM = Path("/usr/bin/chromium")
# Flags for a headless Chromium run as root that stays off the network by itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KOREAN_FONT = "Noto Sans KR"
CH01 = "book/ch01_regression"
CH01_LABELS = [
    "ch01-inverse-problem",
    "ch01-linear-model",
    "ch01-mse",
    "ch01-least-squares",
    "ch01-sigmoid",
    "ch01-logistic",
    "ch01-softmax",
    "ch01-real-data",
    "ch01-exercise",
]
CH01_TITLES = [
    "The linear model",
    "Measuring the fit: the mean squared error",
    "The least-squares solution",
    "The sigmoid",
    "Logistic regression",
    "Softmax regression",
]
CH01_KOREAN = [
    "회귀", "역문제", "독립 변수", "종속 변수", "단순 회귀", "다중 회귀", "가중치", "편향",
    "절편", "잔차", "손실 함수", "평균 제곱 오차", "최소 제곱법", "정규 방정식", "시그모이드",
    "로지스틱 회귀", "분류", "소프트맥스", "로짓", "신경망", "오버플로", "브로드캐스팅",
    "편미분", "그래디언트", "계획 행렬", "가능도", "과적합", "일반화",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HANGUL_IN_PARENS = re.compile(r"\(([\uac00-\ud7a3][\uac00-\ud7a3 ]*)[,)]")
CHAPTER_PAGE = re.compile(r"book/(ch(\d\d)_\w+)")


def _need_site():
    """Skip (locally) or fail (in CI) when the book has not been built."""
    if (SITE / "index.html").exists():
        return
    message = "the book is not built: run `make book` (or `make test`) first"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _toc_pages():
    """Return the page names in _toc.yml (root, chapters, sections), e.g. 'book/intro'."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    stack = list(toc.get("parts", [])) + list(toc.get("chapters", []))
    while stack:
        entry = stack.pop(0)
        if "file" in entry:
            pages.append(entry["file"])
        stack.extend(entry.get("chapters", []) + entry.get("sections", []))
    return pages


def _both_editions(pages):
    """``pages`` and their Korean twins (``ko/<page>``, book/_ext/editions.py)."""
    return [*pages, *(f"ko/{page}" for page in pages)]


def _chapter_params():
    """One pytest param per chapter page in _toc.yml, marked with its chapter (ch01 ...)."""
    params = []
    for page in _toc_pages():
        match = CHAPTER_PAGE.fullmatch(page)
        if match:
            params.append(pytest.param(page, id=match[1],
                                       marks=getattr(pytest.mark, f"ch{match[2]}")))
    return params


def _repository_url():
    """The public repository named in _config.yml ('' when none: an offline book)."""
    return ((CONFIG.get("repository") or {}).get("url") or "").strip()


@functools.cache
def _soup(page):
    """Parsed HTML of a built page, given as its name without suffix."""
    return BeautifulSoup((SITE / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def _article(page):
    """The main text of a page, without the theme's navigation around it."""
    return _soup(page).find("article", class_="bd-article")


def _prose_words(page):
    """Count the words of a page's prose: no code cells, outputs, code blocks or math."""
    article = BeautifulSoup(str(_article(page)), "html.parser")
    for tag in article.select("div.cell, pre, script, style, .math, span.math, div.math"):
        tag.decompose()
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", article.get_text(" ")))


def _auto_loaded_urls(soup):
    """URLs a browser fetches on its own when it opens the page (not plain links)."""
    urls = [t.get("src") for t in soup.find_all(["script", "img", "iframe", "source",
                                                  "video", "audio", "embed"])]
    fetched = {"stylesheet", "preload", "modulepreload", "icon", "prefetch"}
    for link in soup.find_all("link"):
        if fetched & set(link.get("rel", [])):
            urls.append(link.get("href"))
    return [u for u in urls if u]


def _is_external(url):
    """True for a URL that names a host other than this machine."""
    parsed = urlparse(url)
    return bool(parsed.netloc) and parsed.hostname not in {"localhost", "127.0.0.1"}


@functools.cache
def _ids(html_path):
    """The element ids (and legacy anchor names) of a built HTML file."""
    soup = BeautifulSoup(Path(html_path).read_text(encoding="utf-8"), "html.parser")
    return {t["id"] for t in soup.find_all(id=True)} | {
        a["name"] for a in soup.find_all("a", attrs={"name": True})}


def _broken_internal_links(html):
    """Internal links of one built page whose file or anchor does not exist."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    broken = []
    for a in soup.find_all("a", href=True):
        href = a["href"]
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = html if not parsed.path else (html.parent / unquote(parsed.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file)")
        elif parsed.fragment and target.suffix == ".html" and (
                unquote(parsed.fragment) not in _ids(target)):
            broken.append(f"{href} (no anchor)")
    return broken


def test_every_toc_page_was_built():
    _need_site()
    missing = [p for p in _both_editions(_toc_pages()) if not (SITE / f"{p}.html").is_file()]
    assert not missing, f"pages listed in _toc.yml without HTML: {missing}"
    assert {"book/intro", CH01, "book/glossary"} <= set(_toc_pages())


def test_no_page_loads_anything_from_another_host():
    _need_site()
    offenders = {}
    for html in sorted(SITE.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        bad = [u for u in _auto_loaded_urls(soup) if _is_external(u)]
        bad += [
            m for script in soup.find_all("script") if not script.get("src")
            for m in re.findall(r"https?://[^\s'\"]+", script.get_text()) if _is_external(m)
        ]
        if bad:
            offenders[str(html.relative_to(SITE))] = bad
    assert not offenders, f"pages that would reach another host: {offenders}"


def test_internal_links_and_anchors_resolve():
    _need_site()
    broken = {}
    for html in sorted(SITE.rglob("*.html")):
        bad = _broken_internal_links(html)
        if bad:
            broken[str(html.relative_to(SITE))] = bad
    assert not broken, f"internal links that lead nowhere: {broken}"


def test_link_check_catches_a_broken_link(tmp_path):
    page = tmp_path / "page.html"
    (tmp_path / "other.html").write_text('<p id="here">x</p>', encoding="utf-8")
    page.write_text('<a href="other.html#here">ok</a> <a href="other.html#gone">anchor</a>'
                    ' <a href="missing.html">file</a> <a href="#top">self</a>'
                    ' <a href="https://example.org/x">outside</a>', encoding="utf-8")
    assert _broken_internal_links(page) == [
        "other.html#gone (no anchor)", "missing.html (no file)", "#top (no anchor)"]


def test_launch_buttons_only_with_a_repository():
    """No Thebe anywhere; launch buttons exactly when _config.yml names the repository."""
    _need_site()
    for page in _toc_pages():
        assert "THEBE_JS_URL" not in str(_soup(page)), f"{page} carries the Thebe script"
    chapters = [p.values[0] for p in _chapter_params()]
    launch = {p: _soup(p).select(".dropdown-launch-buttons a, .launch-buttons a")
              for p in _toc_pages()}
    if not _repository_url():
        offenders = [p for p, links in launch.items() if links]
        assert not offenders, f"launch buttons without a repository in _config.yml: {offenders}"
        return
    for page in chapters:
        hrefs = [a.get("href", "") for a in launch[page]]
        assert any("mybinder.org" in h for h in hrefs), f"{page} has no Binder button"


def test_launch_setting_is_the_repository_url(monkeypatch):
    """book/_ext/site_launch.py: no repository, no launchers; a repository, all of them."""
    from types import SimpleNamespace

    monkeypatch.syspath_prepend(str(ROOT / "book" / "_ext"))  # as Sphinx loads it
    spec = importlib.util.spec_from_file_location(
        "site_launch", ROOT / "book" / "_ext" / "site_launch.py")
    site_launch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site_launch)

    offline = SimpleNamespace(html_theme_options={
        "repository_url": "", "launch_buttons": {"binderhub_url": "https://mybinder.org"}})
    site_launch.apply_repository_setting(None, offline)
    assert offline.html_theme_options["launch_buttons"] == {}

    online = SimpleNamespace(html_theme_options={
        "repository_url": "https://github.com/org/book", "repository_branch": "main",
        "launch_buttons": {"jupyterhub_url": "https://hub.example.edu"}})
    site_launch.apply_repository_setting(None, online)
    launch = online.html_theme_options["launch_buttons"]
    assert launch["binderhub_url"] and launch["colab_url"] and launch["thebe"] is False
    links = dict(site_launch.launch_links("https://github.com/org/book", "main", launch,
                                          "exercises/ch01_regression/regression.ipynb"))
    assert links["Open in Colab"] == ("https://colab.research.google.com/github/org/book/"
                                      "blob/main/exercises/ch01_regression/regression.ipynb")
    assert links["Binder"].startswith("https://mybinder.org/v2/gh/org/book/main?urlpath=")
    assert links["JupyterHub"].startswith("https://hub.example.edu/hub/user-redirect/git-pull?")


@pytest.mark.parametrize("page", _chapter_params())
def test_chapter_page_offers_its_notebook_for_download(page):
    _need_site()
    hrefs = [a["href"] for a in _soup(page).find_all("a", href=True)]
    notebook = [h for h in hrefs if h.endswith(f"_sources/{page}.ipynb")]
    assert notebook, f"{page} has no .ipynb download button"
    assert (SITE / page).parent.joinpath(notebook[0]).resolve().is_file(), notebook[0]


@pytest.mark.parametrize("page", ["book/intro", CH01])
def test_mathjax_is_served_from_the_site(page):
    _need_site()
    sources = [s.get("src", "") for s in _soup(page).find_all("script")]
    mathjax = [s for s in sources if "mathjax" in s.lower()]
    assert mathjax, f"{page} loads no MathJax"
    for src in mathjax:
        assert "_static/mathjax/" in src and not _is_external(src), src
        assert (SITE / page).parent.joinpath(src.split("?")[0]).resolve().is_file(), src


def test_korean_font_is_served_from_the_site():
    _need_site()
    css = [link["href"] for link in _soup("book/glossary").find_all("link", href=True)
           if "noto-sans-kr" in link["href"]]
    assert css, "the pages do not link the Korean web font (run `make book` to fetch it)"
    path = (SITE / "book").joinpath(css[0].split("?")[0]).resolve()
    assert path.is_file(), f"{css[0]} is linked but missing from the site"
    faces = re.findall(r"url\(\./([^)]+\.woff2)\)", path.read_text(encoding="utf-8"))
    assert len(faces) > 100, "the font stylesheet lists too few unicode-range slices"
    assert all((path.parent / f).is_file() for f in faces), "a font slice is missing"


@pytest.mark.parametrize("page", _chapter_params())
def test_chapter_has_at_least_four_figures_with_alt_text(page):
    _need_site()
    images = _article(page).select("figure img")
    assert len(images) >= 4, f"{page} shows {len(images)} figures, expected at least 4"
    for img in images:
        assert len(img.get("alt", "")) > 20, f"{page}: figure {img.get('src')} lacks alt text"
        assert (SITE / page).parent.joinpath(img["src"]).resolve().is_file(), img["src"]
    captions = _article(page).select("figure figcaption")
    assert len(captions) == len(images), f"{page}: every figure needs a caption"


@pytest.mark.parametrize("page", _chapter_params())
def test_chapter_prose_length(page):
    _need_site()
    words = _prose_words(page)
    assert 2500 <= words <= 6000, f"{page} has {words} words of prose, expected 2,500-6,000"


@pytest.mark.parametrize("page", _chapter_params())
def test_chapter_exercise_links_its_notebook(page):
    """`chNN-exercise` section: a download of exercises/<assignment>/<nb>.ipynb and its check."""
    _need_site()
    assignment = CHAPTER_PAGE.fullmatch(page)[1]
    label = f"{assignment[:4]}-exercise"
    anchor = _soup(page).find(id=label)
    assert anchor is not None, f"{page} has no section labelled ({label})="
    section = anchor if anchor.name == "section" else anchor.find_parent("section")
    links = [a["href"] for a in section.find_all("a", href=True)]
    downloads = [h for h in links if "_downloads/" in h and h.endswith(".ipynb")]
    assert downloads, f"{page}: the exercise section has no download link to a notebook"
    text = " ".join(section.get_text("").split())  # "" keeps highlighted code in one piece
    for href in downloads:
        notebook = Path(href).name
        assert (SITE / page).parent.joinpath(href).resolve().is_file(), href
        assert (ROOT / "exercises" / assignment / notebook).is_file(), (
            f"{page} offers {notebook}, which is not exercises/{assignment}/{notebook}")
        command = f"autograder check exercises/{assignment}/{notebook}"
        assert command in text, f"{page}: the exercise section lacks `{command}`"


@pytest.mark.parametrize("page", _chapter_params())
def test_chapter_gives_korean_terms_that_the_glossary_lists(page):
    _need_site()
    glossary = _article("book/glossary").get_text(" ")
    used = set(HANGUL_IN_PARENS.findall(_article(page).get_text(" ")))
    assert len(used) >= 5, f"{page} gives only {len(used)} Korean terms in parentheses"
    missing = sorted(term for term in used if term.strip() not in glossary)
    assert not missing, f"{page} uses Korean terms the glossary lacks: {missing}"


@pytest.mark.ch01
@pytest.mark.parametrize("label", CH01_LABELS)
def test_ch01_section_labels_exist(label):
    _need_site()
    assert _soup(CH01).find(id=label) is not None, f"no element with id={label!r} in chapter 1"


@pytest.mark.ch01
def test_ch01_section_titles():
    _need_site()
    headings = [h.get_text(" ", strip=True).rstrip("#").strip()
                for h in _article(CH01).find_all(["h2", "h3"])]
    for title in CH01_TITLES:
        assert any(h.endswith(title) for h in headings), f"no section titled {title!r}"


@pytest.mark.ch01
def test_ch01_gives_korean_names():
    _need_site()
    text = _article(CH01).get_text(" ")
    missing = [term for term in CH01_KOREAN if f"({term}" not in text]
    assert not missing, f"Korean names missing from chapter 1: {missing}"


@pytest.mark.ch01
def test_ch01_prints_no_graded_implementation():
    """The answers of the exercise are not shown before it (no `def` of a graded function)."""
    _need_site()
    graded = ["predict_linear", "mse", "mse_grad", "fit_line", "fit_least_squares", "sigmoid",
              "softmax", "predict_logistic", "r_squared"]
    code = " ".join(pre.get_text() for pre in _article(CH01).find_all("pre"))
    shown = [name for name in graded if re.search(rf"\bdef {name}\(", code)]
    assert not shown, f"chapter 1 prints the implementation of {shown}"


_KNOWN_LEAKS: dict[str, str] = {}


@pytest.mark.parametrize("source", [pytest.param(
    path, id=str(path.relative_to(ROOT)),
    marks=[pytest.mark.xfail(strict=True, reason=_KNOWN_LEAKS[str(path.relative_to(ROOT))])]
    if str(path.relative_to(ROOT)) in _KNOWN_LEAKS else [])
    for path in answer_leaks.readable_sources()])
def test_no_graded_answer_in_a_downloadable_source(source):
    """No chapter source (what a page offers for download) or released notebook shows an answer.

    Needs no book build: it reads book/*.md, the page's download, hidden cells included, and
    exercises/*/*.ipynb, and compares every function in them with the instructor's solutions.
    """
    found = answer_leaks.leaks(source, _graded_answers())
    assert not found, "graded answers readable before they are written: " + "; ".join(
        f"{leak.function} shows {leak.part} ({leak.evidence})"
        for leak in found)


@functools.cache
def _graded_answers():
    return answer_leaks.answers()


def test_answer_scan_finds_a_renamed_copy_and_passes_other_code(tmp_path):
    """The scan catches a copy with other names and no checks, and nothing in unrelated code."""
    graded = {"ch03_losses.binary_cross_entropy": _graded_answers()[
        "ch03_losses.binary_cross_entropy"]}
    copy = tmp_path / "copy.md"
    copy.write_text("```{code-cell} ipython3\n:tags: [remove-input]\n\n"
                    "def log_loss(prob, target):\n"
                    "    return -np.mean(target * np.log(prob) + (1 - target) * np.log(1 - prob))\n"
                    "```\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("```{code-cell} ipython3\ndef f(p):\n    return np.exp(-p) + 1\n```\n",
                     encoding="utf-8")
    leaks = [answer_leaks.leaks(path, graded) for path in (copy, other)]
    assert [leak.function for leak in leaks[0]] == ["log_loss"]
    assert leaks[1] == []


@pytest.mark.parametrize("source", answer_leaks.readable_sources(),
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_no_function_in_a_downloadable_source_earns_a_graded_part(source):
    """No function in a chapter source or released notebook passes a graded part's cases.

    Each function is bound to each part's name and judged on the visible cases and one
    hidden draw: an answer written with other tokens than the solution's is found too.
    """
    found = answer_leaks.behaves_like(source, _graded_behaviours())
    assert not found, "graded answers readable before they are written: " + "; ".join(
        f"{leak.function} earns {leak.part} ({leak.evidence})" for leak in found)


@functools.cache
def _graded_behaviours():
    return answer_leaks.behaviours()


def test_behaviour_scan_finds_an_answer_the_token_scan_misses(tmp_path):
    """A renamed, rewritten ReLU backward is found; a wrong one and an endless one are not."""
    graded = [b for b in _graded_behaviours() if b.name == "ch06_backprop.relu_backward"]
    page = tmp_path / "page.md"
    page.write_text("```{code-cell} ipython3\nimport numpy as np\n\n"
                    "def gate(upstream, inputs):\n"
                    "    return np.where(inputs > 0, upstream, np.zeros_like(upstream))\n\n"
                    "def gate_open_at_zero(upstream, inputs):\n"
                    "    return np.where(inputs >= 0, upstream, np.zeros_like(upstream))\n\n"
                    "def endless(upstream, inputs):\n    while True:\n        pass\n```\n",
                    encoding="utf-8")
    assert [leak.function for leak in answer_leaks.behaves_like(page, graded)] == ["gate"]
    assert answer_leaks.leaks(page, _graded_answers()) == []


def test_glossary_covers_every_korean_term_used():
    _need_site()
    glossary = _article("book/glossary").get_text(" ")
    used = {m for page in _toc_pages()
            for m in HANGUL_IN_PARENS.findall(_article(page).get_text(" "))}
    assert len(used) >= 30
    missing = sorted(term for term in used if term.strip() not in glossary)
    assert not missing, f"Korean terms used but not in the glossary: {missing}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site without logging every request to stderr."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_site():
    """Serve the built site on a free local port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by Playwright (skip locally, fail in CI, when absent)."""
    _need_site()
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Open the article's folded answers (<details>), then mark every element of the article
# whose own text contains Hangul, once the page's fonts have loaded; return how many.
_MARK_KOREAN_JS = """async () => {
    document.querySelectorAll("article.bd-article details").forEach(d => { d.open = true; });
    await document.fonts.ready;
    const article = document.querySelector("article.bd-article");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const parents = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (/[\\uac00-\\ud7a3]/.test(node.textContent)) parents.add(node.parentElement);
    }
    [...parents].forEach((element, i) => element.setAttribute("data-korean", i));
    return parents.size;
}"""


def _fonts_drawing(cdp, root, selector):
    """The fonts Chromium used for one element's text: {(family, is a web font): glyphs}."""
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {(f["familyName"], f["isCustomFont"]): f["glyphCount"] for f in fonts}


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _both_editions(_toc_pages()))
def test_page_in_a_real_browser(browser, served_site, page):
    outside, errors = [], []
    context = browser.new_context()
    tab = context.new_page()

    def block_outside(route):
        if _is_external(route.request.url):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    tab.route("**/*", block_outside)
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(f"{served_site}/{page}.html", wait_until="networkidle")
    if _soup(page).select(".math"):
        tab.wait_for_selector("mjx-container", state="attached", timeout=15_000)
    context.close()
    assert not outside, f"{page} requested other hosts: {outside}"
    assert not errors, f"{page} logged console errors: {errors}"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _both_editions(_toc_pages()))
def test_korean_renders_with_the_web_font(browser, served_site, page):
    """Every Hangul syllable of the page is drawn by the site's font, never as a missing glyph.

    Chromium reports which platform fonts drew the text of an element. Without
    the web font, a machine with no CJK font draws Hangul as the missing-glyph
    boxes of some Latin font, and the report names only that font.
    """
    _need_site()
    if not HANGUL.search(_article(page).get_text(" ")):
        pytest.skip(f"{page} has no Korean text")
    context = browser.new_context()
    tab = context.new_page()
    tab.route("**/*", lambda route: route.abort() if _is_external(route.request.url)
              else route.continue_())
    tab.goto(f"{served_site}/{page}.html", wait_until="networkidle")
    count = tab.evaluate(_MARK_KOREAN_JS)
    cdp = context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    wrong = {}
    for i in range(count):
        fonts = _fonts_drawing(cdp, root, f'[data-korean="{i}"]')
        # The font's own name table may add a style ("Noto Sans KR Thin"); Latin
        # text in the same element comes from the system font.
        if not any(web and family.startswith(KOREAN_FONT) for family, web in fonts):
            wrong[i] = fonts
    texts = tab.evaluate("""ids => ids.map(i => document.querySelector(
        `[data-korean="${i}"]`).textContent.trim().slice(0, 40))""", list(wrong)[:5])
    context.close()
    assert count > 0
    assert not wrong, (
        f"{page}: {len(wrong)} of {count} elements with Korean text were drawn without the "
        f"site's {KOREAN_FONT!r} (missing-glyph boxes or a system font), e.g. "
        f"{list(zip(texts, list(wrong.values())[:5], strict=True))}")


# ---- The book on a phone (390 px) and on a desktop (1280 px) ----

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Every page a reader can reach: the table of contents, the index and the search page.
ALL_PAGES = _both_editions([*_toc_pages(), "genindex", "search"])
# 9 pt, the smallest text a figure may show, in CSS pixels (96 per inch, 72 points per inch).
LEGIBLE_TEXT_PX = 9 * 96 / 72


def _open(browser, served_site, page, viewport):
    """Open a page at a viewport size, offline, once its fonts and formulas are drawn."""
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    tab.route("**/*", lambda route: route.abort() if _is_external(route.request.url)
              else route.continue_())
    tab.goto(f"{served_site}/{page}.html", wait_until="networkidle")
    if page in _both_editions(_toc_pages()) and _soup(page).select(".math"):
        tab.wait_for_selector("mjx-container", state="attached", timeout=30_000)
    tab.evaluate("document.fonts.ready.then(() => true)")
    return context, tab


def _visible_toggle(tab, kind):
    """The sidebar toggle (`primary` or `secondary`) that a reader sees on the page."""
    toggles = tab.locator(f"button.{kind}-toggle").filter(visible=True)
    assert toggles.count() >= 1, f"no visible {kind} sidebar toggle"
    return toggles.first


def _open_sidebar_on_a_phone(browser, served_site, kind):
    """Open Chapter 1 on a phone and tap its visible `primary` or `secondary` toggle."""
    context, tab = _open(browser, served_site, CH01, PHONE)
    _visible_toggle(tab, kind).click()
    dialog = tab.locator(f"#pst-{kind}-sidebar-modal")
    dialog.wait_for(state="visible", timeout=5_000)
    return context, tab, dialog


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_phone_opens_the_chapter_list_and_follows_a_link(browser, served_site):
    context, tab, dialog = _open_sidebar_on_a_phone(browser, served_site, "primary")
    dialog.locator("a[href*='ch02_perceptrons']").first.click()
    tab.wait_for_url("**/book/ch02_perceptrons.html", timeout=10_000)
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_phone_opens_the_page_contents_and_follows_a_link(browser, served_site):
    context, tab, dialog = _open_sidebar_on_a_phone(browser, served_site, "secondary")
    link = dialog.locator("a[href^='#']").nth(1)
    target = link.get_attribute("href")
    link.click()
    tab.wait_for_function("hash => location.hash === hash", arg=target, timeout=5_000)
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_desktop_toggle_hides_and_shows_the_chapter_list(browser, served_site):
    context, tab = _open(browser, served_site, CH01, DESKTOP)
    sidebar = tab.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = _visible_toggle(tab, "primary")
    toggle.click()
    sidebar.wait_for(state="hidden", timeout=5_000)
    toggle.click()
    sidebar.wait_for(state="visible", timeout=5_000)
    tab.wait_for_function("() => document.querySelector('#pst-primary-sidebar')"
                          ".getBoundingClientRect().left >= 0", timeout=5_000)
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", ALL_PAGES)
def test_page_does_not_scroll_sideways_on_a_phone(browser, served_site, page):
    """Long code, headings, tables and formulas stay within a 390 px screen."""
    context, tab = _open(browser, served_site, page, PHONE)
    widths = tab.evaluate("""() => {
        const root = document.scrollingElement;
        const wide = [...document.querySelectorAll("article *")]
            .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
            .filter(el => !el.closest("table, .math, mjx-container, pre, .highlight"))
            .slice(0, 5).map(el => el.tagName + ": " + el.textContent.trim().slice(0, 40));
        return {scroll: root.scrollWidth, client: root.clientWidth, wide};
    }""")
    context.close()
    assert widths["scroll"] <= widths["client"], (
        f"{page} is {widths['scroll'] - widths['client']} px wider than a phone's screen; "
        f"too wide: {widths['wide']}")


# Korean words that break across two lines: each run of Hangul in a text node whose
# characters lie on more than one line.
_KOREAN_WORDS_SPLIT_JS = """() => {
    const article = document.querySelector("article.bd-article");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const split = [];
    let words = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/[\\uac00-\\ud7a3]+/g)) {
            words += 1;
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) split.push(match[0]);
        }
    }
    return {words, split};
}"""


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _both_editions(_toc_pages()))
def test_korean_breaks_only_between_words_on_a_phone(browser, served_site, page):
    _need_site()
    if not HANGUL.search(_article(page).get_text(" ")):
        pytest.skip(f"{page} has no Korean text")
    context, tab = _open(browser, served_site, page, PHONE)
    found = tab.evaluate(_KOREAN_WORDS_SPLIT_JS)
    context.close()
    assert found["words"] > 0
    assert not found["split"], f"{page}: Korean words broken across lines: {found['split']}"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_search_results_quote_prose_without_markup(browser, served_site):
    """Result summaries show formulas without TeX delimiters and no download-button labels."""
    context, tab = _open(browser, served_site, "search", DESKTOP)
    tab.goto(f"{served_site}/search.html?q=design+matrix", wait_until="networkidle")
    tab.wait_for_selector("#search-results p.context", timeout=15_000)
    tab.wait_for_load_state("networkidle")
    summaries = tab.locator("#search-results p.context").all_inner_texts()
    context.close()
    assert len(summaries) >= 2
    markup = [s for s in summaries if re.search(r"\\\(|\\\)|\\\[|\\\]|\.pdf|\.ipynb", s)]
    assert not markup, f"search results show markup: {markup}"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize(("page", "twin"), [(CH01, f"ko/{CH01}"), (f"ko/{CH01}", CH01)])
def test_language_switch_sits_in_the_header_and_opens_the_twin(browser, served_site, page,
                                                                twin):
    context, tab = _open(browser, served_site, page, PHONE)
    inside = tab.evaluate("""() => {
        const link = document.querySelector("a.edition-switch").getBoundingClientRect();
        const bar = document.querySelector(".bd-header-article").getBoundingClientRect();
        return link.height > 0 && link.top >= bar.top && link.bottom <= bar.bottom;
    }""")
    tab.locator("a.edition-switch").click()
    tab.wait_for_url(f"**/{twin}.html", timeout=10_000)
    context.close()
    assert inside, f"{page}: the language switch is not inside the page's header bar"


# Words with particles: the Korean site's stemmer (book/_ext/korean_search.py) in the
# reader's browser must cut them as the index was cut at build time.
_KOREAN_WORDS = ["하강법을", "역전파에서는", "그래디언트의", "가중치", "학습률이다", "Softmax"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize(("query", "page"), [("하강법", "book/ch04_gradient_descent"),
                                             ("역전파를", "book/ch06_backprop")])
def test_korean_search_finds_a_term_whatever_its_particle(browser, served_site, query, page):
    spec = importlib.util.spec_from_file_location(
        "korean_search", ROOT / "book" / "_ext" / "korean_search.py")
    korean_search = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(korean_search)
    context, tab = _open(browser, served_site, "ko/search", DESKTOP)
    tab.goto(f"{served_site}/ko/search.html?q={quote(query)}", wait_until="networkidle")
    tab.wait_for_selector("#search-results li a", timeout=15_000)
    found = tab.locator("#search-results li a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    stems = tab.evaluate("words => words.map(w => new Stemmer().stemWord(w))", _KOREAN_WORDS)
    context.close()
    assert any(path.startswith(f"/ko/{page}.html") for path in found), (query, found)
    assert stems == [korean_search.stem(word) for word in _KOREAN_WORDS]


# Each figure a chapter's code drew (a cell's output, or glued into a figure directive):
# its address, its width on the page and in pixels.
_FIGURES = ".bd-article figure img, .bd-article .cell_output img"
_FIGURES_JS = """() => [...document.querySelectorAll(
        ".bd-article figure img, .bd-article .cell_output img")].map(img => ({
    src: new URL(img.currentSrc || img.src).pathname,
    shown: img.getBoundingClientRect().width,
    drawn: img.naturalWidth,
}))"""


def _smallest_text_px(src):
    """Height in image pixels of a built figure's smallest text (solutions.plots records it)."""
    from PIL import Image

    from solutions.plots import SMALLEST_TEXT_KEY

    with Image.open(SITE / unquote(src).lstrip("/")) as image:
        text = getattr(image, "text", {})
    assert SMALLEST_TEXT_KEY in text, (
        f"{src} does not record its text size: draw figures after "
        "solutions.plots.use_house_style() (and rebuild without the execution cache)")
    return float(text[SMALLEST_TEXT_KEY])


def _figures(tab, page):
    figures = tab.evaluate(_FIGURES_JS)
    if not figures:
        pytest.skip(f"{page} has no figures")
    for figure in figures:
        figure["text_px"] = _smallest_text_px(figure["src"]) * figure["shown"] / figure["drawn"]
    return figures


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _chapter_params())
def test_figures_are_legible_on_a_desktop(browser, served_site, page):
    """Every figure's smallest text shows at 9 pt or more on a 1280 px page."""
    context, tab = _open(browser, served_site, page, DESKTOP)
    figures = _figures(tab, page)
    context.close()
    small = [f"{Path(f['src']).name}: {f['text_px']:.1f} px ({f['drawn']} px wide shown at "
             f"{f['shown']:.0f})" for f in figures if f["text_px"] < LEGIBLE_TEXT_PX]
    assert not small, (f"{page}: figure text smaller than 9 pt ({LEGIBLE_TEXT_PX:.0f} px) on a "
                       f"desktop: {small}")


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _chapter_params())
def test_small_figures_open_full_size_on_a_phone(browser, served_site, page):
    """On a phone, a figure whose text shows under 9 pt opens at full size when tapped."""
    context, tab = _open(browser, served_site, page, PHONE)
    unreadable = []
    for i, figure in enumerate(_figures(tab, page)):
        if figure["text_px"] >= LEGIBLE_TEXT_PX:
            continue
        tab.locator(_FIGURES).nth(i).click()
        zoom = tab.locator("dialog.figure-zoom[open] img")
        zoom.wait_for(state="visible", timeout=5_000)
        shown = zoom.evaluate("img => img.getBoundingClientRect().width")
        text_px = _smallest_text_px(figure["src"]) * shown / figure["drawn"]
        sideways = tab.evaluate(
            "() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth")
        if text_px < LEGIBLE_TEXT_PX or sideways:
            unreadable.append(f"{Path(figure['src']).name}: {text_px:.1f} px when opened"
                              + (", the page scrolls sideways" if sideways else ""))
        zoom.click()  # a tap closes it
        tab.locator("dialog.figure-zoom[open]").wait_for(state="detached", timeout=5_000)
    context.close()
    assert not unreadable, f"{page}: figures unreadable on a phone: {unreadable}"
