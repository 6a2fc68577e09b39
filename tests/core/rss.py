"""The peak resident memory of this process while a block runs (Linux /proc)."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

_STATUS = Path("/proc/self/status")


def status_kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


class PeakRss:
    """``with PeakRss() as rss: ...`` then ``rss.growth_mib``: how far the resident set rose
    above its level at the start. The kernel's high-water mark is reset at the start
    (``clear_refs``); where that is not allowed, a thread samples every millisecond."""

    def __init__(self) -> None:
        self.start_kib = 0
        self.peak_kib = 0
        self._hwm = False
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def __enter__(self) -> PeakRss:
        self.start_kib = status_kib("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self._hwm = True
        except OSError:
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.001):
            self.peak_kib = max(self.peak_kib, status_kib("VmRSS"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._hwm:
            self.peak_kib = status_kib("VmHWM")
        else:
            self._stop.set()
            assert self._sampler is not None
            self._sampler.join()
        self.peak_kib = max(self.peak_kib, status_kib("VmRSS"))

    @property
    def growth_mib(self) -> float:
        return (self.peak_kib - self.start_kib) / 1024
