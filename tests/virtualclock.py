"""A clock for tests: time passes only when something sleeps, so the E-utilities rate limiter and
retry backoff do their arithmetic without making the suite wait. Sockets stay real."""

from __future__ import annotations

from claimledger.clock import Clock


class VirtualClock(Clock):
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.sleeps.append(seconds)
            self.now += seconds
