"""Reading and writing files: ETags, atomicity, binary safety, change notifications."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest

from appwright.workspace.base import SearchQuery
from appwright.workspace.errors import (
    AlreadyExists,
    ETagMismatch,
    FileNotFound,
    NotAFile,
    PathRejected,
)
from appwright.workspace.local import LocalWorkspace, etag_of

from .conftest import Setup

pytestmark = pytest.mark.anyio


async def test_write_read_roundtrip_binary(setup: Setup) -> None:
    data = bytes(range(256)) * 4
    version = await setup.ws.write("assets/img/logo.png", data)
    assert version.created and version.size == len(data)
    assert version.etag == etag_of(data)
    assert await setup.ws.read("assets/img/logo.png") == data
    content = await setup.ws.read_versioned("./assets/img/logo.png")
    assert content.version.etag == version.etag
    assert content.version.path == "assets/img/logo.png"
    assert (setup.root / "assets/img/logo.png").stat().st_mode & 0o777 == 0o644
    assert setup.events == [(["assets/img/logo.png"], "created")]


async def test_person_save_conflicts_with_ai_write(setup: Setup) -> None:
    ws = setup.ws
    await ws.write("app.tsx", b"v0")
    opened = await ws.read_versioned("app.tsx")  # person opens the file in the editor
    ai = await ws.write("app.tsx", b"v1 by AI")  # the agent rewrites it meanwhile
    with pytest.raises(ETagMismatch) as info:
        await ws.write("app.tsx", b"v1 by person", if_match=opened.version.etag)
    assert info.value.current_etag == ai.etag
    assert await ws.read("app.tsx") == b"v1 by AI"  # the AI's work is not lost
    # The person sees the conflict, merges, and saves against the current version.
    merged = await ws.write("app.tsx", b"v2 merged", if_match=f'"{info.value.current_etag}"')
    assert merged.etag == etag_of(b"v2 merged")
    assert await ws.read("app.tsx") == b"v2 merged"


async def test_ai_write_conflicts_with_person_save(setup: Setup) -> None:
    ws = setup.ws
    await ws.write("page.tsx", b"base")
    ai_read = await ws.read_versioned("page.tsx")
    person = await ws.write("page.tsx", b"person edit", if_match=ai_read.version.etag)
    with pytest.raises(ETagMismatch) as info:
        await ws.write("page.tsx", b"ai edit", if_match=ai_read.version.etag)
    assert info.value.current_etag == person.etag
    assert await ws.read("page.tsx") == b"person edit"


async def test_concurrent_conditional_writes_one_wins(setup: Setup) -> None:
    ws = setup.ws
    base = await ws.write("x.txt", b"base")
    outcomes: list[str] = []

    async def save(data: bytes) -> None:
        try:
            await ws.write("x.txt", data, if_match=base.etag)
            outcomes.append("ok")
        except ETagMismatch:
            outcomes.append("conflict")

    async with anyio.create_task_group() as tg:
        for i in range(8):
            tg.start_soon(save, f"writer {i}".encode())
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]


async def test_conditional_semantics(setup: Setup) -> None:
    ws = setup.ws
    with pytest.raises(ETagMismatch) as info:
        await ws.write("new.txt", b"x", if_match="*")
    assert info.value.current_etag is None
    with pytest.raises(ETagMismatch):
        await ws.write("new.txt", b"x", if_match=etag_of(b"x"))
    assert not (setup.root / "new.txt").exists()
    await ws.write("new.txt", b"x", if_none_match="*")
    with pytest.raises(ETagMismatch) as info:
        await ws.write("new.txt", b"y", if_none_match="*")
    assert info.value.current_etag == etag_of(b"x")
    await ws.write("new.txt", b"z", if_match="*")
    assert await ws.read("new.txt") == b"z"
    # Deleted meanwhile: a stale save is a conflict, not a silent re-creation.
    stale = etag_of(b"z")
    await ws.delete("new.txt")
    with pytest.raises(ETagMismatch):
        await ws.write("new.txt", b"resurrected", if_match=stale)


async def test_atomic_write_never_shows_partial_content(setup: Setup) -> None:
    ws = LocalWorkspace(setup.root, max_file_bytes=64 * 1024 * 1024)
    size = 16 * 1024 * 1024
    contents = [b"a" * size, b"b" * size]
    await ws.write("big.bin", contents[0])
    done = anyio.Event()
    seen: set[bytes] = set()

    async def writer() -> None:
        for i in range(1, 9):
            await ws.write("big.bin", contents[i % 2])
        done.set()

    async def reader() -> None:
        while not done.is_set():
            data = await ws.read("big.bin")
            assert data in contents, f"partial read: {len(data)} bytes"
            seen.add(data[:1])

    async with anyio.create_task_group() as tg:
        tg.start_soon(writer)
        tg.start_soon(reader)
    assert seen
    assert sorted(os.listdir(setup.root)) == ["big.bin"]  # no temp file left behind


async def test_preserves_mode_of_existing_file(setup: Setup) -> None:
    script = setup.root / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    await setup.ws.write("run.sh", b"#!/bin/sh\necho hi\n")
    assert script.stat().st_mode & 0o777 == 0o755


async def test_errors_for_missing_and_directories(setup: Setup) -> None:
    ws = setup.ws
    with pytest.raises(FileNotFound):
        await ws.read("missing.txt")
    with pytest.raises(FileNotFound):
        await ws.delete("missing.txt")
    await ws.mkdir("src/components")
    with pytest.raises(NotAFile):
        await ws.read("src")
    with pytest.raises(NotAFile):
        await ws.write("src", b"x")
    with pytest.raises(PathRejected):
        await ws.delete("")


async def test_rename_files_and_folders(setup: Setup) -> None:
    ws = setup.ws
    await ws.write("src/a.ts", b"a")
    await ws.write("src/lib/b.ts", b"b")
    await ws.rename("src/a.ts", "src/renamed.ts")
    await ws.rename("src", "app/source")
    assert await ws.read("app/source/renamed.ts") == b"a"
    assert await ws.read("app/source/lib/b.ts") == b"b"
    assert not (setup.root / "src").exists()
    await ws.write("other.ts", b"o")
    with pytest.raises(AlreadyExists):
        await ws.rename("other.ts", "app/source/renamed.ts")
    with pytest.raises(PathRejected):
        await ws.rename("app", "app/inside")
    with pytest.raises(FileNotFound):
        await ws.rename("nope.ts", "x.ts")
    assert (["src/a.ts", "src/renamed.ts"], "renamed") in setup.events
    assert (["src", "app/source"], "renamed") in setup.events


async def test_delete_link_not_its_target(setup: Setup) -> None:
    ws = setup.ws
    await ws.write("real.txt", b"real")
    (setup.root / "alias.txt").symlink_to("real.txt")
    assert await ws.read("alias.txt") == b"real"
    await ws.delete("alias.txt")
    assert await ws.read("real.txt") == b"real"
    await ws.write("dir/x.txt", b"x")
    await ws.delete("dir")
    assert not (setup.root / "dir").exists()
    assert setup.events[-1] == (["dir"], "deleted")


async def test_failing_change_callback_does_not_fail_write(tmp_path: Path) -> None:
    async def broken(paths: list[str], kind: str) -> None:
        raise RuntimeError("event bus down")

    ws = LocalWorkspace(tmp_path, on_change=broken)
    await ws.write("a.txt", b"a")
    assert (tmp_path / "a.txt").read_bytes() == b"a"


async def test_symlink_loop_is_a_clear_refusal(setup: Setup) -> None:
    (setup.root / "loop").symlink_to("loop")
    with pytest.raises(PathRejected):
        await setup.ws.read("loop")


async def test_fifo_never_blocks_a_worker(setup: Setup) -> None:
    os.mkfifo(setup.root / "pipe")
    (setup.root / "a.txt").write_text("needle")
    with anyio.fail_after(5):
        with pytest.raises(NotAFile):
            await setup.ws.read("pipe")
        with pytest.raises(NotAFile):
            await setup.ws.write("pipe", b"x", if_match="*")
        hits = await setup.ws.search(SearchQuery("needle"))
        assert [h.path for h in hits] == ["a.txt"]
        archive = b"".join([chunk async for chunk in setup.ws.export_zip()])
        assert b"pipe" not in archive
