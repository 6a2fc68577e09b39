"""Outgoing email: SMTP when configured, otherwise the data dir's outbox (development)."""

from __future__ import annotations

import json
import logging
import re
import smtplib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

import anyio

from appwright.core.config import Settings

log = logging.getLogger("appwright.mail")

_LINK = re.compile(r"https?://[^\s\"'<>]+")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None: ...


class OutboxMailer:
    """Writes each mail as JSON into ``outbox/`` so a developer can read it in the UI."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    async def send(self, mail: Mail) -> None:
        mail_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        record = {
            "id": mail_id,
            "to": mail.to,
            "subject": mail.subject,
            "text": mail.text,
            "created_at": datetime.now(UTC).isoformat(),
        }

        def write() -> None:
            self.outbox.mkdir(parents=True, exist_ok=True)
            tmp = self.outbox / f".{mail_id}.tmp"
            tmp.write_text(json.dumps(record))
            tmp.rename(self.outbox / f"{mail_id}.json")

        await anyio.to_thread.run_sync(write)
        log.info("mail written to outbox", extra={"mail_id": mail_id, "subject": mail.subject})

    async def list(self, limit: int = 100, *, to: str | None = None) -> list[dict[str, Any]]:
        """The newest mails first; with ``to`` only those sent to that address."""
        wanted = to.lower() if to is not None else None

        def read() -> list[dict[str, Any]]:
            if not self.outbox.is_dir():
                return []
            items: list[dict[str, Any]] = []
            for f in sorted(self.outbox.glob("*.json"), reverse=True):
                if len(items) >= limit:
                    break
                item = json.loads(f.read_text())
                if wanted is not None and str(item.get("to", "")).lower() != wanted:
                    continue
                item["links"] = _LINK.findall(item["text"])
                items.append(item)
            return items

        return await anyio.to_thread.run_sync(read)


class SmtpMailer:
    """Sends through an SMTP server (STARTTLS by default)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, mail: Mail) -> None:
        s = self.settings
        msg = EmailMessage()
        msg["From"] = s.mail_from
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        msg.set_content(mail.text)

        def deliver() -> None:
            assert s.smtp_host is not None
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
                if s.smtp_starttls:
                    smtp.starttls()
                if s.smtp_username and s.smtp_password:
                    smtp.login(s.smtp_username, s.smtp_password)
                smtp.send_message(msg)

        await anyio.to_thread.run_sync(deliver)
        log.info("mail sent over SMTP", extra={"subject": mail.subject})


def create_mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(settings)
    return OutboxMailer(settings.outbox_dir)
