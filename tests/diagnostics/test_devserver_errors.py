"""Dev-server output → errors, with real outputs of Next.js 15 and Vite."""

from __future__ import annotations

from appwright.diagnostics.devserver import DevServerErrors

NEXT_SYNTAX = """\
 ○ Compiling / ...
 ⨯ ./pages/index.tsx:7:5
Parsing ecmascript source code failed
  5 |   return (
  6 |     <main>
> 7 |     <h1>Hello</h2>
    |     ^^^^
  8 |   );

Expected '</', got 'h2'

"""

NEXT_FIXED = " ✓ Compiled / in 412ms\n"

VITE_ERROR = """\
10:42:01 AM [vite] Internal server error: /workspace/src/App.tsx: Unexpected token (5:12)
  3 | export default function App() {
  4 |   return (
> 5 |     <div>{</div>
    |             ^
      at constructor (/workspace/node_modules/@babel/parser/lib/index.js:367:19)

10:42:05 AM [vite] hmr update /src/App.tsx
"""


def _feed(parser: DevServerErrors, text: str) -> list[object]:
    found: list[object] = []
    for line in text.splitlines():
        errors, _ = parser.feed(line)
        found.extend(errors)
    return found


def test_next_syntax_error_is_found_with_its_location() -> None:
    parser = DevServerErrors()
    found = _feed(parser, NEXT_SYNTAX)
    assert len(found) >= 1
    first = parser.current[0]
    assert first.file == "pages/index.tsx"
    assert first.line == 7
    assert first.column == 5
    assert "Parsing ecmascript source code failed" in first.message


def test_a_successful_compile_clears_the_errors() -> None:
    parser = DevServerErrors()
    _feed(parser, NEXT_SYNTAX)
    assert parser.current
    _, cleared = parser.feed(NEXT_FIXED.strip("\n"))
    assert cleared is True
    assert parser.current == []


def test_vite_error_then_hmr_update() -> None:
    parser = DevServerErrors()
    lines = VITE_ERROR.splitlines()
    found = []
    for line in lines[:-1]:
        found.extend(parser.feed(line)[0])
    assert len(found) == 1
    assert found[0].file is not None
    assert found[0].file.endswith("src/App.tsx")
    assert "Unexpected token" in found[0].message
    _, cleared = parser.feed(lines[-1])
    assert cleared is True


def test_ordinary_output_is_not_an_error() -> None:
    parser = DevServerErrors()
    text = """\
   ▲ Next.js 15.5.2
   - Local:        http://localhost:3000
 ✓ Starting...
 ✓ Ready in 2.1s
 GET / 200 in 120ms
"""
    assert _feed(parser, text) == []
    assert parser.current == []


def test_the_same_error_twice_is_reported_once() -> None:
    parser = DevServerErrors()
    _feed(parser, NEXT_SYNTAX)
    count = len(parser.current)
    again = _feed(parser, NEXT_SYNTAX)
    assert again == []
    assert len(parser.current) == count


def test_a_tsc_error_is_found_with_its_location() -> None:
    parser = DevServerErrors()
    _feed(parser, "src/App.tsx(2,1): error TS1005: '}' expected.\n\n")
    [error] = parser.current
    assert (error.file, error.line, error.column) == ("src/App.tsx", 2, 1)
    assert "TS1005" in error.message


NEXT_BUILD_TYPE_ERROR = """\
Failed to compile.

./pages/index.tsx:1:16
Type error: Function implementation is missing or not immediately following the declaration.

> 1 | export default function Home( {
    |                ^
Next.js build worker exited with code: 1 and signal: null
"""


def test_a_next_build_type_error_is_found_under_its_location_line() -> None:
    parser = DevServerErrors()
    _feed(parser, NEXT_BUILD_TYPE_ERROR)
    parser.flush()
    located = [e for e in parser.current if e.file]
    assert [(e.file, e.line, e.column) for e in located] == [("pages/index.tsx", 1, 16)]
    assert located[0].message.startswith("Type error: Function implementation is missing")


NEXT_BUILD_LINT = """\
   Linting and checking validity of types ...

Failed to compile.

./pages/index.tsx
Error: Parsing error: '}' expected.

./components/Card.tsx
12:7  Error: 'unused' is assigned a value but never used.  @typescript-eslint/no-unused-vars

info  - Need to disable some ESLint rules? Learn more here: https://nextjs.org/docs
"""


def test_eslint_problems_of_next_build_are_found_under_their_file() -> None:
    parser = DevServerErrors()
    _feed(parser, NEXT_BUILD_LINT)
    parser.flush()
    located = [(e.file, e.line, e.column, e.message) for e in parser.current if e.file]
    assert located == [
        ("pages/index.tsx", None, None, "Parsing error: '}' expected."),
        ("components/Card.tsx", 12, 7, "'unused' is assigned a value but never used."),
    ]
