"""The update_file_sections matcher: exact, whitespace-tolerant, refusals the model can act on."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appwright.agent.edits import EditError, apply_sections, detect_elision

APP = """\
import React from "react";

export function App() {
  const [count, setCount] = React.useState(0);
  return (
    <div>
      <button onClick={() => setCount(count + 1)}>+</button>
      <span>{count}</span>
    </div>
  );
}
"""


def test_exact_match_replaces_once() -> None:
    out = apply_sections(APP, [("<span>{count}</span>", "<strong>{count}</strong>")])
    assert "<strong>{count}</strong>" in out
    assert "<span>" not in out
    assert out.replace("<strong>{count}</strong>", "<span>{count}</span>") == APP


def test_sections_apply_in_order_and_see_earlier_results() -> None:
    out = apply_sections(
        APP,
        [
            ("useState(0)", "useState(10)"),
            ("useState(10);", "useState(10); // start at ten"),
        ],
    )
    assert "useState(10); // start at ten" in out


def test_indentation_difference_is_tolerated_and_replacement_reindented() -> None:
    # The model quotes the block without its indentation, and its replacement likewise.
    search = "<div>\n  <button onClick={() => setCount(count + 1)}>+</button>\n"
    replace = (
        "<div>\n  <button onClick={() => setCount(count - 1)}>-</button>\n"
        "  <button onClick={() => setCount(count + 1)}>+</button>\n"
    )
    out = apply_sections(APP, [(search, replace)])
    assert (
        "    <div>\n"
        "      <button onClick={() => setCount(count - 1)}>-</button>\n"
        "      <button onClick={() => setCount(count + 1)}>+</button>\n"
        "      <span>{count}</span>\n"
    ) in out


def test_deeper_search_indentation_is_removed_from_replacement() -> None:
    original = "def f():\n    if x:\n        return 1\n    return 2\n"
    search = "            if x:\n                return 1"
    replace = "            if x:\n                return 3\n            log()"
    out = apply_sections(original, [(search, replace)])
    assert out == "def f():\n    if x:\n        return 3\n    log()\n    return 2\n"


def test_inner_whitespace_runs_are_tolerated() -> None:
    original = "a  =  1\nb = 2\n"
    out = apply_sections(original, [("a = 1\n", "a = 5\n")])
    assert out == "a = 5\nb = 2\n"


def test_tabs_in_file_spaces_in_search() -> None:
    original = "func main() {\n\tif ok {\n\t\trun()\n\t}\n}\n"
    out = apply_sections(original, [("    if ok {\n        run()", "    if ok {\n        walk()")])
    assert out == "func main() {\n\tif ok {\n\t\twalk()\n\t}\n}\n"


def test_crlf_file_keeps_crlf() -> None:
    original = "one\r\n  two\r\nthree\r\n"
    out = apply_sections(original, [("two\nthree", "2\n3")])
    assert out == "one\r\n  2\r\n  3\r\n"


def test_deleting_a_block_with_tolerant_match() -> None:
    original = "a\n    b\n    c\nd\n"
    assert apply_sections(original, [("b\nc", "")]) == "a\nd\n"


def test_ambiguous_exact_match_lists_every_line() -> None:
    original = "x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n"
    with pytest.raises(EditError) as err:
        apply_sections(original, [("x = 1", "x = 9")])
    message = str(err.value)
    assert "3 places" in message
    assert "1, 3, 5" in message
    assert err.value.section == 1


def test_ambiguous_tolerant_match_is_refused() -> None:
    original = "if a:\n    go()\nelse:\n        go()\n"
    with pytest.raises(EditError) as err:
        apply_sections(original, [("  go()  ", "stop()")])
    assert "2 places" in str(err.value)
    assert "lines 2, 4" in str(err.value)


def test_missing_section_shows_nearest_candidates_with_line_numbers() -> None:
    with pytest.raises(EditError) as err:
        apply_sections(APP, [("<span>{counter}</span>", "<b>{count}</b>")])
    message = str(err.value)
    assert "not found" in message
    assert "lines 8-8" in message
    assert "    8 |       <span>{count}</span>" in message


def test_missing_later_section_reports_its_number_and_writes_nothing() -> None:
    with pytest.raises(EditError) as err:
        apply_sections(APP, [("useState(0)", "useState(1)"), ("no such line", "x")])
    assert str(err.value).startswith("Section 2 of 2")
    assert err.value.section == 2


def test_empty_search_is_refused() -> None:
    with pytest.raises(EditError, match="search text is empty"):
        apply_sections(APP, [("  \n", "anything")])


def test_no_sections_is_refused() -> None:
    with pytest.raises(EditError):
        apply_sections(APP, [])


def test_replacement_with_new_placeholder_is_refused() -> None:
    with pytest.raises(EditError, match="placeholder"):
        apply_sections(
            APP,
            [("  return (\n", "  // ... existing code ...\n  return (\n")],
        )


def test_placeholder_already_in_search_is_allowed() -> None:
    original = "a()\n// ... rest of the code\nb()\n"
    out = apply_sections(
        original, [("// ... rest of the code\nb()", "// ... rest of the code\nc()")]
    )
    assert out == "a()\n// ... rest of the code\nc()\n"


@pytest.mark.parametrize(
    "content",
    [
        "const a = 1;\n// ... rest of the code\n",
        "  // ... existing code ...",
        "/* ... existing styles ... */",
        "<div>\n  <!-- existing code -->\n</div>",
        "x = 1\n# ... rest unchanged\n",
        "return (<div>{/* ... */}</div>\n{/* ... */}\n)",
        "   {/* ... rest of the component */}",
        "// rest of the code remains the same",
        "// existing imports",
        "  * ... other methods",
        "-- ... rest of the query",
    ],
)
def test_detect_elision_finds_placeholders(content: str) -> None:
    description = detect_elision(content)
    assert description is not None
    assert "line" in description


@pytest.mark.parametrize(
    "content",
    [
        "const b = { ...a, c: 1 };",
        "const all = [...items, ...more];",
        "function f(...args) { return g(...args); }",
        "// ...",
        "# ...",
        "<!-- ... -->",
        "// TODO: handle more cases...",
        "## Existing code",
        "// Existing users are migrated on login",
        "// rest of the args are forwarded to fetch",
        "/* The rest API client */",
        "x = ...  # Python Ellipsis",
        "export type Props = { children?: React.ReactNode };",
    ],
)
def test_detect_elision_ignores_normal_code(content: str) -> None:
    assert detect_elision(content) is None


_lines = st.lists(st.text(alphabet="abcxyz(){}=;", min_size=1, max_size=8), min_size=1, max_size=12)


@given(_lines, st.integers(min_value=0), st.text(alphabet="pqr\n ", max_size=20))
def test_exact_unique_match_equals_str_replace(lines: list[str], pick: int, replace: str) -> None:
    # A line marked unique by construction is always replaced exactly like str.replace.
    i = pick % len(lines)
    lines[i] = "UNIQUE" + lines[i]
    original = "\n".join(lines) + "\n"
    search = lines[i]
    assert apply_sections(original, [(search, replace)]) == original.replace(search, replace, 1)


@given(_lines, st.integers(min_value=1, max_value=8), st.integers(min_value=0))
def test_reindented_search_gives_same_result_as_exact(
    lines: list[str], depth: int, pick: int
) -> None:
    # Indenting the whole file must not change what an unindented section does to it.
    i = pick % len(lines)
    lines[i] = "UNIQUE" + lines[i]
    flat = "\n".join(lines) + "\n"
    pad = " " * depth
    indented = "".join(pad + line + "\n" for line in lines)
    expected_flat = apply_sections(flat, [(lines[i], f"{lines[i]}\n  nested()")])
    # Tab-indented quote of a space-indented file: only the tolerant matcher finds it.
    out = apply_sections(indented, [(f"\t{lines[i]}\n", f"\t{lines[i]}\n\t  nested()\n")])
    assert out == "".join(pad + line + "\n" for line in expected_flat.splitlines())


def test_missing_section_in_a_large_file_finds_the_near_miss_quickly() -> None:
    # A quadratic candidate search took minutes on files like this one.
    lines = [f"  const value{i} = compute({i}, 'item-{i}');" for i in range(3000)]
    original = "\n".join(lines) + "\n"
    search = "\n".join(lines[1200:1230]).replace("compute(1210,", "computed(1210,")
    began = time.perf_counter()
    with pytest.raises(EditError) as err:
        apply_sections(original, [(search, "x")])
    assert time.perf_counter() - began < 10
    assert "lines 1201-1230" in str(err.value)
