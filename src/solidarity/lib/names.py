"""The one normalising name matcher: is a name in a text, as a reader would see it?

Both the text and the name are folded the same way: Unicode NFKC (full-width
letters, ligatures, no-break and other spaces), format characters dropped (soft
hyphens, zero-width spaces and joiners, word joiners, byte-order marks, bidi
controls: Unicode category Cf), case folded, runs of white space made one space,
and the space between two CJK characters dropped (a Chinese name wrapped over a
line). The text is read twice: as written, and as rendered (Markdown and HTML
turned into the text a browser shows, entities decoded), so a name split by
``**bold**``, ``<b>`` or ``&nbsp;`` is still found. A match anywhere counts, even
inside a longer word: for consent, finding too much is the safe error.

Not caught: look-alike letters from other scripts (a Cyrillic "а" for a Latin
"a"), spelling variants and transliterations, and names split by visible
punctuation.
"""

import re
import unicodedata

from solidarity.lib.markup import visible_text

_SPACES = re.compile(r"\s+")
# Han, kana, bopomofo, hangul and CJK punctuation: scripts written without spaces.
_CJK = (
    r"\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff"
)
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def fold(text: str) -> str:
    """The text reduced to what matters for recognising a name in it."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text.casefold())
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_IN_CJK.sub("", text)


def readings(text: str) -> tuple[str, ...]:
    """The folded ways a text may be read: as written, and as rendered."""
    raw = fold(text)
    rendered = fold(visible_text(text))
    return (raw,) if rendered == raw else (raw, rendered)


def mentions(text: str | tuple[str, ...], name: str) -> bool:
    """Whether ``name`` appears in ``text`` (or in its pre-computed :func:`readings`)."""
    needle = fold(name)
    if not needle:
        return False
    folded = readings(text) if isinstance(text, str) else text
    return any(needle in reading for reading in folded)
