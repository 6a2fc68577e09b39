"""Queries of the usage domain: the ``api_usage`` rows, one per model call."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import ApiUsage, Message
from appwright.usage.schemas import UsageTotals


def add_call(session: AsyncSession, row: ApiUsage) -> None:
    session.add(row)


def _totals(row: Iterable[object]) -> UsageTotals:
    inp, out, read, write, tokens, cost, calls = row
    return UsageTotals(
        input_tokens=int(inp or 0),  # type: ignore[call-overload]
        output_tokens=int(out or 0),  # type: ignore[call-overload]
        cache_read_tokens=int(read or 0),  # type: ignore[call-overload]
        cache_write_tokens=int(write or 0),  # type: ignore[call-overload]
        tokens=int(tokens or 0),  # type: ignore[call-overload]
        cost_usd=float(cost or 0),  # type: ignore[arg-type]
        calls=int(calls or 0),  # type: ignore[call-overload]
    )


_SUMS = (
    func.sum(ApiUsage.input_tokens),
    func.sum(ApiUsage.output_tokens),
    func.sum(ApiUsage.cache_read_tokens),
    func.sum(ApiUsage.cache_write_tokens),
    func.sum(ApiUsage.tokens_used),
    func.sum(ApiUsage.cost_usd),
    func.count(ApiUsage.id),
)


async def usage_by_message(
    session: AsyncSession, message_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each message that has any."""
    if not message_ids:
        return {}
    rows = await session.execute(
        select(ApiUsage.message_id, *_SUMS)
        .where(ApiUsage.message_id.in_(message_ids))
        .group_by(ApiUsage.message_id)
    )
    return {row[0]: _totals(row[1:]) for row in rows if row[0] is not None}


async def usage_of_messages(session: AsyncSession, message_ids: list[uuid.UUID]) -> UsageTotals:
    """Usage totals summed over ``message_ids``."""
    if not message_ids:
        return UsageTotals()
    row = (await session.execute(select(*_SUMS).where(ApiUsage.message_id.in_(message_ids)))).one()
    return _totals(row)


async def usage_by_thread(
    session: AsyncSession, thread_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each thread (every branch counts: it was paid for)."""
    if not thread_ids:
        return {}
    rows = await session.execute(
        select(Message.thread_id, *_SUMS)
        .join(Message, Message.id == ApiUsage.message_id)
        .where(Message.thread_id.in_(thread_ids))
        .group_by(Message.thread_id)
    )
    return {row[0]: _totals(row[1:]) for row in rows}


async def calls_since(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> list[datetime]:
    """Times of the user's model calls since ``since``, oldest first."""
    rows = await session.scalars(
        select(ApiUsage.created_at)
        .where(ApiUsage.user_id == user_id, ApiUsage.created_at >= since)
        .order_by(ApiUsage.created_at)
    )
    return list(rows)


async def tokens_since(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> int:
    """Tokens the user spent since ``since``."""
    total = await session.scalar(
        select(func.sum(ApiUsage.tokens_used)).where(
            ApiUsage.user_id == user_id, ApiUsage.created_at >= since
        )
    )
    return int(total or 0)
