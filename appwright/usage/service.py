"""Usage and plan limits (docs/PRODUCT.md §6.4, §7): one ``api_usage`` row per model call, and the
plan's requests/hour and tokens/month checked before every call.

A "request" is one model call, the unit that costs money; counts come from the database,
so every API instance of a scaled deployment sees the same figures.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appwright.core.errors import TooManyRequests
from appwright.core.plans import limits_for
from appwright.llm.catalog import ModelInfo, cost_usd
from appwright.llm.types import Usage
from appwright.models import ApiUsage, User
from appwright.usage import repository
from appwright.usage.schemas import UsageTotals

__all__ = [
    "DbTurnHooks",
    "check_limits",
    "record_call",
    "totals_by_message",
    "totals_by_thread",
    "totals_of_messages",
]


def _next_month(now: datetime) -> datetime:
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)


async def check_limits(session: AsyncSession, user: User, *, now: datetime | None = None) -> None:
    """Raise ``TooManyRequests`` (429 with Retry-After) when the plan allows no more calls."""
    now = now or datetime.now(UTC)
    plan = limits_for(user.subscription_tier)
    if plan.requests_per_hour is not None:
        calls = await repository.calls_since(session, user.id, now - timedelta(hours=1))
        if len(calls) >= plan.requests_per_hour:
            oldest = calls[len(calls) - plan.requests_per_hour]
            wait = math.ceil((oldest + timedelta(hours=1) - now).total_seconds()) + 1
            raise TooManyRequests(
                f"Your {user.subscription_tier} plan allows {plan.requests_per_hour} AI "
                f"requests per hour and you have used them. Try again in {_human(wait)}, "
                "or upgrade your plan.",
                retry_after=max(1, wait),
            )
    if plan.tokens_per_month is not None:
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        used = await repository.tokens_since(session, user.id, start)
        if used >= plan.tokens_per_month:
            wait = math.ceil((_next_month(now) - now).total_seconds())
            raise TooManyRequests(
                f"Your {user.subscription_tier} plan includes {plan.tokens_per_month:,} tokens "
                f"per month and this month's are used up ({used:,}). They renew on "
                f"{_next_month(now):%B 1}; upgrade your plan to continue now.",
                retry_after=max(1, wait),
            )


def _human(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def tokens_of(usage: Usage) -> int:
    """Every token a call counts against the plan (cached ones included)."""
    return (
        usage.input_tokens
        + usage.output_tokens
        + usage.cache_read_tokens
        + usage.cache_write_tokens
    )


async def record_call(
    sessions: async_sessionmaker[AsyncSession],
    user_id: uuid.UUID,
    model: ModelInfo,
    usage: Usage,
    *,
    project_id: uuid.UUID | None = None,
    message_id: uuid.UUID | None = None,
    operation_type: str = "ai_request",
) -> float:
    """Write the ``api_usage`` row of one model call in a session of its own; its cost."""
    cost = cost_usd(model, usage)
    async with sessions() as session:
        repository.add_call(
            session,
            ApiUsage(
                user_id=user_id,
                project_id=project_id,
                message_id=message_id,
                operation_type=operation_type,
                model=model.id,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_read_tokens=usage.cache_read_tokens,
                cache_write_tokens=usage.cache_write_tokens,
                tokens_used=tokens_of(usage),
                cost_usd=Decimal(str(cost)),
            ),
        )
        await session.commit()
    return cost


class DbTurnHooks:
    """``TurnHooks`` backed by the database: each call opens its own short session."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        user: User,
        project_id: uuid.UUID,
        message_id: uuid.UUID,
    ) -> None:
        self._sessions = sessions
        self._user = user
        self._project_id = project_id
        self._message_id = message_id
        self._totals = UsageTotals()

    async def before_call(self) -> None:
        """The plan's limits, checked before each model call of the turn."""
        async with self._sessions() as session:
            await check_limits(session, self._user)

    async def record_usage(self, model: ModelInfo, usage: Usage) -> dict[str, Any]:
        """Store one call's usage; return this call's figures and the message's totals."""
        cost = await record_call(
            self._sessions,
            self._user.id,
            model,
            usage,
            project_id=self._project_id,
            message_id=self._message_id,
        )
        tokens = tokens_of(usage)
        # The reply's rows are all written by this turn: total them here, not by a query.
        self._totals = UsageTotals(
            input_tokens=self._totals.input_tokens + usage.input_tokens,
            output_tokens=self._totals.output_tokens + usage.output_tokens,
            cache_read_tokens=self._totals.cache_read_tokens + usage.cache_read_tokens,
            cache_write_tokens=self._totals.cache_write_tokens + usage.cache_write_tokens,
            tokens=self._totals.tokens + tokens,
            cost_usd=round(self._totals.cost_usd + cost, 8),
            calls=self._totals.calls + 1,
        )
        totals = self._totals
        return {
            "model": model.id,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_read_tokens": usage.cache_read_tokens,
            "cache_write_tokens": usage.cache_write_tokens,
            "cost_usd": cost,
            "message_total": totals.model_dump(),
        }


async def totals_by_message(
    session: AsyncSession, message_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each message that has any."""
    return await repository.usage_by_message(session, message_ids)


async def totals_of_messages(session: AsyncSession, message_ids: list[uuid.UUID]) -> UsageTotals:
    """Usage totals summed over ``message_ids``."""
    return await repository.usage_of_messages(session, message_ids)


async def totals_by_thread(
    session: AsyncSession, thread_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each chat thread (every branch counts: it was paid for)."""
    return await repository.usage_by_thread(session, thread_ids)
