"""Search/replace file edits for the agent's ``update_file_sections`` tool.

The matcher follows the OpenHands ``str_replace`` lesson: exact match first, then a
whitespace-tolerant match, and a refusal (never a guess) when a section is missing or
ambiguous. Refusal messages are written for the model: they say what failed and show the
nearest candidate regions with line numbers so the next attempt can succeed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from appwright.agent.elision import detect_elision, elision_lines

__all__ = ["EditError", "apply_sections", "detect_elision"]

# How many candidate regions a "not found" message shows, and the weakest similarity
# worth showing: below it a candidate confuses the model more than it helps.
_MAX_CANDIDATES = 3
_MIN_CANDIDATE_RATIO = 0.4
# Cap on lines quoted per candidate so a refusal for a huge section stays readable.
_MAX_QUOTED_LINES = 12
# Candidate search: search lines probed per file line, and windows compared in full.
_MAX_PROBE_LINES = 12
_SHORTLIST = 8
_MAX_CHAR_DIFF = 2000


class EditError(ValueError):
    """A section could not be applied. ``str(error)`` is a message for the model.

    Nothing is written when this is raised: ``apply_sections`` is all-or-nothing.
    """

    def __init__(self, message: str, *, section: int | None = None) -> None:
        super().__init__(message)
        self.section = section


@dataclass(frozen=True, slots=True)
class _Match:
    start: int  # character offset of the matched region in the text
    end: int
    line: int  # 1-based line number of the first matched line


def apply_sections(original: str, sections: list[tuple[str, str]]) -> str:
    """Apply ``(search, replace)`` sections to ``original`` in order and return the result.

    Each search must match exactly one place: first as an exact substring, otherwise
    line by line ignoring differences in indentation and runs of whitespace (the
    replacement is then re-indented by the indentation difference of the matched block).
    Raises ``EditError`` (nothing applied) when a search is empty, missing or ambiguous,
    or when a replacement introduces an elision placeholder such as ``// ... rest``.
    """
    if not sections:
        raise EditError("No sections were given: send at least one search/replace section.")
    text = original
    total = len(sections)
    for number, (search, replace) in enumerate(sections, start=1):
        text = _apply_one(text, search, replace, number, total)
    return text


def _label(number: int, total: int) -> str:
    return f"Section {number}" if total == 1 else f"Section {number} of {total}"


def _apply_one(text: str, search: str, replace: str, number: int, total: int) -> str:
    label = _label(number, total)
    if not search.strip():
        raise EditError(
            f"{label}: the search text is empty. Copy the exact lines to change from the "
            "current file into the search part (use create_file or full_file_rewrite to "
            "write a whole file).",
            section=number,
        )
    _refuse_new_elisions(search, replace, label, number)

    exact = _exact_matches(text, search)
    if len(exact) == 1:
        m = exact[0]
        return text[: m.start] + replace + text[m.end :]
    if len(exact) > 1:
        raise _ambiguous(label, number, exact, tolerant=False)

    loose = _tolerant_matches(text, search)
    if len(loose) == 1:
        return _splice_reindented(text, loose[0], search, replace)
    if len(loose) > 1:
        raise _ambiguous(label, number, [m for m, _ in loose], tolerant=True)
    raise _missing(text, search, label, number)


def _refuse_new_elisions(search: str, replace: str, label: str, number: int) -> None:
    # A placeholder line that was already in the searched text is the file's own
    # comment; only placeholders the replacement introduces mean code was dropped.
    present = {line.strip() for line in search.splitlines()}
    new = [(n, line) for n, line in elision_lines(replace) if line.strip() not in present]
    if new:
        n, line = new[0]
        raise EditError(
            f"{label}: the replacement contains the placeholder `{line.strip()}` (line {n} "
            "of the replacement) instead of real code. Writing it would delete code. "
            "Write out the complete replacement; to keep code unchanged, leave it out of "
            "the section entirely.",
            section=number,
        )


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _exact_matches(text: str, search: str) -> list[_Match]:
    matches: list[_Match] = []
    pos = text.find(search)
    while pos != -1:
        matches.append(_Match(pos, pos + len(search), _line_of(text, pos)))
        # Step by one character so overlapping occurrences also count as ambiguity.
        pos = text.find(search, pos + 1)
    return matches


def _norm(line: str) -> str:
    return " ".join(line.split())


def _search_lines(search: str) -> list[str]:
    lines = search.split("\n")
    # Leading/trailing blank lines are framing, not content: models add or drop them.
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _tolerant_matches(text: str, search: str) -> list[tuple[_Match, list[str]]]:
    """Line-wise matches ignoring whitespace differences; returns matches + matched lines."""
    wanted = [_norm(line) for line in _search_lines(search)]
    lines = text.splitlines(keepends=True)
    normed = [_norm(line) for line in lines]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    n = len(wanted)
    found: list[tuple[_Match, list[str]]] = []
    for i in range(len(lines) - n + 1):
        if normed[i : i + n] == wanted:
            found.append((_Match(offsets[i], offsets[i + n], i + 1), lines[i : i + n]))
    return found


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _first_indent(lines: list[str]) -> str:
    for line in lines:
        if line.strip():
            return _indent(line)
    return ""


def _reindent(line: str, have: str, want: str) -> str:
    """Move ``line`` from a block indented ``have`` to one indented ``want``."""
    if not line.strip():
        return ""
    if want.endswith(have):  # the file is indented deeper than the search was
        return want[: len(want) - len(have)] + line
    if have.endswith(want):  # the search was indented deeper than the file
        excess = len(have) - len(want)
        lead = _indent(line)
        return line[min(excess, len(lead)) :]
    lead, rest = _indent(line), line.lstrip(" \t")
    if set(have) == {" "} and set(want) == {"\t"} and len(have) % len(want) == 0:
        unit = len(have) // len(want)  # spaces per tab as the search used them
        spaces = len(lead.expandtabs(unit))
        return "\t" * (spaces // unit) + " " * (spaces % unit) + rest
    if set(have) == {"\t"} and set(want) == {" "} and len(want) % len(have) == 0:
        return lead.expandtabs(len(want) // len(have)) + rest
    if line.startswith(have):  # mixed indentation: swap the common prefix
        return want + line[len(have) :]
    return line


def _splice_reindented(
    text: str, found: tuple[_Match, list[str]], search: str, replace: str
) -> str:
    match, matched_lines = found
    have = _first_indent(_search_lines(search))
    want = _first_indent(matched_lines)
    newline = "\r\n" if matched_lines[0].endswith("\r\n") else "\n"
    body = replace.replace("\r\n", "\n")
    if body.endswith("\n"):
        body = body[:-1]
    if not replace:
        new_block = ""
    else:
        new_block = newline.join(_reindent(line, have, want) for line in body.split("\n"))
        if matched_lines[-1].endswith("\n"):
            new_block += newline
    return text[: match.start] + new_block + text[match.end :]


def _ambiguous(label: str, number: int, matches: list[_Match], *, tolerant: bool) -> EditError:
    where = ", ".join(str(m.line) for m in matches)
    how = "ignoring whitespace, " if tolerant else ""
    return EditError(
        f"{label}: the search text matches {len(matches)} places ({how}starting at lines "
        f"{where}). Nothing was changed. Add surrounding lines to the search text so that "
        "it matches exactly one place.",
        section=number,
    )


def _missing(text: str, search: str, label: str, number: int) -> EditError:
    candidates = _nearest_regions(text, search)
    message = (
        f"{label}: the search text was not found in the file, not even ignoring whitespace. "
        "Nothing was changed."
    )
    if candidates:
        shown = []
        for first, last, ratio in candidates:
            file_lines = text.split("\n")[first - 1 : last]
            quoted = [f"{first + k:>5} | {line}" for k, line in enumerate(file_lines)]
            if len(quoted) > _MAX_QUOTED_LINES:
                quoted = [*quoted[:_MAX_QUOTED_LINES], "      | ..."]
            shown.append(f"lines {first}-{last} ({ratio:.0%} similar):\n" + "\n".join(quoted))
        message += " The most similar regions of the current file are:\n\n" + "\n\n".join(shown)
    message += (
        "\n\nCopy the search text exactly from the current file content (read the file "
        "again if unsure) and send the section again."
    )
    return EditError(message, section=number)


def _trigrams(line: str) -> frozenset[str]:
    if len(line) < 3:
        return frozenset({line}) if line else frozenset()
    return frozenset(line[i : i + 3] for i in range(len(line) - 2))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _nearest_regions(text: str, search: str) -> list[tuple[int, int, float]]:
    """Up to three non-overlapping windows most similar to ``search`` (1-based lines).

    A full difflib comparison of every window is quadratic and took minutes on a
    3,000-line file, so windows are first ranked by a cheap positional score and only
    the best few get the real similarity ratio.
    """
    wanted_lines = [_norm(line) for line in _search_lines(search)]
    lines = [_norm(line) for line in text.split("\n")]
    size = max(1, min(len(wanted_lines), len(lines)))
    span = range(len(lines) - size + 1)
    # First rank by lines equal at the same position (cheap string compares); only when
    # no line matches anywhere fall back to trigram overlap on a sample of positions.
    scores: list[tuple[float, int]] = [
        (float(sum(lines[i + k] == wanted_lines[k] for k in range(size))), i) for i in span
    ]
    if not any(score for score, _ in scores):
        grams = [_trigrams(line) for line in lines]
        wanted_grams = [_trigrams(line) for line in wanted_lines[:size]]
        step = max(1, size // _MAX_PROBE_LINES)
        positions = range(0, size, step)
        scores = [
            (sum(_jaccard(grams[i + k], wanted_grams[k]) for k in positions), i) for i in span
        ]
    scores.sort(key=lambda item: (-item[0], item[1]))
    shortlist: list[int] = []
    for _, i in scores:
        if all(i + size <= j or i >= j + size for j in shortlist):
            shortlist.append(i)
        if len(shortlist) == _SHORTLIST:
            break
    found = []
    for i in shortlist:
        ratio = _similarity(lines[i : i + size], wanted_lines)
        if ratio >= _MIN_CANDIDATE_RATIO:
            found.append((ratio, i))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [(i + 1, i + size, ratio) for ratio, i in found[:_MAX_CANDIDATES]]


def _matched_chars(a: str, b: str) -> int:
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks)


def _similarity(a: list[str], b: list[str]) -> float:
    """difflib-style ratio of two line lists, aligned by lines first.

    A character-level ratio of whole windows is quadratic in their length; aligning lines
    and comparing characters only inside changed lines gives nearly the same figure fast.
    """
    matched = 0
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            matched += sum(len(line) + 1 for line in a[i1:i2])
        elif tag == "replace":
            if i2 - i1 == j2 - j1:
                matched += sum(
                    _matched_chars(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)
                )
            else:
                left, right = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
                if len(left) + len(right) <= _MAX_CHAR_DIFF:
                    matched += _matched_chars(left, right)
    total = sum(len(line) + 1 for line in a) + sum(len(line) + 1 for line in b)
    return 2 * matched / total if total else 1.0
