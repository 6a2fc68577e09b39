"""Retries, stall detection and prompt cleanup around one provider's streaming attempts.

Providers create their SDK clients with ``max_retries=0`` and hand this module an
``attempt`` factory (one HTTP request translated to ``StreamEvent``s) and a ``classify``
function (an exception to a typed ``LLMError``). The behaviour is ours, so it is the same
for every provider and testable against the fake server.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass

import anyio

from appwright.llm.errors import LLMError, LLMRateLimited, LLMStallError
from appwright.llm.types import StreamEvent, StreamReset, ToolCallEnd

__all__ = ["RetryPolicy", "resilient_stream"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a provider tries.

    ``max_attempts`` counts every request for 429/5xx/connection errors; a stall (no
    stream event for ``stall_timeout`` seconds) is retried ``stall_retries`` times and then
    raises ``LLMStallError``. ``request_timeout`` is the HTTP timeout given to the SDK.
    """

    max_attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 20.0
    max_retry_after: float = 60.0
    stall_timeout: float = 60.0
    stall_retries: int = 1
    request_timeout: float = 180.0
    close_timeout: float = 5.0

    def backoff(self, failures: int) -> float:
        """Exponential backoff with jitter for the ``failures``-th consecutive failure."""
        delay = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        return float(delay * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not secrecy


class _Stalled(Exception):
    pass


async def resilient_stream(
    attempt: Callable[[], AsyncGenerator[StreamEvent, None]],
    classify: Callable[[BaseException], LLMError],
    policy: RetryPolicy,
    *,
    provider: str,
) -> AsyncIterator[StreamEvent]:
    """Run ``attempt`` until one finishes, retrying per ``policy``.

    When a retry follows partial output, a ``StreamReset`` tells the consumer to discard
    it. A retry never replays a completed native tool call: once an attempt has emitted a
    ``ToolCallEnd`` (which the agent may already have executed), a failure is raised
    instead, and the agent continues from what it has. Closing this iterator (or
    cancelling its consumer) closes the attempt's HTTP stream.
    """
    failures = 0
    stalls = 0
    while True:
        gen = attempt()
        emitted = False
        acted = False  # a ToolCallEnd went out: the consumer may have executed it
        reason = ""
        try:
            while True:
                with anyio.move_on_after(policy.stall_timeout) as scope:
                    event = await gen.__anext__()
                if scope.cancelled_caught:
                    raise _Stalled
                emitted = True
                acted = acted or isinstance(event, ToolCallEnd)
                yield event
        except StopAsyncIteration:
            return
        except _Stalled:
            stalls += 1
            log.warning("llm stream stalled", extra={"provider": provider, "stalls": stalls})
            if stalls > policy.stall_retries or acted:
                tries = f", {stalls} attempts" if stalls > 1 else ""
                raise LLMStallError(
                    f"The {provider} model stopped responding (no data for "
                    f"{policy.stall_timeout:g} s{tries}). Try again later or pick another model.",
                    retryable=True,
                ) from None
            reason = "the model stalled; retrying"
        except Exception as exc:
            error = classify(exc)
            failures += 1
            if not error.retryable or failures >= policy.max_attempts or acted:
                raise error from exc
            delay = policy.backoff(failures)
            if isinstance(error, LLMRateLimited) and error.retry_after is not None:
                if error.retry_after > policy.max_retry_after:
                    raise error from exc
                delay = error.retry_after
            log.warning(
                "llm call failed, retrying",
                extra={"provider": provider, "attempt": failures, "delay": round(delay, 3)},
            )
            reason = f"{error}; retrying"
            await anyio.sleep(delay)
        finally:
            # Shielded: a cancelled consumer must still release the HTTP connection, and
            # the server must see the stream closed.
            with anyio.move_on_after(policy.close_timeout, shield=True):
                await gen.aclose()
        if emitted:
            yield StreamReset(reason)
