"""What every domain may use from the composition root (``appwright.context``).

Services take the narrowest of these Protocols that covers what they use; a domain that
needs more (the project runtime, say) declares its own Protocol extending
:class:`Services` in its ``deps.py``. ``appwright.context.AppContext`` satisfies them all,
so ``core`` and the domains never import the composition root.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appwright.core.config import Settings
from appwright.core.events import EventBus
from appwright.core.mail import Mailer
from appwright.core.ratelimit import RateLimiter
from appwright.core.security import AccessTokens, SecretBox


class Services(Protocol):
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    events: EventBus
    secrets: SecretBox
    limiter: RateLimiter
    mailer: Mailer
    access_tokens: AccessTokens
