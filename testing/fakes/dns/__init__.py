"""A fake DNS server: UDP on 127.0.0.1, answers A/AAAA/CNAME/TXT from records a test sets.

with serve() as dns:
    dns.set("www.example.com", "CNAME", "landing.apps.localhost")
    dns.set("_appwright.www.example.com", "TXT", "appwright-verify=…")
    settings = Settings(dns_nameservers=dns.address, ...)
"""

from testing.fakes.dns.server import FakeDnsServer, serve

__all__ = ["FakeDnsServer", "serve"]
