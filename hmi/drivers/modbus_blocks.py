"""Grouping tag reads into as few Modbus requests as the protocol allows.

Pure planning, no I/O. Tags of one table whose addresses are contiguous, or
separated by at most `max_gap` unused registers, share one read; a read never
exceeds the protocol's 125 registers / 2000 bits (or the device's own lower
limits). Reading a few unused registers is far cheaper than another round trip.

Devices are not always happy with a gap: an unmapped register inside a block
makes the whole read fail. The driver then splits the block (`split_block`)
and records a *break* before the right half, so later plans never bridge that
spot again.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from hmi.drivers.modbus_address import Table


@dataclass(frozen=True, slots=True)
class ReadItem:
    """One thing to read: `count` registers (or bits) from `start` in `table`."""

    key: Hashable
    table: Table
    start: int
    count: int

    @property
    def end(self) -> int:
        """One past the last register (or bit)."""
        return self.start + self.count


@dataclass(frozen=True, slots=True)
class Block:
    """One read request and the items it serves."""

    table: Table
    start: int
    count: int
    items: tuple[ReadItem, ...]

    @property
    def end(self) -> int:
        return self.start + self.count


@dataclass(frozen=True, slots=True)
class Limits:
    """How big a block may get. `max_gap` is in registers; for bit tables it is x16 bits."""

    max_gap: int = 16
    max_registers: int = 125
    max_bits: int = 2000

    def size(self, table: Table) -> int:
        return self.max_bits if table.is_bits else self.max_registers

    def gap(self, table: Table) -> int:
        return self.max_gap * 16 if table.is_bits else self.max_gap


def plan_blocks(
    items: Iterable[ReadItem],
    limits: Limits = Limits(),
    breaks: frozenset[tuple[Table, int]] = frozenset(),
) -> list[Block]:
    """The fewest block reads that cover every item, per table, in address order.

    `breaks` holds (table, address) pairs where a block must not continue past:
    an item starting at or after such an address never joins a block that
    started before it.
    """
    blocks: list[Block] = []
    by_table: dict[Table, list[ReadItem]] = {}
    for item in items:
        by_table.setdefault(item.table, []).append(item)
    for table in sorted(by_table, key=lambda t: t.value):
        size, gap = limits.size(table), limits.gap(table)
        table_breaks = sorted(a for t, a in breaks if t is table)
        current: list[ReadItem] = []
        start = end = 0
        for item in sorted(by_table[table], key=lambda i: (i.start, i.count)):
            joins = (
                current
                and item.start - end <= gap
                and max(end, item.end) - start <= size
                and not any(start < b <= item.start for b in table_breaks)
            )
            if joins:
                current.append(item)
                end = max(end, item.end)
                continue
            if current:
                blocks.append(Block(table, start, end - start, tuple(current)))
            current, start, end = [item], item.start, item.end
        if current:
            blocks.append(Block(table, start, end - start, tuple(current)))
    return blocks


def split_block(block: Block) -> list[Block]:
    """Two tight blocks, each with half of `block`'s items (for locating a bad address).

    A block of one item cannot be split and comes back as itself.
    """
    items = sorted(block.items, key=lambda i: (i.start, i.count))
    if len(items) < 2:
        return [block]
    half = len(items) // 2
    return [_tight(block.table, items[:half]), _tight(block.table, items[half:])]


def _tight(table: Table, items: Sequence[ReadItem]) -> Block:
    start = min(i.start for i in items)
    end = max(i.end for i in items)
    return Block(table, start, end - start, tuple(items))
