"""Figures' alt text in the page's language, on a translated build (the Korean edition).

Sphinx translates a page's paragraphs, captions and titles from its catalogue, but a
figure made from a notebook output gets its image after the messages are collected, so
its alt text stays English. ``book/_ext/editions.py`` puts each ``:alt:`` of a page into
its catalogue; this extension looks each image's alt text up there once the page is
resolved. A missing or fuzzy translation leaves the English, as Sphinx does for text.
"""

import functools
from pathlib import Path

import polib
from docutils import nodes


@functools.cache
def _translations(catalogue: Path) -> dict[str, str]:
    """Settled translations of one catalogue, English -> translated."""
    if not catalogue.is_file():
        return {}
    return {e.msgid: e.msgstr for e in polib.pofile(str(catalogue))
            if e.msgstr and not e.fuzzy and not e.obsolete}


def translate_alt(app, doctree, docname):
    """Replace each image's alt text by its translation in the page's catalogue."""
    language = app.config.language
    if not language or language == "en":
        return
    for folder in app.config.locale_dirs:
        catalogue = Path(app.confdir, folder, language, "LC_MESSAGES", f"{docname}.po")
        table = _translations(catalogue)
        for image in doctree.findall(nodes.image):
            if image.get("alt") in table:
                image["alt"] = table[image["alt"]]


def setup(app):
    """Translate alt texts once each page's references (and glued figures) are resolved."""
    app.connect("doctree-resolved", translate_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
