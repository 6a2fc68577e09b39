"""The file API on a real project: ETags both ways, writes, search, upload, zip, events."""

from __future__ import annotations

import asyncio
import base64
import io
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from appwright.context import AppContext
from appwright.core.events import Event, project_topic
from appwright.workspace import LocalWorkspace
from appwright.workspace.errors import ETagMismatch
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio


async def _project(client: httpx.AsyncClient) -> str:
    await signup(client)
    project = await create_project(client, "Site", "static")
    return str(project["id"])


@asynccontextmanager
async def _events(ctx: AppContext, pid: str) -> AsyncIterator[list[Event]]:
    """Collect the project's events while the block runs."""
    seen: list[Event] = []
    ready = asyncio.Event()

    async def listen() -> None:
        stream = ctx.events.subscribe(project_topic(pid))
        ready.set()
        async for event in stream:
            seen.append(event)

    stream_task = asyncio.create_task(listen())
    await ready.wait()
    await asyncio.sleep(0)
    try:
        yield seen
    finally:
        await asyncio.sleep(0.01)
        stream_task.cancel()


def _files(event_list: list[Event]) -> list[dict[str, Any]]:
    return [e.data for e in event_list if e.type == "file:updated"]


async def test_tree_read_write_with_etag_and_events(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project(client)
    tree = (await client.get(f"/api/files/{pid}/tree")).json()
    names = {child["name"] for child in tree["root"]["children"]}
    assert "index.html" in names and tree["file_count"] >= 1

    read = await client.get(f"/api/files/{pid}/index.html")
    assert read.status_code == 200
    body = read.json()
    assert body["encoding"] == "utf-8" and "<" in body["content"]
    assert read.headers["etag"] == f'"{body["etag"]}"'
    same = await client.get(
        f"/api/files/{pid}/index.html", headers={"If-None-Match": read.headers["etag"]}
    )
    assert same.status_code == 304

    async with _events(ctx, pid) as seen:
        saved = await client.put(
            f"/api/files/{pid}/index.html",
            json={"content": "<h1>mine</h1>\n"},
            headers={"If-Match": read.headers["etag"]},
        )
        assert saved.status_code == 200, saved.text
        created = await client.put(f"/api/files/{pid}/src/new.js", json={"content": "x = 1\n"})
        assert created.status_code == 201 and created.json()["created"] is True
    events = _files(seen)
    assert events[0] == {
        "path": "index.html",
        "paths": ["index.html"],
        "kind": "updated",
        "etag": saved.json()["etag"],
        "etags": {"index.html": saved.json()["etag"]},
        "author": "person",
    }
    assert events[1]["kind"] == "created" and events[1]["path"] == "src/new.js"
    assert saved.headers["etag"] == f'"{saved.json()["etag"]}"'
    by_query = await client.get(f"/api/files/{pid}", params={"path": "src/new.js"})
    assert by_query.json()["content"] == "x = 1\n"

    # Binary content round-trips as base64.
    blob = bytes(range(256))
    put = await client.put(
        f"/api/files/{pid}/data.bin",
        json={"content": base64.b64encode(blob).decode(), "encoding": "base64"},
    )
    assert put.status_code == 201
    got = (await client.get(f"/api/files/{pid}/data.bin")).json()
    assert got["encoding"] == "base64" and base64.b64decode(got["content"]) == blob
    raw = await client.get(f"/api/files/{pid}/data.bin", params={"raw": 1})
    assert raw.content == blob and raw.headers["content-type"] == "application/octet-stream"


async def test_etag_conflict_both_ways_loses_nothing(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project(client)
    person_read = await client.get(f"/api/files/{pid}/index.html")
    person_etag = person_read.headers["etag"]

    # The AI writes the file the way the agent does (a LocalWorkspace on the same dir).
    ai = LocalWorkspace(ctx.runtime.workspace_dir(pid))
    ai_read = await ai.read_versioned("index.html")
    ai_version = await ai.write(
        "index.html", b"<h1>from the AI</h1>\n", if_match=ai_read.version.etag
    )

    stale = await client.put(
        f"/api/files/{pid}/index.html",
        json={"content": "<h1>person</h1>\n"},
        headers={"If-Match": person_etag},
    )
    assert stale.status_code == 412
    assert stale.json()["error"] == "ETagMismatch"
    assert stale.json()["current_etag"] == ai_version.etag
    assert await ai.read("index.html") == b"<h1>from the AI</h1>\n"

    # The person merges and saves over the AI's version; now the AI's stale write fails.
    merged = await client.put(
        f"/api/files/{pid}/index.html",
        json={"content": "<h1>person + AI</h1>\n"},
        headers={"If-Match": f'"{stale.json()["current_etag"]}"'},
    )
    assert merged.status_code == 200
    with pytest.raises(ETagMismatch) as refused:
        await ai.write("index.html", b"<h1>AI again</h1>\n", if_match=ai_version.etag)
    assert refused.value.current_etag == merged.json()["etag"]
    assert await ai.read("index.html") == b"<h1>person + AI</h1>\n"

    # Create-only, and a conditional delete with a stale ETag.
    exists = await client.put(
        f"/api/files/{pid}/index.html", json={"content": "x"}, headers={"If-None-Match": "*"}
    )
    assert exists.status_code == 412
    gone = await client.delete(f"/api/files/{pid}/index.html", headers={"If-Match": person_etag})
    assert gone.status_code == 412
    assert (await client.get(f"/api/files/{pid}/index.html")).status_code == 200


async def test_rename_mkdir_delete(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    await client.put(f"/api/files/{pid}/a.txt", json={"content": "a"})
    await client.put(f"/api/files/{pid}/b.txt", json={"content": "b"})
    async with _events(ctx, pid) as seen:
        moved = await client.post(
            f"/api/files/{pid}/rename", json={"from": "a.txt", "to": "lib/a.txt"}
        )
        assert moved.status_code == 200 and moved.json() == {"from": "a.txt", "to": "lib/a.txt"}
        clash = await client.post(
            f"/api/files/{pid}/rename", json={"from": "b.txt", "to": "lib/a.txt"}
        )
        assert clash.status_code == 409 and clash.json()["error"] == "AlreadyExists"
        made = await client.post(f"/api/files/{pid}/mkdir", json={"path": "assets/img"})
        assert made.status_code == 201
        deleted = await client.delete(f"/api/files/{pid}/b.txt")
        assert deleted.status_code == 204
    kinds = [(e["kind"], e["paths"]) for e in _files(seen)]
    assert kinds == [
        ("renamed", ["a.txt", "lib/a.txt"]),
        ("created", ["assets/img"]),
        ("deleted", ["b.txt"]),
    ]
    assert (await client.get(f"/api/files/{pid}/b.txt")).status_code == 404
    assert (await client.get(f"/api/files/{pid}/lib/a.txt")).json()["content"] == "a"


async def test_search_and_replace_all(client: httpx.AsyncClient) -> None:
    pid = await _project(client)
    await client.put(f"/api/files/{pid}/src/app.js", json={"content": "const Title = 'Hello';\n"})
    await client.put(f"/api/files/{pid}/src/other.ts", json={"content": "let title = 1;\n"})
    found = await client.post(
        f"/api/files/{pid}/search", json={"query": "title", "include": ["src/**"]}
    )
    assert {h["path"] for h in found.json()["hits"]} == {"src/app.js", "src/other.ts"}
    exact = await client.post(
        f"/api/files/{pid}/search",
        json={
            "query": "title",
            "case_sensitive": True,
            "include": ["src/"],
            "exclude": ["*.js"],
        },
    )
    assert [h["path"] for h in exact.json()["hits"]] == ["src/other.ts"]
    regex = await client.post(
        f"/api/files/{pid}/search",
        json={"query": r"Ti\w+ =", "regex": True, "case_sensitive": True},
    )
    assert regex.json()["hits"][0]["preview"].startswith("const Title")
    bad = await client.post(f"/api/files/{pid}/search", json={"query": "(", "regex": True})
    assert bad.status_code == 400 and bad.json()["error"] == "InvalidSearch"

    replaced = await client.post(
        f"/api/files/{pid}/search",
        json={"query": "title", "replace": "heading", "include": ["src/**"]},
    )
    assert replaced.json()["replacements"] == 2
    assert (await client.get(f"/api/files/{pid}/src/other.ts")).json()[
        "content"
    ] == "let heading = 1;\n"


async def test_upload_and_download(client: httpx.AsyncClient, ctx: AppContext) -> None:
    pid = await _project(client)
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    up = await client.post(
        f"/api/files/{pid}/upload",
        data={"directory": "public/img"},
        files=[
            ("files", ("logo.png", png, "image/png")),
            ("files", ("f.woff2", b"wOF2", "font/woff2")),
        ],
    )
    assert up.status_code == 201, up.text
    assert [f["path"] for f in up.json()["files"]] == ["public/img/logo.png", "public/img/f.woff2"]
    raw = await client.get(f"/api/files/{pid}/public/img/logo.png", params={"raw": "1"})
    assert raw.content == png and raw.headers["content-type"] == "image/png"
    assert "sandbox" in raw.headers["content-security-policy"]
    again = await client.post(
        f"/api/files/{pid}/upload",
        files=[("files", ("logo.png", png, "image/png"))],
        data={"directory": "public/img"},
    )
    assert again.status_code == 412
    html = await client.post(
        f"/api/files/{pid}/upload", files=[("files", ("x.html", b"<p>", "text/html"))]
    )
    assert html.status_code == 400
    limit = ctx.settings.file_upload_max_bytes
    big = await client.post(
        f"/api/files/{pid}/upload", files=[("files", ("big.png", bytes(limit + 1), "image/png"))]
    )
    assert big.status_code == 413
    assert not (ctx.runtime.workspace_dir(pid) / "big.png").exists()

    zipped = await client.get(f"/api/projects/{pid}/download")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    assert 'filename="site.zip"' in zipped.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert "site/index.html" in names and "site/public/img/logo.png" in names
    assert not any("/.git/" in n for n in names)
    assert (await client.get(f"/api/files/{pid}/download")).content[:2] == b"PK"
