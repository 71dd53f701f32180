"""Search for the Korean edition: index Korean words without their particles.

Sphinx has no Korean search language, and its default splits at spaces, so a word is
indexed with the particle written onto it (경사 하강법을, 하강법은, 하강법의) and a
reader's query for 하강법 finds none of them. This language strips the common particles
and endings from a Hangul word whose stem keeps at least two syllables, in the index
(Python) and in the reader's query (the same rule in JavaScript), so both meet on the
stem. Other words are only lower-cased, as the default search does.
"""

import re

from sphinx.search import SearchLanguage, languages

PARTICLES = ("이라고", "이라는", "에서", "으로", "에게", "까지", "부터", "처럼", "보다", "라고",
             "라는", "이며", "이고", "이다", "이든", "은", "는", "이", "가", "을", "를", "의",
             "에", "로", "와", "과", "도", "만", "든")
"""Longest first: the first one a word ends with is removed, then once more (에서는, 으로도)."""
HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")


def stem(word: str) -> str:
    """Return ``word`` lower-cased, without its particle when it is a Hangul word."""
    word = word.lower()
    if HANGUL.match(word):
        for _ in range(2):
            particle = next((p for p in PARTICLES
                             if word.endswith(p) and len(word) - len(p) >= 2), "")
            word = word[: len(word) - len(particle)]
    return word


_JS_STEMMER = """
/** The Korean edition's stemmer (book/_ext/korean_search.py): drops a Hangul particle. */
var Stemmer = function() {
  const particles = %s;
  this.stemWord = function(w) {
    w = w.toLowerCase();
    if (/^[\\uac00-\\ud7a3]+$/.test(w)) {
      for (let i = 0; i < 2; i++) {
        const p = particles.find(p => w.endsWith(p) && w.length - p.length >= 2) || "";
        w = w.slice(0, w.length - p.length);
      }
    }
    return w;
  };
};
""" % ("[" + ", ".join(f'"{p}"' for p in PARTICLES) + "]")


class SearchKorean(SearchLanguage):
    """Words split at spaces and punctuation; Hangul words indexed by their stem."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = _JS_STEMMER

    def stem(self, word: str) -> str:
        """Return the word's stem (see :func:`stem`)."""
        return stem(word)


def setup(app):
    """Register the language for builds whose ``language`` is ``ko``."""
    languages["ko"] = SearchKorean
    return {"parallel_read_safe": True, "parallel_write_safe": True}
