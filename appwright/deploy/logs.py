"""A deployment's build log as Server-Sent Events: what is kept so far, then each new
chunk as the build writes it, then ``done`` with how the deployment ended.

The log is the deployment's ``build.log`` file (written by the publisher's build task,
possibly in another request's lifetime), read from the last offset every
``POLL_S``; the deployment's row says when the build has ended. The row is read before
the file, so everything written before the end is sent before ``done``.
"""

from __future__ import annotations

import asyncio
import codecs
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import anyio

from appwright.core.sse import sse
from appwright.deploy import repository
from appwright.deploy.artefacts import log_path
from appwright.deploy.deps import DeployServices
from appwright.deploy.schemas import DeploymentRead

POLL_S = 0.25
CHUNK_BYTES = 64 * 1024
FINISHED = ("ready", "error", "canceled")


async def log_events(
    ctx: DeployServices, project_id: uuid.UUID, deployment_id: uuid.UUID
) -> AsyncIterator[bytes]:
    path = log_path(ctx.publisher.artefact(project_id, deployment_id))
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    offset = 0
    while True:
        async with ctx.sessions() as session:
            dep = await repository.deployment_of(session, project_id, deployment_id)
            ended = DeploymentRead.model_validate(dep) if dep else None
        if ended is not None and ended.status not in FINISHED:
            ended = None
        while True:
            data = await _read(path, offset)
            offset += len(data)
            text = decoder.decode(data, final=ended is not None and len(data) < CHUNK_BYTES)
            if text:
                yield sse("log", {"text": text})
            if len(data) < CHUNK_BYTES:
                break
        if ended is not None or dep is None:
            done = ended.model_dump(mode="json") if ended else {"status": "canceled"}
            yield sse("done", done)
            return
        await asyncio.sleep(POLL_S)


async def _read(path: Path, offset: int) -> bytes:
    def read() -> bytes:
        try:
            with path.open("rb") as f:
                f.seek(offset)
                return f.read(CHUNK_BYTES)
        except FileNotFoundError:
            return b""

    return await anyio.to_thread.run_sync(read)
