"""A person's model connection: provider, model, endpoint and key (encrypted at rest)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.chat.schemas import CatalogModelRead, LLMSettingsRead, LLMSettingsUpdate
from appwright.core.errors import BadRequest
from appwright.core.security import mask_secret
from appwright.llm import repository as llm_repository
from appwright.llm.catalog import ModelCatalog
from appwright.models import User, UserLLMSettings
from appwright.versions.deps import VersionsServices


async def _row(session: AsyncSession, user: User) -> UserLLMSettings | None:
    return await llm_repository.settings_of(session, user.id)


def _read(ctx: VersionsServices, row: UserLLMSettings | None) -> LLMSettingsRead:
    settings = ctx.settings
    server_key = (
        settings.anthropic_api_key
        if settings.llm_provider == "anthropic"
        else settings.openai_api_key or settings.openai_base_url
    )
    key = None
    if row is not None and row.api_key_encrypted:
        try:
            key = mask_secret(ctx.secrets.decrypt(row.api_key_encrypted))
        except ValueError:
            key = "(cannot be decrypted: enter it again)"
    return LLMSettingsRead(
        provider=row.provider if row and row.provider in ("anthropic", "openai") else None,
        model=row.model if row else None,
        base_url=row.base_url if row else None,
        api_key=key,
        tool_protocol=(row.tool_protocol if row else "auto"),
        server_provider=settings.llm_provider,
        server_model=settings.llm_model,
        server_configured=bool(settings.llm_provider and settings.llm_model and server_key),
        models=[
            CatalogModelRead(
                id=m.id,
                provider=m.provider,
                label=m.label,
                context_window=m.context_window,
                supports_tools=m.supports_tools,
                supports_vision=m.supports_vision,
            )
            for m in ModelCatalog()
        ],
    )


async def read(session: AsyncSession, ctx: VersionsServices, user: User) -> LLMSettingsRead:
    """The person's settings with the key masked, and the server's default."""
    return _read(ctx, await _row(session, user))


async def update(
    session: AsyncSession, ctx: VersionsServices, user: User, data: LLMSettingsUpdate
) -> LLMSettingsRead:
    """Save the person's settings; the key is encrypted before it is stored."""
    if data.base_url and not data.base_url.startswith(("http://", "https://")):
        raise BadRequest("The base URL must start with http:// or https://.")
    row = await _row(session, user)
    if row is None:
        row = UserLLMSettings(user_id=user.id)
        session.add(row)
    row.provider = data.provider
    row.model = (data.model or "").strip() or None
    row.base_url = (data.base_url or "").strip().rstrip("/") or None
    row.tool_protocol = data.tool_protocol
    if data.api_key is not None:
        key = data.api_key.strip()
        row.api_key_encrypted = ctx.secrets.encrypt(key) if key else None
    await session.flush()
    return _read(ctx, row)
