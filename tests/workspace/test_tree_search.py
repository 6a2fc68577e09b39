"""File tree, search, replace-all and zip export."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from appwright.workspace.base import FileNode, SearchQuery
from appwright.workspace.errors import InvalidSearch
from appwright.workspace.local import LocalWorkspace
from appwright.workspace.search import SEARCH_TIME_LIMIT_S, glob_match

from .conftest import Setup

pytestmark = pytest.mark.anyio


def files_of(node: FileNode) -> list[str]:
    out = [node.path] if node.type != "dir" else []
    for child in node.children:
        out += files_of(child)
    return out


@pytest.fixture
def project(setup: Setup) -> Setup:
    r = setup.root
    for rel, text in {
        "package.json": '{"name": "demo"}\n',
        "src/App.tsx": "export function App() {\n  return <h1>Hello World</h1>;\n}\n",
        "src/lib/util.ts": "export const hello = 'hello';\nconst HELLO = 2;\n",
        "src/lib/util.test.ts": "import { hello } from './util';\n",
        "README.md": "# Hello\n",
        "node_modules/react/index.js": "hello from react\n",
        "dist/bundle.js": "hello bundle\n",
        ".next/cache.json": "hello\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        "sub/.cache/x": "hello\n",
    }.items():
        (r / rel).parent.mkdir(parents=True, exist_ok=True)
        (r / rel).write_text(text)
    (r / "src/logo.bin").write_bytes(b"\x00hello\x00")
    (r / "outside-link").symlink_to(setup.outside)
    return setup


async def test_tree_excludes_dependencies_and_git(project: Setup) -> None:
    tree = await project.ws.tree()
    paths = files_of(tree.root)
    assert sorted(paths) == [
        "README.md",
        "outside-link",
        "package.json",
        "src/App.tsx",
        "src/lib/util.test.ts",
        "src/lib/util.ts",
        "src/logo.bin",
    ]
    assert tree.file_count == 6 and not tree.truncated
    top = [(c.name, c.type) for c in tree.root.children]
    assert top[:2] == [("src", "dir"), ("sub", "dir")]  # folders first
    assert ("outside-link", "symlink") in top
    readme = next(c for c in tree.root.children if c.name == "README.md")
    assert readme.size == len("# Hello\n")


async def test_tree_ignore_list_is_configurable_and_bounded(project: Setup) -> None:
    ws = LocalWorkspace(project.root, ignored=frozenset({"src"}), max_tree_entries=3)
    tree = await ws.tree()
    assert "src" not in [c.name for c in tree.root.children]
    assert ".git" not in [c.name for c in tree.root.children]
    assert tree.truncated


async def test_search_text_case_and_globs(project: Setup) -> None:
    hits = await project.ws.search(SearchQuery("hello"))
    assert {h.path for h in hits} == {
        "src/App.tsx",
        "src/lib/util.ts",
        "src/lib/util.test.ts",
        "README.md",
    }
    app = next(h for h in hits if h.path == "src/App.tsx")
    assert (app.line, app.column, app.length) == (2, 14, 5)
    assert app.preview == "  return <h1>Hello World</h1>;"
    sensitive = await project.ws.search(SearchQuery("hello", case_sensitive=True))
    assert {h.path for h in sensitive} == {"src/lib/util.ts", "src/lib/util.test.ts"}
    only_ts = await project.ws.search(SearchQuery("hello", include=["*.ts"], exclude=["*.test.ts"]))
    assert {h.path for h in only_ts} == {"src/lib/util.ts"}
    under_src = await project.ws.search(SearchQuery("hello", include=["src/**/*.tsx"]))
    assert {h.path for h in under_src} == {"src/App.tsx"}
    limited = await project.ws.search(SearchQuery("hello", max_results=2))
    assert len(limited) == 2


async def test_search_regex_and_whole_word(project: Setup) -> None:
    hits = await project.ws.search(SearchQuery(r"const (\w+) =", regex=True, case_sensitive=True))
    assert [(h.path, h.line) for h in hits] == [("src/lib/util.ts", 1), ("src/lib/util.ts", 2)]
    words = await project.ws.search(SearchQuery("hell", whole_word=True))
    assert words == []
    with pytest.raises(InvalidSearch):
        await project.ws.search(SearchQuery("(unclosed", regex=True))
    with pytest.raises(InvalidSearch):
        await project.ws.search(SearchQuery(""))


async def test_replace_all(project: Setup) -> None:
    result = await project.ws.replace(
        SearchQuery(r"hello", regex=True, case_sensitive=True, include=["src/**"]), "greeting"
    )
    assert sorted(f.path for f in result.files) == ["src/lib/util.test.ts", "src/lib/util.ts"]
    assert result.replacements == 3
    assert await project.ws.read("src/lib/util.ts") == (
        b"export const greeting = 'greeting';\nconst HELLO = 2;\n"
    )
    assert await project.ws.read("src/logo.bin") == b"\x00hello\x00"  # binary untouched
    assert (project.root / "node_modules/react/index.js").read_text() == "hello from react\n"
    assert project.events[-1] == (["src/lib/util.test.ts", "src/lib/util.ts"], "updated")
    groups = await project.ws.replace(
        SearchQuery(r"const (\w+) = (\d+)", regex=True), r"let \1 = \2"
    )
    assert groups.replacements == 1
    assert b"let HELLO = 2;" in await project.ws.read("src/lib/util.ts")
    with pytest.raises(InvalidSearch):
        await project.ws.replace(SearchQuery(r"(let)", regex=True), r"\9")
    assert b"let HELLO = 2;" in await project.ws.read("src/lib/util.ts")
    literal = await project.ws.replace(SearchQuery("Hello"), r"\1$1")
    assert b"<h1>\\1$1 World</h1>" in await project.ws.read("src/App.tsx")
    assert literal.replacements >= 2


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("src/a.ts", "*.ts", True),
        ("src/a.ts", "src/**", True),
        ("src/a.ts", "src/", True),
        ("a.ts", "**/*.ts", True),
        ("src/deep/a.ts", "src/**/*.ts", True),
        ("src/a.tsx", "*.ts", False),
        ("lib/a.ts", "src", False),
        ("src/x/a.ts", "src", True),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


async def test_zip_export_leaves_out_deps_git_and_links(project: Setup) -> None:
    chunks = [chunk async for chunk in project.ws.export_zip(prefix="demo/")]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert sorted(archive.namelist()) == [
        "demo/README.md",
        "demo/package.json",
        "demo/src/App.tsx",
        "demo/src/lib/util.test.ts",
        "demo/src/lib/util.ts",
        "demo/src/logo.bin",
    ]
    assert archive.read("demo/src/logo.bin") == b"\x00hello\x00"
    assert archive.testzip() is None


async def test_a_runaway_regular_expression_is_stopped_with_a_clear_message(
    project: Setup,
) -> None:
    """`(a|aa)+$` backtracks exponentially on a long run of a's: the search stops at its
    time limit instead of holding a worker for minutes, and a replace-all that runs out of
    time writes nothing, not even the files it had already worked out."""
    (project.root / "a-first.txt").write_text("hello\n")
    (project.root / "z-runaway.txt").write_text("a" * 40 + "!\n")
    runaway = SearchQuery(r"(a|aa)+$|hello", regex=True, case_sensitive=True)
    started = time.monotonic()
    with pytest.raises(InvalidSearch, match="took longer than 5 s"):
        await project.ws.search(runaway)
    assert time.monotonic() - started < SEARCH_TIME_LIMIT_S + 2
    with pytest.raises(InvalidSearch, match="simplify it"):
        await project.ws.replace(runaway, "bye")
    assert (project.root / "a-first.txt").read_text() == "hello\n"
    # The same search without the runaway part answers at once.
    hits = await project.ws.search(SearchQuery("hello", include=["a-first.txt"]))
    assert [(h.path, h.line) for h in hits] == [("a-first.txt", 1)]
