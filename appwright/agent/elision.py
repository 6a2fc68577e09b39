"""Detect elision placeholders ("// ... rest of the code") in content a model wants written.

Models shorten long files with comments that stand for code they did not write. Written
to disk, such a comment silently deletes that code (bolt.new #124, #3179), so the file
tools refuse content that contains one. The rules only look at comment lines and need
either a leading ellipsis with a placeholder word, or a whole comment that is a known
placeholder phrase, so ordinary code (``...spread``, ``[...items]``, a bare ``// ...``)
passes.
"""

from __future__ import annotations

import re

__all__ = ["detect_elision", "elision_lines"]

# One comment on its own line: `//`, `#`, `--`, `/* */`, `{/* */}` (JSX), `<!-- -->`, or a
# `*` continuation line of a block comment.
_COMMENT = re.compile(
    r"""^\s*
    (?P<open>\{\s*/\*|/\*+|<!--|//+|\#+|--|\*)
    (?P<body>.*?)
    (?P<close>\*+/\s*\}|\*+/|-->)?
    \s*[,;]?\s*$""",
    re.VERBOSE,
)
_ELLIPSIS = re.compile(r"\.{3,}|…")
_WORD = re.compile(r"[a-z0-9']+")

# Words that, after a leading ellipsis, mark a placeholder ("// ... existing imports").
_KEYWORDS = frozenset(
    {
        "rest",
        "existing",
        "unchanged",
        "remaining",
        "remains",
        "remain",
        "same",
        "previous",
        "omitted",
        "original",
        "untouched",
        "unmodified",
        "other",
        "more",
        "etc",
        "code",
    }
)

_NOUN = (
    r"(code|file|content|contents|component|components|function|functions|method|methods|"
    r"implementation|logic|imports|styles|markup|html|jsx|elements|props|state|routes|"
    r"config|configuration|class|module|body|fields|tests|handlers|hooks|sections|items)"
)
_SAME = r"(the\ssame|unchanged|as\sbefore|as\sis|intact|untouched)"
# Whole-comment placeholder phrases, matched against the lower-cased words of the body.
_PHRASES = re.compile(
    rf"""^(
      (the\s)?rest(\s\w+){{0,6}}\s({_NOUN}|{_SAME}|remains|stays|here|below|above)(\s\w+){{0,4}}
    | (keep\s|keeping\s|preserve\s|preserving\s)?(the\s|all\s|any\s)?(existing|previous|
        original|other|remaining|unchanged)\s{_NOUN}(\shere|\sgoes\shere|\sbelow|\sabove|
        \sunchanged|\sremains(\s{_SAME})?|\sstays(\s{_SAME})?|\sis\s{_SAME})?
    | ({_NOUN}|everything\selse|all\selse)\s(remains|stays|is|are)\s{_SAME}
    | unchanged | same\sas\s(before|above|original) | omitted\sfor\sbrevity
    | ({_NOUN}\s)?omitted
    )$""",
    re.VERBOSE,
)
# A `#` comment is also a Markdown heading or a CSS id: demand a strong placeholder sign.
_HASH_SIGNS = frozenset({"unchanged", "same", "remains", "stays", "here", "omitted"})


def _placeholder(line: str) -> bool:
    m = _COMMENT.match(line)
    if m is None:
        return False
    opener = m.group("open")
    body = m.group("body").strip()
    # `{/* ... */}` alone in JSX is always a stand-in for elided markup.
    if opener.startswith("{") and _ELLIPSIS.fullmatch(body):
        return True
    words = _WORD.findall(_ELLIPSIS.sub(" ", body.lower()))
    if not words or len(words) > 12:
        return False
    if _ELLIPSIS.match(body) and any(w in _KEYWORDS for w in words):
        return True
    if opener.startswith("#") and not _ELLIPSIS.search(body) and _HASH_SIGNS.isdisjoint(words):
        return False
    return _PHRASES.match(" ".join(words)) is not None


def elision_lines(content: str) -> list[tuple[int, str]]:
    """All ``(line_number, line)`` pairs of ``content`` that are elision placeholders."""
    return [(n, line) for n, line in enumerate(content.splitlines(), start=1) if _placeholder(line)]


def detect_elision(content: str) -> str | None:
    """Describe the elision placeholders in ``content``, or return None if there are none.

    The description is written for the model, e.g. ``line 12: "// ... existing code ..."``.
    """
    found = elision_lines(content)
    if not found:
        return None
    shown = "; ".join(f'line {n}: "{line.strip()}"' for n, line in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return (
        f"The content contains placeholder comments that stand for omitted code ({shown}"
        f"{more}). Writing it would delete that code. Send the complete content, or use "
        "update_file_sections to change only part of a file."
    )
