"""Write the stylesheet of the self-hosted Korean web font (used by the Makefile).

Usage: python book/_ext/korean_font.py 400.css 700.css > noto-sans-kr.css

The @fontsource/noto-sans-kr package slices the font into files by
unicode-range. This keeps the numbered slices (the Korean ones), drops the
.woff fallbacks (every current browser reads .woff2), and narrows each slice's
unicode-range to Hangul, CJK and full-width characters: Latin letters, digits,
spaces, quotes and dashes are left to the page's own font, so the web font
changes nothing but the Korean text. A slice left with no range is dropped
(an empty unicode-range would make it apply to every character).
"""

import re
import sys

# Below U+1100 (Hangul Jamo) and the punctuation and symbol blocks U+2000-U+2E7F
# are left to the system font.
LATIN_AND_PUNCTUATION = [(0x0000, 0x10FF), (0x2000, 0x2E7F)]


def _is_left_to_system(start):
    return any(lo <= start <= hi for lo, hi in LATIN_AND_PUNCTUATION)


def korean_faces(css):
    """Return the @font-face rules of ``css`` for Korean only, as one string."""
    faces = []
    for block in re.findall(r"/\* noto-sans-kr-\[\d+\]-\d+-normal \*/\s*@font-face \{.*?\}",
                            css, flags=re.S):
        block = re.sub(r", url\([^)]*\.woff\) format\('woff'\)", "", block)
        ranges = re.search(r"unicode-range: ([^;]+);", block)[1].split(",")
        kept = [r.strip() for r in ranges
                if not _is_left_to_system(int(r.strip()[2:].split("-")[0], 16))]
        if kept:
            faces.append(re.sub(r"unicode-range: [^;]+;",
                                "unicode-range: " + ",".join(kept) + ";", block))
    return "\n\n".join(faces) + "\n"


if __name__ == "__main__":
    sys.stdout.write("".join(korean_faces(open(path, encoding="utf-8").read())
                             for path in sys.argv[1:]))
