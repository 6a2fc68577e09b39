"""Agent benchmark: the loop's own overhead, the SSE relay latency, the context size.

    .venv/bin/python bench/agent.py [--turns 30]

* iteration overhead: a whole turn through the real chat path (``stream_turn``: loop,
  tools, automatic check, usage rows, the commit, persistence) for a 3-file change, with
  a scripted in-process model that answers instantly, so the time is the platform's own;
  the model's waiting time is measured and subtracted anyway.
* SSE relay: provider chunk handed to the loop → SSE bytes out of the generator.
* context: the prompt for a turn on a 60-file project, and whether every file the request
  needs (the one named, its imports, the open file) is in it.

Last line: ``RESULT iteration_overhead_p50_ms=… sse_relay_p50_ms=… context_tokens_60_files=…
context_needed_files_included=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appwright.agent.files_context import collect_files, estimate_tokens
from appwright.agent.prompt import ProjectFacts, stable_prompt, volatile_prompt
from appwright.chat.service import PreparedTurn
from appwright.chat.turns import stream_turn
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.llm.catalog import DEFAULT_CATALOG
from appwright.llm.selection import ResolvedModel
from appwright.llm.types import (
    ChatRequest,
    Stop,
    StreamEvent,
    TextDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
)
from appwright.migrations import upgrade
from appwright.models import ChatThread, Message, Project, User
from appwright.versions.history import start_history
from appwright.workspace import LocalWorkspace

MODEL = next(m for m in DEFAULT_CATALOG if m.id == "claude-haiku-4-5")


class ScriptedModel:
    """An in-process ``LLMProvider``: turn 1 writes three files, turn 2 summarises.

    ``sent`` records when each text chunk was handed over, for the relay latency.
    """

    def __init__(self, turn: int, chunks: int = 0) -> None:
        self.turn = turn
        self.chunks = chunks
        self.sent: dict[str, float] = {}

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        replies = sum(1 for m in request.messages if m.role == "assistant")
        if self.chunks:
            for n in range(self.chunks):
                token = f"<c{n:05d}>"
                self.sent[token] = time.perf_counter()
                yield TextDelta(token)
                await asyncio.sleep(0.001)  # a model streams; chunks do not arrive at once
        elif replies == 0:
            yield TextDelta("Adding the pricing section.")
            for i, (path, body) in enumerate(
                [
                    ("pricing.html", f"<section><h2>Pricing {self.turn}</h2></section>\n"),
                    ("pricing.css", f"h2 {{ margin: {self.turn}px; }}\n"),
                    ("index.html", f"<!doctype html><main>Turn {self.turn}</main>\n"),
                ]
            ):
                call_id = f"call-{i}"
                args = {"path": path, "content": body}
                yield ToolCallStart(call_id, "create_file")
                yield ToolCallEnd(call_id, "create_file", args, "")
        else:
            yield TextDelta("Done.\n\nNext steps:\n- Add a FAQ")
        yield Usage(input_tokens=1000, output_tokens=100)
        yield Stop("end_turn")


async def _rows(ctx: AppContext, project_id: uuid.UUID) -> tuple[User, Project, ChatThread]:
    async with ctx.sessions() as session:
        user = User(email=f"{uuid.uuid4().hex}@bench.local", password_hash="!", name="Bench")  # noqa: S106 - never signs in
        user.subscription_tier = "enterprise"
        session.add(user)
        await session.flush()
        project = Project(id=project_id, user_id=user.id, name="Bench", template="static")
        session.add(project)
        await session.flush()
        thread = ChatThread(project_id=project.id)
        session.add(thread)
        await session.commit()
        return user, project, thread


async def _turn(
    ctx: AppContext, user: User, project: Project, thread: ChatThread, model: ScriptedModel
) -> tuple[float, dict[str, float], int]:
    async with ctx.sessions() as session:
        asked = Message(thread_id=thread.id, role="user", content="Add a pricing section")
        session.add(asked)
        await session.flush()
        reply = Message(thread_id=thread.id, parent_id=asked.id, role="assistant", content="")
        session.add(reply)
        await session.commit()
    turn = PreparedTurn(
        user=user,
        project=project,
        thread_id=thread.id,
        user_message=asked,
        assistant_message_id=reply.id,
        history=[],
        model=ResolvedModel(MODEL, model, "native", "server"),
    )
    received: dict[str, float] = {}
    iterations = 0
    done: dict[str, Any] = {}
    start = time.perf_counter()
    async for chunk in stream_turn(ctx, turn):
        now = time.perf_counter()
        text = chunk.decode()
        if text.startswith("event: text"):
            for token in model.sent:
                if token in text and token not in received:
                    received[token] = now
        if text.startswith("event: iteration"):
            iterations += 1
        if text.startswith("event: done"):
            done = json.loads(text.split("data: ", 1)[1])
    elapsed = time.perf_counter() - start
    # A figure only counts for a turn that did its whole job: three files, one commit.
    if not model.chunks:
        commit = done.get("commit") or {}
        if done.get("status") != "complete" or len(commit.get("files", [])) != 3:
            raise SystemExit(f"the scripted turn did not complete with a 3-file commit: {done}")
    return elapsed, received, iterations


def _sixty_files(root: Path) -> list[str]:
    """A React-style project of 60 files; returns the files the request below needs."""
    (root / "src/components").mkdir(parents=True)
    (root / "src/lib").mkdir(parents=True)
    (root / "src/pages").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "shop", "dependencies": {"react": "18"}}\n')
    (root / "package-lock.json").write_text("{}\n" * 2000)
    body = "\n".join(f"  // detail line {n} of the component's markup" for n in range(40))
    for i in range(40):
        (root / f"src/components/Widget{i:02d}.tsx").write_text(
            f'import {{ cn }} from "../lib/cn";\nexport function Widget{i:02d}() {{\n{body}\n'
            f'  return <div className={{cn("w")}}>Widget {i}</div>;\n}}\n'
        )
    for i in range(14):
        (root / f"src/lib/util{i:02d}.ts").write_text(
            f"export const util{i} = (n: number) => n * {i};\n" + body + "\n"
        )
    (root / "src/lib/cn.ts").write_text("export const cn = (...c: string[]) => c.join(' ');\n")
    (root / "src/lib/format.ts").write_text(
        "export const price = (cents: number) => `$${(cents / 100).toFixed(2)}`;\n"
    )
    (root / "src/components/ProductCard.tsx").write_text(
        'import { price } from "../lib/format";\nimport { Badge } from "./Badge";\n'
        "export function ProductCard({ cents }: { cents: number }) {\n"
        "  return <div><Badge />{price(cents)}</div>;\n}\n"
    )
    (root / "src/components/Badge.tsx").write_text("export const Badge = () => <span>new</span>;\n")
    (root / "src/pages/Shop.tsx").write_text(
        'import { ProductCard } from "../components/ProductCard";\n'
        "export default function Shop() { return <ProductCard cents={100} />; }\n"
    )
    (root / ".env").write_text("STRIPE_SECRET=sk_live_should_never_be_seen\n")
    return [
        "src/components/ProductCard.tsx",
        "src/lib/format.ts",
        "src/components/Badge.tsx",
        "src/pages/Shop.tsx",
    ]


async def _context(tmp: Path) -> tuple[int, float, int]:
    root = tmp / "sixty"
    needed = _sixty_files(root)
    workspace = LocalWorkspace(root)
    message = "Show the price in bold in the ProductCard and make the badge red."
    files = await collect_files(
        workspace,
        message=message,
        open_files=["src/pages/Shop.tsx"],
        recent=[],
        budget_tokens=min(14_000, MODEL.context_window // 5),
    )
    facts = ProjectFacts("Shop", None, ("react", "typescript"), "React", "Use Tailwind.", False)
    system = stable_prompt(facts, files, xml_tools=False, max_iterations=10)
    volatile = volatile_prompt(
        iteration=1, max_iterations=10, open_files=["src/pages/Shop.tsx"], changed=[],
        fix_attempts=0,
    )  # fmt: skip
    assert "sk_live" not in system
    total = estimate_tokens(system) + estimate_tokens(volatile) + estimate_tokens(message)
    total += 2_500  # the native tool definitions (JSON schemas), measured once
    included = sum(1 for path in needed if path in files.files) / len(needed)
    return total, included, len(files.all_paths)


async def main(turns: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        settings = Settings(
            data_dir=tmp / "data", secret_key="bench-secret-" + "x" * 40,
            autostart_previews=False, sandbox_name_prefix="awb",
            sandbox_subnet="10.233.7.0/24",
        )  # fmt: skip
        await upgrade(settings.resolved_database_url)
        ctx = AppContext.build(settings)
        try:
            project_id = uuid.uuid4()
            await ctx.runtime.materialise(str(project_id), "static")
            await start_history(ctx.runtime, str(project_id), "static")
            user, project, thread = await _rows(ctx, project_id)
            overheads: list[float] = []
            per_iteration: list[float] = []
            for n in range(turns + 3):
                model = ScriptedModel(n)
                elapsed, _, iterations = await _turn(ctx, user, project, thread, model)
                if n >= 3:  # warm-up: imports, first git calls, SQLite pages
                    overheads.append(elapsed * 1000)
                    per_iteration.append(elapsed * 1000 / max(1, iterations))
            relay: list[float] = []
            for _ in range(3):
                model = ScriptedModel(0, chunks=200)
                _, received, _ = await _turn(ctx, user, project, thread, model)
                relay += [(received[t] - model.sent[t]) * 1000 for t in received]
            tokens, included, file_count = await _context(tmp)
        finally:
            await ctx.close()
    turn_p50 = statistics.median(overheads)
    print(
        f"3-file turn (2 iterations, tools, check, usage rows, commit, persistence), "
        f"model time excluded: p50 {turn_p50:.1f} ms, "
        f"p90 {statistics.quantiles(overheads, n=10)[-1]:.1f} ms over {len(overheads)} turns"
    )
    print(f"  per iteration: p50 {statistics.median(per_iteration):.1f} ms")
    print(
        f"SSE relay provider chunk -> SSE bytes: p50 {statistics.median(relay):.3f} ms, "
        f"p99 {statistics.quantiles(relay, n=100)[-1]:.3f} ms over {len(relay)} chunks"
    )
    print(
        f"context for a turn on a {file_count}-file project: ~{tokens} tokens, "
        f"needed files included: {included:.2f}"
    )
    print(
        f"RESULT iteration_overhead_p50_ms={turn_p50:.1f} "
        f"sse_relay_p50_ms={statistics.median(relay):.3f} "
        f"context_tokens_60_files={tokens} context_needed_files_included={included:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=30)
    asyncio.run(main(parser.parse_args().turns))
