"""The agent's iteration loop for one user message (docs/PRODUCT.md §6.3).

Each iteration is one model call. Tool calls run as soon as they are complete (calls that
become ready together run in a safe order); their results go back to the model. After an
iteration that changed files the loop runs ``check_for_errors`` itself and keeps going
while errors remain, with at most three fix attempts, and stops with an explanation when
the same error comes back after a fix or the model repeats itself. The turn ends with one
git commit; a failed or cancelled turn puts every file it touched back as it was.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import anyio

from appwright.agent.prompt import volatile_prompt
from appwright.agent.response import AgentEvent, ReadyCall, ResponseReader
from appwright.agent.suggestions import commit_message, parse_suggestions
from appwright.agent.tool_specs import tool_definitions
from appwright.agent.tools import ToolContext, ToolResult, execute_tool, safe_order
from appwright.agent.tools.checks import error_signature
from appwright.llm.catalog import ModelInfo
from appwright.llm.types import (
    ChatRequest,
    LLMProvider,
    Message,
    Part,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    Usage,
)
from appwright.versions import Version
from appwright.versions.history import repo_for

__all__ = ["AgentLoop", "TurnHooks", "TurnOutcome"]

log = logging.getLogger("appwright.agent")

MAX_FIX_ATTEMPTS = 3
_REPEAT_LIMIT = 3  # the same failing call this often in a turn means the model is stuck
_STORED_ARG_CHARS = 2000
_CHANGING_COMMANDS = frozenset({"send_terminal_command", "add_dependency"})

Emit = Callable[[AgentEvent], None]
TurnStatus = Literal["complete", "stopped", "cancelled", "error"]


class TurnHooks(Protocol):
    """What the loop needs from the platform around each model call."""

    async def before_call(self) -> None:
        """Raise (e.g. ``TooManyRequests``) when the plan's limits forbid another call."""
        ...

    async def record_usage(self, model: ModelInfo, usage: Usage) -> dict[str, Any]:
        """Store one call's usage; return the ``usage`` event's data (with totals)."""
        ...


@dataclass(slots=True)
class TurnOutcome:
    """How a turn ended, for persistence and the ``done`` event."""

    status: TurnStatus = "complete"
    text: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    commit: Version | None = None
    stop_reason: str | None = None
    error: str | None = None
    output_tokens: int = 0
    iterations: int = 0
    suggestions: list[str] = field(default_factory=list)


