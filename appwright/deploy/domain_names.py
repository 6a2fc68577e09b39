"""Which names a person may add as a custom domain, in the one form they are kept in.

A name is kept lower-case, without a trailing dot, international names in their ASCII
(``xn--``) form, as a ``Host`` header carries them. Refused: IP addresses, single labels,
labels that are not letters, digits and inner hyphens, names longer than DNS allows, and
names of the platform itself (its host, its apps and preview domains and anything below
them, the names of ``APPWRIGHT_ALLOWED_HOSTS``), which no person's app may take over.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import dns.exception
import dns.name

from appwright.core.config import Settings
from appwright.core.errors import BadRequest
from appwright.core.hosts import HostPolicy
from appwright.core.names import is_ip_literal

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
MAX_NAME = 253
_IDNA = dns.name.IDNA_2008_Practical
RESERVED_SUFFIXES = ("localhost", "local", "internal", "invalid", "test", "example", "onion")
"""Top-level names no public DNS answers for (RFC 2606, 6761, 6762, 7686)."""


class BadDomain(BadRequest):
    """The name cannot be a custom domain (the message says why)."""


def normalise_domain(raw: str) -> str:
    """``raw`` in the kept form, or ``BadDomain`` saying why it cannot be a domain."""
    text = raw.strip().rstrip(".")
    if not text:
        raise BadDomain("Give a domain name, such as www.example.com.")
    if not text.isprintable():
        raise BadDomain("A domain name has no control characters.")
    if is_ip_literal(text):
        raise BadDomain("A custom domain is a name, such as www.example.com, not an address.")
    if ":" in text or "/" in text:
        raise BadDomain("Give the domain name alone (www.example.com): no scheme, port or path.")
    try:
        name = dns.name.from_unicode(text, idna_codec=_IDNA)
        ascii_name = name.to_text(omit_final_dot=True).lower()
        # An xn-- label must be the encoding of a valid international label.
        again = dns.name.from_unicode(name.to_unicode(idna_codec=_IDNA), idna_codec=_IDNA)
        if again.to_text(omit_final_dot=True).lower() != ascii_name:
            raise ValueError(ascii_name)
    except dns.name.LabelTooLong:
        raise BadDomain("Each part of a domain name has at most 63 characters.") from None
    except dns.name.NameTooLong:
        raise BadDomain(f"A domain name has at most {MAX_NAME} characters.") from None
    except (dns.exception.DNSException, UnicodeError, ValueError):
        raise BadDomain(f"{raw[:100]!r} is not a valid domain name.") from None
    labels = ascii_name.split(".")
    if len(labels) < 2:
        raise BadDomain("A custom domain has at least two parts, such as example.com.")
    if len(ascii_name) > MAX_NAME:
        raise BadDomain(f"A domain name has at most {MAX_NAME} characters.")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise BadDomain(
            "Each part of a domain name uses letters, digits and hyphens (1 to 63 of them) "
            "and starts and ends with a letter or digit."
        )
    if labels[-1].isdigit():
        raise BadDomain("A custom domain is a name, such as www.example.com, not an address.")
    if labels[-1] in RESERVED_SUFFIXES:
        raise BadDomain(f"Names under .{labels[-1]} cannot be reached on the internet.")
    return ascii_name


def platform_names(settings: Settings) -> tuple[str, ...]:
    """The names that are the platform's own: its host and its apps and preview domains."""
    names = [settings.apps_domain, settings.preview_domain]
    host = urlsplit(settings.base_url).hostname
    if host:
        names.append(host)
    return tuple(n.lower().strip(".") for n in names)


def check_domain(raw: str, settings: Settings) -> str:
    """The kept form of a name a person may add; ``BadDomain`` saying why not."""
    name = normalise_domain(raw)
    policy = HostPolicy.from_settings(settings)
    own = any(name == n or name.endswith("." + n) for n in platform_names(settings))
    if own or (not policy.any_host and policy.allows(name)):
        raise BadDomain(f"{name} is an address of this platform; add a domain of your own.")
    return name
