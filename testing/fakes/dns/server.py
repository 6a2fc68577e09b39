"""The fake DNS server on a background thread (a real UDP socket, real DNS messages).

Answers as an authoritative server holding every name would: the records of the asked
type, a CNAME (followed to its target's records when the fake has them) for a name that
has one, an empty answer (NOERROR) for a name with records of other types only, NXDOMAIN
for a name it has nothing for; SERVFAIL to everything while ``failing``. ``queries``
keeps what was asked, in order.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

__all__ = ["FakeDnsServer", "serve"]

TTL = 60
_CHAIN_LIMIT = 8


class FakeDnsServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        self._sock.settimeout(0.1)
        self.host, self.port = self._sock.getsockname()[:2]
        self._records: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-dns", daemon=True)
        self.queries: list[tuple[str, str]] = []
        self.failing = False
        """Answer every query SERVFAIL (a DNS server that is down or broken)."""

    @property
    def address(self) -> str:
        """``127.0.0.1:port``, as ``APPWRIGHT_DNS_NAMESERVERS`` takes it."""
        return f"{self.host}:{self.port}"

    def set(self, name: str, rdtype: str, *values: str) -> None:
        """``name``'s records of ``rdtype`` are ``values`` (none: it has no such records).

        Values are in zone-file form, without quotes for TXT (``appwright-verify=abc``)."""
        key = (_key(name), rdtype.upper())
        with self._lock:
            if values:
                self._records[key] = list(values)
            else:
                self._records.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
            except dns.exception.DNSException:
                continue
            self._sock.sendto(self._answer(query).to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if self.failing:
            response.set_rcode(dns.rcode.SERVFAIL)
            return response
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        name, rdtype = _key(question.name.to_text()), dns.rdatatype.to_text(question.rdtype)
        with self._lock:
            self.queries.append((name, rdtype))
            records = dict(self._records)
        if not any(n == name for n, _ in records):
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        for _ in range(_CHAIN_LIMIT):
            values = records.get((name, rdtype))
            if values:
                response.answer.append(_rrset(name, rdtype, values))
                break
            cname = records.get((name, "CNAME"))
            if not cname:
                break
            response.answer.append(_rrset(name, "CNAME", cname[:1]))
            name = _key(cname[0])
        return response


def _key(name: str) -> str:
    return name.lower().rstrip(".")


def _rrset(name: str, rdtype: str, values: list[str]) -> dns.rrset.RRset:
    texts = [_zone_form(rdtype, v) for v in values]
    return dns.rrset.from_text_list(name + ".", TTL, dns.rdataclass.IN, rdtype, texts)


def _zone_form(rdtype: str, value: str) -> str:
    if rdtype == "TXT":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value.rstrip(".") + "." if rdtype == "CNAME" else value


@contextmanager
def serve() -> Iterator[FakeDnsServer]:
    """Run the fake DNS server for the duration of the block."""
    server = FakeDnsServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