def _compact(arguments: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        if isinstance(value, str) and len(value) > _STORED_ARG_CHARS:
            value = value[:_STORED_ARG_CHARS] + f"… ({len(value)} characters)"
        out[key] = value
    return out


class AgentLoop:
    """Runs one turn. ``run(emit)`` relays events through ``emit`` and returns the outcome;
    cancelling the task running it stops the model stream and restores the files."""

    def __init__(
        self,
        *,
        provider: LLMProvider,
        model: ModelInfo,
        protocol: Literal["native", "xml"],
        tools: ToolContext,
        system: str,
        messages: list[Message],
        user_request: str,
        message_id: str,
        hooks: TurnHooks,
        max_iterations: int = 10,
        max_tokens: int = 8192,
    ) -> None:
        self.provider = provider
        self.model = model
        self.protocol = protocol
        self.ctx = tools
        self.system = system
        self.messages = list(messages)
        self.user_request = user_request
        self.message_id = message_id
        self.hooks = hooks
        self.max_iterations = max_iterations
        self.max_tokens = min(max_tokens, model.max_output)
        self.outcome = TurnOutcome()
        self._texts: list[str] = []
        self._emit: Emit = lambda _event: None
        self._auto_check: ToolResult | None = None
        self.model_seconds = 0.0  # time spent waiting on the model, for the benchmark

    # ------------------------------------------------------------------ the turn

    async def run(self, emit: Emit) -> TurnOutcome:
        """Run the turn to its end (or cancellation, which re-raises after restoring)."""
        self._emit = emit
        try:
            status, reason = await self._iterate()
            self.outcome.status = status
            self.outcome.stop_reason = reason
            if reason is not None:
                self._say(reason)
            await self._commit()
        except anyio.get_cancelled_exc_class():
            with anyio.CancelScope(shield=True):
                await self._rollback("cancelled", "The turn was stopped; no files were changed.")
            raise
        except Exception as exc:
            message = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
            if not hasattr(exc, "retryable") and not hasattr(exc, "detail"):
                log.exception("agent.turn_failed project=%s", self.ctx.project_id)
                message = "The turn failed because of an internal problem; it was logged."
            with anyio.CancelScope(shield=True):
                await self._rollback("error", message)
            self.outcome.error = message
            self._emit(AgentEvent("error", _error_data(exc, message)))
        self.outcome.text = "".join(self._texts).strip()
        self.outcome.suggestions = parse_suggestions(self.outcome.text)
        return self.outcome

    async def _iterate(self) -> tuple[TurnStatus, str | None]:
        fixes = 0
        last_errors: str | None = None
        previous_calls: list[str] | None = None
        failures: Counter[str] = Counter()
        for iteration in range(1, self.max_iterations + 1):
            self.outcome.iterations = iteration
            self._emit(
                AgentEvent(
                    "iteration",
                    {
                        "iteration": iteration,
                        "max_iterations": self.max_iterations,
                        "fix_attempt": fixes,
                    },
                )
            )
            await self.hooks.before_call()
            reader, results = await self._call_model(iteration, fixes)
            self._texts.append(reader.visible_text)
            if not reader.calls:
                return "complete", None
            signature = sorted(c.signature for c in reader.calls)
            for call, result in results:
                if not result.ok:
                    failures[call.signature] += 1
            errors = await self._errors_after(iteration, results)
            self._tool_results(reader, results)
            if signature == previous_calls or max(failures.values(), default=0) >= _REPEAT_LIMIT:
                return "stopped", (
                    "I stopped because I was repeating the same action without progress. "
                    "Please describe the change differently or give more detail."
                )
            previous_calls = signature
            if errors:
                found = error_signature(errors)
                listing = "\n".join(f"- {e}" for e in errors[:5])
                if fixes > 0 and found == last_errors:
                    return "stopped", (
                        "I stopped: the same error came back after my fix, so another attempt "
                        f"would likely fail the same way.\n{listing}\n"
                        "Tell me more about what you expect, or fix it in the editor."
                    )
                if fixes >= MAX_FIX_ATTEMPTS:
                    return "stopped", (
                        f"I stopped after {MAX_FIX_ATTEMPTS} attempts to fix the errors; "
                        f"these remain:\n{listing}"
                    )
                fixes += 1
                last_errors = found
            elif errors is not None:
                last_errors = None
        return "stopped", (
            f"I reached the limit of {self.max_iterations} steps for one message. "
            'Say "continue" and I will carry on from here.'
        )

    # ------------------------------------------------------------------ one model call

    async def _call_model(
        self, iteration: int, fixes: int
    ) -> tuple[ResponseReader, list[tuple[ReadyCall, ToolResult]]]:
        request = ChatRequest(
            model=self.model.id,
            messages=tuple(self.messages),
            system=self.system,
            system_volatile=volatile_prompt(
                iteration=iteration,
                max_iterations=self.max_iterations,
                open_files=self.ctx.open_files,
                changed=self.ctx.changes.changed,
                fix_attempts=fixes,
            ),
            tools=tuple(tool_definitions()) if self.protocol == "native" else (),
            max_tokens=self.max_tokens,
        )
        reader = ResponseReader(self.protocol, iteration)
        results: list[tuple[ReadyCall, ToolResult]] = []
        stream = self.provider.stream(request)
        waited = time.perf_counter()
        try:
            async for event in stream:
                self.model_seconds += time.perf_counter() - waited
                ui, ready = reader.feed(event)
                for item in ui:
                    self._emit(item)
                if ready:
                    await self._execute(ready, results, reader)
                waited = time.perf_counter()
        finally:
            with anyio.CancelScope(shield=True):
                await _aclose(stream)
        ui, ready = reader.finish()
        for item in ui:
            self._emit(item)
        if ready:
            await self._execute(ready, results, reader)
        for usage in reader.usage:
            self.outcome.output_tokens += usage.output_tokens
            self._emit(AgentEvent("usage", await self.hooks.record_usage(self.model, usage)))
        return reader, results

    async def _execute(
        self,
        ready: list[ReadyCall],
        results: list[tuple[ReadyCall, ToolResult]],
        reader: ResponseReader,
    ) -> None:
        for index in safe_order([c.name for c in ready]):
            call = ready[index]
            if call.error is not None:
                result = ToolResult(ok=False, content=call.error, summary="not executed")
            elif call.replayed:
                result = ToolResult(ok=True, content="Already applied.", summary="already applied")
            else:
                result = await execute_tool(self.ctx, call.name, call.arguments)
                reader.executed.add(call.signature)
            results.append((call, result))
            self._finished(call.id, call.name, reader.iteration, result, call.arguments)

    def _finished(
        self,
        call_id: str,
        name: str,
        iteration: int,
        result: ToolResult,
        arguments: dict[str, Any],
        *,
        automatic: bool = False,
    ) -> None:
        data = {"id": call_id, "name": name, "iteration": iteration, **result.for_ui()}
        if automatic:
            data["automatic"] = True
        self._emit(AgentEvent("tool_call_finished", data))
        self.outcome.tool_calls.append({**data, "arguments": _compact(arguments)})

    # ------------------------------------------------------------------ errors and results

    async def _errors_after(
        self, iteration: int, results: list[tuple[ReadyCall, ToolResult]]
    ) -> list[str] | None:
        """The errors to act on: the model's own last check if nothing changed after it,
        else an automatic check; None when nothing changed and nothing was checked."""
        last_change = max(
            (i for i, (c, r) in enumerate(results) if r.changed or c.name in _CHANGING_COMMANDS),
            default=-1,
        )
        last_check = max(
            (i for i, (c, r) in enumerate(results) if r.errors is not None), default=-1
        )
        if last_check > last_change:
            return results[last_check][1].errors
        if last_change < 0:
            return None
        call_id = f"auto-check-{iteration}"
        self._emit(
            AgentEvent(
                "tool_call_started",
                {
                    "id": call_id,
                    "name": "check_for_errors",
                    "iteration": iteration,
                    "automatic": True,
                },
            )
        )
        result = await execute_tool(self.ctx, "check_for_errors", {})
        self._finished(call_id, "check_for_errors", iteration, result, {}, automatic=True)
        self._auto_check = result
        return result.errors

    def _tool_results(
        self,
        reader: ResponseReader,
        results: list[tuple[ReadyCall, ToolResult]],
    ) -> None:
        """Append this iteration's assistant turn and the tool results (with the automatic
        check's findings, when one ran)."""
        note = ""
        if self._auto_check is not None:
            note = f"Automatic check after your changes: {self._auto_check.content}"
            self._auto_check = None
        if self.protocol == "native":
            parts: list[Part] = []
            if reader.visible_text:
                parts.append(TextPart(reader.visible_text))
            parts += [ToolCallPart(c.id, c.name, c.arguments) for c in reader.calls]
            self.messages.append(Message("assistant", tuple(parts)))
            done = {c.id: r for c, r in results}
            answers: list[Part] = [
                ToolResultPart(
                    c.id,
                    done[c.id].content if c.id in done else "Not executed.",
                    is_error=not done[c.id].ok if c.id in done else True,
                )
                for c in reader.calls
            ]
            if note:
                answers.append(TextPart(note))
            self.messages.append(Message("user", tuple(answers)))
        else:
            self.messages.append(Message.assistant("".join(reader.raw_text)))
            blocks = [
                f'<tool_result name="{c.name}" status="{"ok" if r.ok else "error"}">\n'
                f"{r.content}\n</tool_result>"
                for c, r in results
            ]
            text = "Tool results:\n" + "\n".join(blocks)
            if note:
                text += "\n\n" + note
            self.messages.append(Message.user(text))

    # ------------------------------------------------------------------ end of turn

    def _say(self, text: str) -> None:
        block = ("\n\n" if "".join(self._texts).strip() else "") + text
        self._texts.append(block)
        self._emit(AgentEvent("text", {"iteration": self.outcome.iterations, "text": block}))

    async def _commit(self) -> None:
        self.outcome.changed = list(self.ctx.changes.changed)
        if not self.ctx.changes.changed and not self.ctx.changes.last_change:
            return
        repo = repo_for(self.ctx.runtime, self.ctx.project_id)
        message = commit_message(self.user_request, self.outcome.changed)
        self.outcome.commit = await repo.commit_all(
            message, author="ai", trailers={"Appwright-Message": self.message_id}
        )

    async def _rollback(self, status: TurnStatus, reason: str) -> None:
        self.outcome.status = status
        self.outcome.stop_reason = reason
        restored = await self.ctx.changes.restore()
        self.outcome.changed = []
        if restored:
            log.info("agent.rolled_back project=%s files=%d", self.ctx.project_id, len(restored))


def _error_data(exc: Exception, message: str) -> dict[str, Any]:
    code = {
        "LLMStallError": "stalled",
        "LLMRateLimited": "provider_rate_limited",
        "LLMAuthError": "provider_auth",
        "TooManyRequests": "rate_limited",
    }.get(type(exc).__name__, "model_error" if hasattr(exc, "retryable") else "internal")
    data: dict[str, Any] = {"code": code, "message": message}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        data["retry_after"] = retry_after
    return data


async def _aclose(stream: Any) -> None:
    close: Callable[[], Awaitable[None]] | None = getattr(stream, "aclose", None)
    if close is not None:
        with contextlib.suppress(Exception):
            await close()


def dumps(data: Any) -> str:
    """Compact JSON for SSE payloads."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
