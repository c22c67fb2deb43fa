"""Time as a dependency: the E-utilities rate limiter and retry backoff read and spend time
through a Clock, so tests can run them on a virtual clock (real sockets, no real waiting)."""

from __future__ import annotations

import time

__all__ = ["SYSTEM_CLOCK", "Clock"]


class Clock:
    """The system's monotonic clock and sleep. Subclass to run time virtually."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK = Clock()
