"""The book's other editions (Korean): configuration, catalogues, build and coverage.

The English pages are the one source. Each other edition is a set of gettext catalogues,
one per page, in ``locales/<lang>/LC_MESSAGES/<page>.po``, one for the words of the theme
and of Sphinx that their own catalogues leave in English (``sphinx.po``), and a few values
of its own in ``locales/<lang>/edition.yml`` (title, author, table-of-contents captions,
Sphinx settings). Run from the
repository root with the book's environment::

    python book/_ext/editions.py update ko    # English changed: refresh the catalogues
    python book/_ext/editions.py build ko     # _build/html/ko/, from the shared outputs
    python book/_ext/editions.py coverage ko  # per page: entries, translated, fuzzy, missing
    python book/_ext/editions.py markup ko    # translations that lost or changed markup
    python book/_ext/editions.py terms ko     # glossary terms translated by another name

``update`` extracts the English messages with Sphinx's gettext builder (into
``_build/pot``, its own output folder) and merges them into the catalogues with
sphinx-intl: a new paragraph arrives untranslated, a changed one fuzzy (its old
translation kept as a hint), and neither is shown until a translator settles it.
``build`` writes ``_config.<lang>.yml`` and ``_toc.<lang>.yml`` beside the English ones
and builds into ``_build/<lang>``, reading the chapters' outputs from the English build's
execution cache (nothing is executed again), then copies the site into
``_build/html/<lang>/``. ``coverage`` exits 1 when an entry of the current English
messages is missing, untranslated or fuzzy in a catalogue. ``markup`` exits 1 when a
translation does not carry its English entry's markup unchanged: the same formulas, code,
glued values, equation and figure references, cross-reference and link targets (the
words of a reference or link are translated; where it points is not). ``terms`` exits 1
when an English entry uses a term of the glossary (``book/glossary.md``, the one source
of each term's Korean name and spacing) and its translation lacks the glossary's first
Korean name for it; ``terms`` in ``edition.yml`` lists the few English words excepted.
"""

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
POT = ROOT / "_build" / "pot"
BIN = Path(sys.executable).parent


def _jupyter_book(*args: str) -> None:
    """Run ``jupyter-book build`` on the book; raise when it fails."""
    subprocess.run([str(BIN / "jupyter-book"), "build", *args, str(ROOT)], check=True)


