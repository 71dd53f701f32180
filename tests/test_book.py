"""Tests on the built book in _build/html (`make book`, or `make test` which builds it first).

They check what a reader gets: every page in _toc.yml was built, no page makes
the browser fetch anything from another host (the book must work offline),
MathJax comes from the site itself, and chapter 1 has its figures, its length,
its section labels and its Korean terms. The last test opens every page in a
real headless Chromium and fails on any request to another host, on any
console error, and when MathJax did not render.
"""

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
# BOOK_HTML points the tests at a book built elsewhere (--path-output).
SITE = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
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
]
HANGUL_IN_PARENS = re.compile(r"\(([\uac00-\ud7a3][\uac00-\ud7a3 ]*)[,)]")

pytestmark = pytest.mark.ch01


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


def test_every_toc_page_was_built():
    _need_site()
    missing = [p for p in _toc_pages() if not (SITE / f"{p}.html").is_file()]
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


def test_no_thebe_or_launch_buttons():
    _need_site()
    for page in _toc_pages():
        text = str(_soup(page))
        assert "THEBE_JS_URL" not in text, f"{page} still carries the Thebe settings script"
        assert not _soup(page).select(".launch-buttons, .dropdown-launch-buttons"), page


@pytest.mark.parametrize("page", ["book/intro", CH01])
def test_mathjax_is_served_from_the_site(page):
    _need_site()
    sources = [s.get("src", "") for s in _soup(page).find_all("script")]
    mathjax = [s for s in sources if "mathjax" in s.lower()]
    assert mathjax, f"{page} loads no MathJax"
    for src in mathjax:
        assert "_static/mathjax/" in src and not _is_external(src), src
        assert (SITE / page).parent.joinpath(src.split("?")[0]).resolve().is_file(), src


def test_ch01_has_at_least_four_figures_with_alt_text():
    _need_site()
    images = _article(CH01).select("figure img")
    assert len(images) >= 4, f"chapter 1 shows {len(images)} figures, expected at least 4"
    for img in images:
        assert len(img.get("alt", "")) > 20, f"figure {img.get('src')} lacks alt text"
        assert (SITE / CH01).parent.joinpath(img["src"]).resolve().is_file(), img["src"]
    captions = _article(CH01).select("figure figcaption")
    assert len(captions) == len(images), "every figure needs a caption"


def test_ch01_prose_length():
    _need_site()
    words = _prose_words(CH01)
    assert 2500 <= words <= 6000, f"chapter 1 has {words} words of prose, expected 2,500-6,000"


@pytest.mark.parametrize("label", CH01_LABELS)
def test_ch01_section_labels_exist(label):
    _need_site()
    assert _soup(CH01).find(id=label) is not None, f"no element with id={label!r} in chapter 1"


def test_ch01_section_titles():
    _need_site()
    headings = [h.get_text(" ", strip=True).rstrip("#").strip()
                for h in _article(CH01).find_all(["h2", "h3"])]
    for title in CH01_TITLES:
        assert any(h.endswith(title) for h in headings), f"no section titled {title!r}"


def test_ch01_gives_korean_names():
    _need_site()
    text = _article(CH01).get_text(" ")
    missing = [term for term in CH01_KOREAN if f"({term}" not in text]
    assert not missing, f"Korean names missing from chapter 1: {missing}"


def test_glossary_covers_every_korean_term_used():
    _need_site()
    glossary = _article("book/glossary").get_text(" ")
    used = {m for page in _toc_pages()
            for m in HANGUL_IN_PARENS.findall(_article(page).get_text(" "))}
    assert len(used) >= 30
    missing = sorted(term for term in used if term.strip() not in glossary)
    assert not missing, f"Korean terms used but not in the glossary: {missing}"


def test_ch01_exercise_links_the_notebook_download():
    _need_site()
    section = _soup(CH01).find(id="ch01-exercise").find_parent("section")
    links = [a["href"] for a in section.find_all("a", href=True)]
    downloads = [h for h in links if h.endswith("regression.ipynb") and "_downloads/" in h]
    assert downloads, "the exercise section has no download link to regression.ipynb"
    assert (SITE / CH01).parent.joinpath(downloads[0]).resolve().is_file()
    assert "autograder check exercises/ch01_regression/regression.ipynb" in section.get_text()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site without logging every request to stderr."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_site():
    """Serve _build/html on a free local port; yield its base URL."""
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


@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("page", _toc_pages())
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
