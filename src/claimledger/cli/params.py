"""Click parameter types that refuse values no one means (nan, inf, negative waits)."""

from __future__ import annotations

import math
from typing import Any

import click

__all__ = ["SECONDS", "Seconds"]


class Seconds(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3
    """A finite, non-negative number of seconds; -1 (the flag's own value) means "forever"."""

    name = "SECONDS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float) and value == -1.0:
            return value  # what the bare flag stands for
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            self.fail(f"{value!r} is not a number of seconds (0 or more, finite)", param, ctx)
        return seconds


SECONDS = Seconds()