def _merge(into: dict, values: dict) -> None:
    """Set ``values`` in ``into``, merging nested dictionaries key by key."""
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def templates(lang: str) -> tuple[Path, Path]:
    """Write ``_config.<lang>.yml`` and ``_toc.<lang>.yml`` from the English ones.

    Returns
    -------
    config, toc : Path
        The two files written (both git-ignored: they are made from the English ones).
    """
    values = yaml.safe_load((LOCALES / lang / "edition.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.update(title=values["title"], author=values["author"])
    config["sphinx"]["config"]["language"] = lang
    _merge(config["sphinx"]["config"], values.get("sphinx_config", {}))
    # Merge dictionaries such as html_theme_options into the ones Jupyter Book makes from
    # the rest of the file (repository, launch buttons), rather than replace them.
    config["sphinx"]["recursive_update"] = True
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", ()):
        part["caption"] = values["captions"][part["caption"]]
    header = (f"# Made by book/_ext/editions.py from _config.yml / _toc.yml and "
              f"locales/{lang}/edition.yml; edit those.\n")
    paths = ROOT / f"_config.{lang}.yml", ROOT / f"_toc.{lang}.yml"
    for path, data in zip(paths, (config, toc), strict=True):
        path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return paths


_ALT = re.compile(r"^:alt:[ \t]*(.+?)[ \t]*$", re.M)


def add_alt_texts(pots: Path) -> None:
    """Add each page's figure alt texts to its template (Sphinx extracts none of them).

    A figure's image is made from a notebook output after the messages are collected, so
    its ``:alt:`` option reaches no catalogue; book/_ext/alt_text.py translates it.
    """
    for pot in pots.rglob("*.pot"):
        page = pot.relative_to(pots).with_suffix("").as_posix()
        source = ROOT / f"{page}.md"
        if not source.is_file():
            continue
        catalogue = polib.pofile(str(pot), wrapwidth=0)
        known = {entry.msgid for entry in catalogue}
        text = source.read_text(encoding="utf-8")
        for match in _ALT.finditer(text):
            if match.group(1) not in known:
                line = text.count("\n", 0, match.start()) + 1
                catalogue.append(polib.POEntry(msgid=match.group(1), comment="alt text",
                                               occurrences=[(f"{page}.md", str(line))]))
                known.add(match.group(1))
        catalogue.save()


def extract() -> Path:
    """Extract the English messages, one ``.pot`` per page; return their folder."""
    _jupyter_book("--builder", "custom", "--custom-builder", "gettext",
                  "--path-output", str(POT))
    pots = POT / "_build" / "gettext"
    add_alt_texts(pots)
    return pots


def update(lang: str, pages: list[str] = ()) -> None:
    """Merge the current English messages into the edition's catalogues (or ``pages``')."""
    pots = extract()
    if pages:
        chosen = POT / "chosen"
        shutil.rmtree(chosen, ignore_errors=True)
        for page in pages:
            (chosen / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(pots / f"{page}.pot", chosen / f"{page}.pot")
        pots = chosen
    subprocess.run([str(BIN / "sphinx-intl"), "update", "-p", str(pots), "-l", lang,
                    "-d", str(LOCALES)], check=True)
    for page in pages or [p.relative_to(pots).with_suffix("") for p in pots.rglob("*.pot")]:
        path = LOCALES / lang / "LC_MESSAGES" / f"{page}.po"
        catalogue = polib.pofile(str(path), wrapwidth=0)
        catalogue.metadata_is_fuzzy = False  # the template's header flag, not a message's
        for entry in catalogue.obsolete_entries():
            catalogue.remove(entry)  # a paragraph gone (a changed one came back fuzzy)
        catalogue.save()


def build(lang: str) -> Path:
    """Build the edition into ``_build/html/<lang>/`` (the English build runs first)."""
    config, toc = templates(lang)
    out = ROOT / "_build" / lang
    _jupyter_book("-W", "-n", "--keep-going", "--config", str(config), "--toc", str(toc),
                  "--path-output", str(out))
    site = ROOT / "_build" / "html" / lang
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(out / "_build" / "html", site)
    return site


@dataclass(frozen=True)
class Coverage:
    """How much of one page's current English messages its catalogue translates."""

    page: str
    entries: int
    translated: int
    fuzzy: int
    missing: int
    """Entries with no translation: absent from the catalogue or with an empty one."""

    @property
    def complete(self) -> bool:
        """Every entry translated and settled."""
        return self.translated == self.entries


def coverage(lang: str, pots: Path) -> list[Coverage]:
    """Compare each page's messages (``pots``) with the edition's catalogue of it."""
    rows = []
    for pot in sorted(pots.rglob("*.pot")):
        page = pot.relative_to(pots).with_suffix("").as_posix()
        po_path = LOCALES / lang / "LC_MESSAGES" / f"{page}.po"
        entries = {e.msgid: e for e in polib.pofile(str(po_path))} if po_path.exists() else {}
        ids = [e.msgid for e in polib.pofile(str(pot))]
        fuzzy = sum(1 for i in ids if i in entries and "fuzzy" in entries[i].flags)
        translated = sum(1 for i in ids if i in entries and entries[i].msgstr
                         and "fuzzy" not in entries[i].flags)
        rows.append(Coverage(page, len(ids), translated, fuzzy, len(ids) - translated - fuzzy))
    return rows


def report(rows: list[Coverage]) -> str:
    """Format the coverage as a table, one line per page and a total."""
    lines = [f"{'page':<28}{'entries':>8}{'done':>8}{'fuzzy':>8}{'missing':>8}"]
    for r in rows:
        lines.append(f"{r.page:<28}{r.entries:>8}{r.translated:>8}{r.fuzzy:>8}{r.missing:>8}")
    total = [sum(getattr(r, f) for r in rows) for f in ("entries", "translated", "fuzzy",
                                                        "missing")]
    lines.append(f"{'total':<28}" + "".join(f"{n:>8}" for n in total))
    return "\n".join(lines)


_ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
_TARGET = re.compile(r"<([^<>]+)>\s*$")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_CODE = re.compile(r"``.+?``|`[^`]+`")
_LINK = re.compile(r"\]\(([^()\s]+)\)")


_WORDS_IN_MATH = re.compile(r"\\(?:text|textrm|mbox)\{[^{}]*\}")
_COMMAND = re.compile(r"\\[A-Za-z]+(?:\{[A-Za-z*]*\})?")


def _formula(math: str) -> str:
    r"""Return a formula without the words of its ``\text{...}``: those are translated."""
    return _WORDS_IN_MATH.sub(r"\\text{}", math)


def _is_formula(text: str) -> bool:
    """Whether an entry is a display formula without ``$`` (an amsmath environment)."""
    bare = _COMMAND.sub(" ", _WORDS_IN_MATH.sub(" ", text))
    return "$" not in text and bool(_COMMAND.search(text)) and not re.search(
        r"[A-Za-z]{4}", bare)


def markup(text: str) -> Counter:
    r"""Return the markup a translation must keep: roles and targets, math, code, links.

    An inline formula must stay as it is but for the words inside its ``\text{...}``. A
    display formula must stay exactly as it is: Sphinx translates it as a literal block,
    which the MyST parser reads back as the text ``::`` (so the words inside its
    ``\text{...}`` stay English).
    """
    if _is_formula(text):
        return Counter([text])
    found = Counter()
    for role, content in _ROLE.findall(text):
        target = _TARGET.search(content)
        found[f"{{{role}}}" + (target.group(1) if target else content)] += 1
    rest = _ROLE.sub(" ", text)
    found.update(_formula(math) for math in _MATH.findall(rest))
    found.update(_CODE.findall(_MATH.sub(" ", rest)))
    found.update(f"link:{target}" for target in _LINK.findall(rest))
    return found


def markup_problems(lang: str, pages: list[str] = ()) -> list[str]:
    """Each translated entry whose markup differs from its English entry's, as a line."""
    problems = []
    folder = LOCALES / lang / "LC_MESSAGES"
    for path in sorted(folder.rglob("*.po")):
        page = path.relative_to(folder).with_suffix("").as_posix()
        if pages and page not in pages:
            continue
        for entry in polib.pofile(str(path)):
            if not entry.msgstr or entry.obsolete:
                continue
            english, korean = markup(entry.msgid), markup(entry.msgstr)
            if english != korean:
                lost, added = english - korean, korean - english
                problems.append(f"{page}:{entry.linenum}: lost {sorted(lost)} added "
                                f"{sorted(added)} in: {entry.msgid[:60]!r}")
    return problems


_GLOSSARY_ROW = re.compile(r"^\|([^|]+)\|([^|]+)\|[^|]*\|\s*$", re.M)


def glossary(path: Path = ROOT / "book" / "glossary.md") -> dict[str, str]:
    """Read the glossary's table: English term -> the Korean name the book uses.

    A parenthesised abbreviation or symbol after the English term is dropped
    (``artificial neural network (ANN)``); of several Korean names, the first is the book's.
    """
    terms = {}
    for english, korean in _GLOSSARY_ROW.findall(path.read_text(encoding="utf-8")):
        english = re.sub(r"\s*\(.*?\)", "", english).strip()
        korean = re.sub(r"\s*\(.*?\)", "", korean.split(",")[0]).strip()
        if english and not set(english) <= set("-: ") and english.lower() != "english":
            terms[english] = korean
    return terms


_TITLE = re.compile(r"\*[A-Z][^*]*?\b[A-Z][^*]*\*|\"[^\"]+\"")
"""A cited work's title: italics with two capitalised words, or a quotation: kept in English."""


def _prose(text: str) -> str:
    """``text`` without formulas, code, role contents and cited titles (no terms there)."""
    return _TITLE.sub(" ", _CODE.sub(" ", _MATH.sub(" ", _ROLE.sub(" ", text)))).replace("*", "")


def terms_used(english: str, terms: dict[str, str]) -> list[str]:
    """Return the glossary terms an English text uses, longest first, each span once.

    Matching ignores case and accepts a plural ``s``/``es``; "gradient descent" is one
    term, so the "gradient" inside it is not another.
    """
    text, found = _prose(english), []
    for term in sorted(terms, key=len, reverse=True):
        words = r"\s+".join(re.escape(word) for word in term.split())
        pattern = re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w(-])", re.I)
        if pattern.search(text):
            found.append(term)
            text = pattern.sub(" ", text)
    return found


def terminology_problems(lang: str, pages: list[str] = ()) -> list[str]:
    """Each translated entry that lacks the glossary's Korean name of a term it uses."""
    values = yaml.safe_load((LOCALES / lang / "edition.yml").read_text(encoding="utf-8"))
    excepted = {term.lower() for term in values.get("terms", {}).get("excepted", {})}
    on_page = {page: {term.lower() for term in terms}
               for page, terms in values.get("terms", {}).get("excepted_on", {}).items()}
    terms = {t: k for t, k in glossary().items() if t.lower() not in excepted}
    problems = []
    folder = LOCALES / lang / "LC_MESSAGES"
    for path in sorted(folder.rglob("*.po")):
        page = path.relative_to(folder).with_suffix("").as_posix()
        if pages and page not in pages or page == "book/glossary":
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr in ("", entry.msgid) or entry.fuzzy or entry.obsolete:
                continue  # a formula, code or a cited title is copied as it is
            korean = entry.msgstr.replace("*", "")
            missing = [f"{t} -> {terms[t]}" for t in terms_used(entry.msgid, terms)
                       if terms[t] not in korean and t.lower() not in on_page.get(page, ())]
            if missing:
                problems.append(f"{page}:{entry.linenum}: {', '.join(missing)} in: "
                                f"{entry.msgid[:60]!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "build", "coverage", "markup",
                                                       "terms"))
    parser.add_argument("lang", help="the edition's language code, e.g. ko")
    parser.add_argument("pages", nargs="*",
                        help="update, markup, terms: only these pages (book/ch01_regression)")
    args = parser.parse_args(argv)
    if not (LOCALES / args.lang / "edition.yml").is_file():
        parser.error(f"no edition {args.lang!r}: expected locales/{args.lang}/edition.yml")
    if args.command == "update":
        update(args.lang, args.pages)
    elif args.command == "markup":
        problems = markup_problems(args.lang, args.pages)
        print("\n".join(problems) or "markup kept in every translated entry")
        return 1 if problems else 0
    elif args.command == "terms":
        problems = terminology_problems(args.lang, args.pages)
        print("\n".join(problems) or "every glossary term translated by its Korean name")
        return 1 if problems else 0
    elif args.command == "build":
        print(f"built {build(args.lang).relative_to(ROOT)}")
    else:
        rows = coverage(args.lang, extract())
        print(report(rows))
        return 0 if all(r.complete for r in rows) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
