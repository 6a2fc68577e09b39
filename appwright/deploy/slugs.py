"""The published app's address label: ``{slug}.{apps_domain}``."""

from __future__ import annotations

import re

from appwright.core.errors import BadRequest

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
MIN_LENGTH = 3
RESERVED = frozenset(
    {"www", "api", "app", "apps", "admin", "preview", "mail", "static", "assets", "status"}
)


class BadSlug(BadRequest):
    """The address asked for cannot be used (the message says why)."""


def check_slug(slug: str) -> str:
    """``slug`` if it can be a published app's address; ``BadSlug`` saying why if not."""
    if not MIN_LENGTH <= len(slug) <= 63:
        raise BadSlug(f"An address has {MIN_LENGTH} to 63 characters.")
    if not SLUG.match(slug):
        raise BadSlug(
            "An address uses lowercase letters, digits and hyphens, "
            "and starts and ends with a letter or digit."
        )
    if slug[2:4] == "--":  # the form of encoded international names (xn--)
        raise BadSlug("An address cannot have two hyphens in its third and fourth places.")
    if slug in RESERVED:
        raise BadSlug(f"The address {slug!r} is reserved; choose another.")
    return slug


def suggest_slug(name: str, project_id: str) -> str:
    """An address made from the project's name (and a piece of its id, to be unique)."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    suffix = project_id.replace("-", "")[:6]
    return f"{base}-{suffix}" if len(base) >= MIN_LENGTH else f"app-{suffix}"
