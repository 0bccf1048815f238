"""Benchmarks: our stack against the raw library doing the same job, run by `python -m bench.run`.

Contract for a bench module (any `bench/<name>.py` not starting with `_`, other
than `run`): a function `run() -> list[Figure]` that takes well under a minute
and cleans up every process and socket it started.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure: ours, and the raw library's for the same work when there is one."""

    bench: str
    name: str
    unit: str
    ours: float
    baseline: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """ours / baseline (for a cost, < 1 is better than raw; for a rate, > 1 is)."""
        if self.baseline in (None, 0):
            return None
        return self.ours / self.baseline  # type: ignore[operator]
