r"""Text from submissions made safe to write anywhere: valid UTF-8, one line, no terminal codes.

A folder or file name that is not UTF-8 reaches Python with lone surrogates in
it (``"\udcff"`` for the byte 0xff), and a learner's exception message may
hold any character: a lone surrogate, which no UTF-8 writer can encode, or
control characters that move a terminal's cursor, clear its screen, start a
new CSV line or reverse the text that follows. Every output of the grader
writes such text through :func:`escape`; names of files and folders go through
:func:`escape_name`, so that a byte that is not UTF-8 shows as ``\xff``.
"""

import os
import unicodedata

__all__ = ["escape", "escape_name"]

_ESCAPED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
"""Control characters, lone surrogates, line and paragraph separators."""
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
"""Characters that reorder the text after them (a "Trojan Source" reversal)."""
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    r"""Write ``char`` as a Python escape: ``\n``, ``\x1b``, ``\u202e``, ``\U000e0001``."""
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def escape(text: str) -> str:
    r"""Return ``text`` with every character that could do harm written as a Python escape.

    Control characters (newlines and tabs included), lone surrogates, line and
    paragraph separators and bidirectional controls become ``\n``, ``\x1b``,
    ``\ud800``, ``\u202e``; everything else (Korean, accents, emoji) stays as
    it is. The result encodes to UTF-8 and is one line.

    Examples
    --------
    >>> escape("ok")
    'ok'
    >>> escape("\ud800 \x1b[2J\r\n성공")
    '\\ud800 \\x1b[2J\\r\\n성공'
    """
    if text.isprintable():  # the usual case, and a fast one
        return text
    return "".join(_escaped(char) if char in _BIDI_CONTROLS
                   or unicodedata.category(char) in _ESCAPED_CATEGORIES else char
                   for char in text)


def escape_name(name: str) -> str:
    r"""Return a file or folder name as text: a byte that is not UTF-8 as ``\xff``, then escaped.

    A backslash in the name is doubled, so that two different names never
    give the same text (``kim\xff`` written with a backslash is ``kim\\xff``).

    Examples
    --------
    >>> escape_name(os.fsdecode(b"kim\xff"))
    'kim\\xff'
    >>> escape_name("kim\\xff")
    'kim\\\\xff'
    >>> escape_name("김민수")
    '김민수'
    """
    raw = os.fsencode(name).replace(b"\\", b"\\\\")
    return escape(raw.decode("utf-8", "backslashreplace"))
