"""The system prompt (docs/PRODUCT.md §6.1) and the conversation history sent to the model.

The prompt has a stable part (identity, rules, response format, tool format, the
template's AI rules, the project and its files as they were when the turn began), which
providers cache across the iterations of a turn, and a volatile part (date and time,
iteration counters, open files, files changed so far), never cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from appwright.agent.files_context import FileContext, estimate_tokens
from appwright.agent.xml_format import render_xml_tool_prompt
from appwright.llm.types import Message

__all__ = ["HistoryItem", "ProjectFacts", "build_history", "stable_prompt", "volatile_prompt"]

IDENTITY = """You are appwright, an expert full-stack web developer working inside the \
user's project. You build what the user asks by changing the project's files with your \
tools. A live preview reloads after every change, and every turn becomes a version the \
user can revert."""

RULES = """# Rules
- Change files only through tools. Never paste whole files into your reply.
- To change part of an existing file use update_file_sections; copy each search text \
exactly from the current file. Use full_file_rewrite only when most of a file changes.
- Always write complete content: never placeholders such as "// ... rest of the code".
- Paths are relative to the project root (src/App.tsx). Never touch .git, lock files, \
node_modules or files the project rules protect; add packages with add_dependency.
- Never print or guess secrets. .env values are hidden from you; use the variable names.
- Do not start the dev server: it runs on its own. After changing files, check_for_errors \
runs automatically; fix what it reports.
- Keep changes focused on the request; keep the existing style and structure.
- If a tool fails, read its message: it says what to do differently."""

RESPONSE_FORMAT = """# Response format
- Start with one short sentence saying what you will do, then make the changes.
- When the work is done, reply without tool calls: summarise what changed in two or \
three sentences, then a section "Next steps:" with two or three short suggestions as \
"- " bullets (things the user might ask for next)."""


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What the prompt says about the project itself."""

    name: str
    description: str | None
    stack: tuple[str, ...]
    template_name: str
    ai_rules: str
    backend_connected: bool


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One earlier message of the branch, as the model should see it."""

    role: str
    content: str
    changed_files: tuple[str, ...] = ()


def stable_prompt(
    facts: ProjectFacts, files: FileContext, *, xml_tools: bool, max_iterations: int
) -> str:
    """Identity, rules, format, tools (XML form when needed), project rules and files."""
    parts = [IDENTITY, RULES, RESPONSE_FORMAT]
    if xml_tools:
        parts.append(render_xml_tool_prompt())
    project = [
        "# Project",
        f"Name: {facts.name}",
        *([f"Description: {facts.description}"] if facts.description else []),
        f"Template: {facts.template_name}; stack: {', '.join(facts.stack)}",
        f"Backend connected: {'yes' if facts.backend_connected else 'no'}",
        f"You have at most {max_iterations} iterations (model replies) per user message.",
    ]
    parts += ["\n".join(project), "# Project rules (from the template)\n" + facts.ai_rules]
    parts.append("# File tree (folder: files)\n" + files.tree)
    if files.files:
        blocks = [f'<file path="{p}">\n{text}\n</file>' for p, text in files.files.items()]
        parts.append(
            "# Current content of the relevant files (at the start of this turn)\n"
            + "\n\n".join(blocks)
        )
    if files.omitted:
        parts.append(
            "Not shown for lack of room (use read_files when you need them): "
            + ", ".join(files.omitted[:50])
        )
    return "\n\n".join(parts)


def volatile_prompt(
    *,
    now: datetime | None = None,
    iteration: int,
    max_iterations: int,
    open_files: list[str],
    changed: list[str],
    fix_attempts: int,
) -> str:
    """The part of the prompt that changes every call."""
    now = now or datetime.now(UTC)
    lines = [
        f"Current date and time: {now:%Y-%m-%d %H:%M} UTC",
        f"Iteration {iteration} of {max_iterations}.",
    ]
    if fix_attempts:
        lines.append(f"Automatic error-fix attempts so far this turn: {fix_attempts} of 3.")
    if open_files:
        lines.append("Open in the editor: " + ", ".join(open_files))
    if changed:
        lines.append("Changed so far this turn: " + ", ".join(changed))
    return "\n".join(lines)


def _summary(items: list[HistoryItem]) -> str:
    lines = ["Summary of the earlier conversation:"]
    for item in items:
        who = "User" if item.role == "user" else "You"
        text = " ".join(item.content.split())
        text = text[:240] + ("…" if len(text) > 240 else "")
        changed = f" (changed: {', '.join(item.changed_files[:8])})" if item.changed_files else ""
        lines.append(f"- {who}: {text}{changed}")
    return "\n".join(lines)


def _text(item: HistoryItem) -> str:
    if item.role == "assistant" and item.changed_files:
        return f"{item.content}\n\n[Files changed: {', '.join(item.changed_files)}]"
    return item.content


def build_history(items: list[HistoryItem], budget_tokens: int) -> list[Message]:
    """Earlier messages: the newest verbatim within the budget, older ones summarised
    (deterministically) into the first user turn; roles alternate, starting with user."""
    kept: list[HistoryItem] = []
    spent = 0
    for item in reversed(items):
        cost = estimate_tokens(_text(item))
        if spent + cost > budget_tokens:
            break
        kept.insert(0, item)
        spent += cost
    older = items[: len(items) - len(kept)]
    merged: list[dict[str, Any]] = []
    if older:
        merged.append({"role": "user", "text": _summary(older)})
    for item in kept:
        role = "assistant" if item.role == "assistant" else "user"
        text = _text(item)
        if merged and merged[-1]["role"] == role:
            merged[-1]["text"] += "\n\n" + text
        else:
            merged.append({"role": role, "text": text})
    if merged and merged[0]["role"] == "assistant":
        merged.insert(0, {"role": "user", "text": "(conversation continues)"})
    return [
        Message.user(m["text"]) if m["role"] == "user" else Message.assistant(m["text"])
        for m in merged
        if m["text"].strip()
    ]
