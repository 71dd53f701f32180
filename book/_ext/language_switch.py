"""A link at the top of each page to the same page in the book's other edition.

The English site is the build's root and the Korean one its ``ko/`` folder
(``book/_ext/editions.py``), with the same page names, so each page links to its
twin by a relative address: from ``book/ch01_regression.html`` to
``ko/book/ch01_regression.html`` and back. The head gets the matching
``<link rel="alternate" hreflang>`` too.
"""

from pathlib import Path

from markupsafe import escape

EDITIONS = {"en": "English", "ko": "한국어"}
"""Language code -> the name readers know it by, in that language."""
TEMPLATE = "language-switch.html"


def twin(pagename: str, language: str) -> tuple[str, str]:
    """Return (language, relative address) of ``pagename``'s twin in the other edition."""
    up = "../" * pagename.count("/")
    if language == "ko":
        return "en", f"{up}../{pagename}.html"
    return "ko", f"{up}ko/{pagename}.html"


def add_template(app, config):
    """Put the switch before the theme's header buttons, from our templates folder."""
    config.templates_path.append(str(Path(__file__).resolve().parent.parent / "_templates"))
    options = config.html_theme_options
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    options["article_header_end"] = [TEMPLATE, *(e for e in end if e != TEMPLATE)]


def add_context(app, pagename, templatename, context, doctree):
    """Give the template the twin page's language, name and address."""
    other, href = twin(pagename, app.config.language or "en")
    context["edition_switch"] = {"lang": other, "label": EDITIONS[other], "href": href}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other}" href="{escape(href)}">')


def setup(app):
    """Register the template and its context."""
    app.connect("config-inited", add_template)
    app.connect("html-page-context", add_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
