"""What the usage domain answers: token and cost totals."""

from __future__ import annotations

from pydantic import BaseModel


class UsageTotals(BaseModel):
    """Tokens and cost of one message or a whole thread."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
