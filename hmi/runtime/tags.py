"""The tag table: the current value, quality and timestamps of every tag."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from hmi.tagvalue import Quality, TagValue, initial_value


class TagTable:
    """Latest `TagValue` per tag name. Owned by the runtime loop's thread.

    Readers on other threads get values through listeners (the Qt bridge) or
    `snapshot()`, which copies under the GIL; a dict read is atomic in CPython.
    """

    def __init__(self, names: Iterable[str]):
        self._values: dict[str, TagValue] = {n: initial_value(n) for n in names}

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def __len__(self) -> int:
        return len(self._values)

    def get(self, name: str) -> TagValue:
        return self._values[name]

    def apply(self, batch: Iterable[TagValue]) -> list[TagValue]:
        """Store a batch; return the entries that belong to known tags, in order.

        A non-good entry without a value (a driver re-qualifying its tags on an
        outage) keeps the tag's last value, so operators still see what it was.
        """
        values = self._values
        accepted: list[TagValue] = []
        for tv in batch:
            prev = values.get(tv.name)
            if prev is None:
                continue
            if tv.value is None and tv.quality is not Quality.GOOD and prev.value is not None:
                tv = TagValue(tv.name, prev.value, tv.quality, prev.source_ts, tv.receive_ts,
                              tv.reason)  # fmt: skip
            values[tv.name] = tv
            accepted.append(tv)
        return accepted

    def snapshot(self) -> dict[str, TagValue]:
        return dict(self._values)

    def quality_counts(self) -> Counter[Quality]:
        return Counter(tv.quality for tv in self._values.values())
