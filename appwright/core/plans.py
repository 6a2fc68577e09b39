"""Plan limits (docs/PRODUCT.md §7). ``None`` means unlimited."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanLimits:
    requests_per_hour: int | None
    tokens_per_month: int | None
    projects: int | None
    sandboxes: int
    max_iterations: int = 10


PLANS: dict[str, PlanLimits] = {
    "free": PlanLimits(requests_per_hour=50, tokens_per_month=1_000_000, projects=3, sandboxes=1),
    "pro": PlanLimits(requests_per_hour=500, tokens_per_month=10_000_000, projects=50, sandboxes=5),
    "enterprise": PlanLimits(
        requests_per_hour=None, tokens_per_month=None, projects=None, sandboxes=50
    ),
}


def limits_for(tier: str) -> PlanLimits:
    return PLANS.get(tier, PLANS["free"])
