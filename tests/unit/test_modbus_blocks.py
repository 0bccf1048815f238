"""Block planning: few requests, never over the protocol limits, splits that find a culprit."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from hmi.drivers.modbus_address import Table
from hmi.drivers.modbus_blocks import Block, Limits, ReadItem, plan_blocks, split_block


def regs(*spans: tuple[int, int], table: Table = Table.HR) -> list[ReadItem]:
    return [ReadItem(f"{table}{start}", table, start, count) for start, count in spans]


def test_contiguous_and_near_items_share_one_read() -> None:
    blocks = plan_blocks(regs((0, 2), (2, 2), (4, 1), (10, 2)), Limits(max_gap=5))
    assert [(b.start, b.count) for b in blocks] == [(0, 12)]
    assert len(blocks[0].items) == 4


def test_a_gap_wider_than_max_gap_starts_a_new_read() -> None:
    blocks = plan_blocks(regs((0, 1), (7, 1), (8, 2)), Limits(max_gap=5))
    assert [(b.start, b.count) for b in blocks] == [(0, 1), (7, 3)]
    blocks = plan_blocks(regs((0, 1), (6, 1)), Limits(max_gap=5))  # exactly 5 unused: joins
    assert [(b.start, b.count) for b in blocks] == [(0, 7)]
    blocks = plan_blocks(regs((0, 1), (1, 1)), Limits(max_gap=0))
    assert [(b.start, b.count) for b in blocks] == [(0, 2)]


def test_reads_never_exceed_125_registers_or_2000_bits() -> None:
    items = regs(*((i, 1) for i in range(1000)))
    blocks = plan_blocks(items)
    assert [b.count for b in blocks] == [125] * 8
    bits = regs(*((i, 1) for i in range(5000)), table=Table.COIL)
    assert [b.count for b in plan_blocks(bits)] == [2000, 2000, 1000]
    small = plan_blocks(items, Limits(max_registers=60))
    assert max(b.count for b in small) == 60


def test_a_multi_register_value_is_never_cut_between_reads() -> None:
    blocks = plan_blocks(regs(*((i * 2, 2) for i in range(100))))  # 100 float32 = 200 registers
    assert [b.count for b in blocks] == [124, 76]
    for b in blocks:
        assert all(b.start <= i.start and i.end <= b.end for i in b.items)


def test_tables_are_planned_separately() -> None:
    items = regs((0, 1)) + regs((0, 1), table=Table.IR) + regs((1, 1), table=Table.COIL)
    blocks = plan_blocks(items)
    assert sorted((b.table.value, b.start) for b in blocks) == [("coil", 1), ("hr", 0), ("ir", 0)]


def test_bit_tables_measure_the_gap_in_registers_worth_of_bits() -> None:
    bits = regs((0, 1), (33, 1), table=Table.DI)
    assert len(plan_blocks(bits, Limits(max_gap=2))) == 1  # 32 unused bits = 2 registers
    assert len(plan_blocks(bits, Limits(max_gap=1))) == 2


def test_overlapping_items_bits_of_one_register() -> None:
    items = [ReadItem(f"b{n}", Table.HR, 7, 1) for n in range(16)] + regs((8, 2))
    blocks = plan_blocks(items)
    assert [(b.start, b.count, len(b.items)) for b in blocks] == [(7, 3, 17)]


def test_a_break_keeps_a_rejected_gap_out_of_every_plan() -> None:
    items = regs((100, 1), (101, 1), (106, 1), (107, 1))
    assert len(plan_blocks(items)) == 1
    blocks = plan_blocks(items, breaks=frozenset({(Table.HR, 106)}))
    assert [(b.start, b.count) for b in blocks] == [(100, 2), (106, 2)]
    # a break in another table changes nothing here
    assert len(plan_blocks(items, breaks=frozenset({(Table.IR, 106)}))) == 1


def test_split_halves_the_items_into_tight_blocks() -> None:
    (block,) = plan_blocks(regs((0, 1), (5, 2), (20, 1), (30, 4)))
    left, right = split_block(block)
    assert (left.start, left.count, len(left.items)) == (0, 7, 2)
    assert (right.start, right.count, len(right.items)) == (20, 14, 2)
    single = Block(Table.HR, 3, 1, (ReadItem("x", Table.HR, 3, 1),))
    assert split_block(single) == [single]


@given(
    st.lists(st.tuples(st.integers(0, 3000), st.sampled_from([1, 2, 4])), min_size=1, max_size=300),
    st.integers(0, 40),
)
def test_every_item_is_read_exactly_once_within_limits(spans, gap) -> None:
    items = [ReadItem(i, Table.HR, start, count) for i, (start, count) in enumerate(spans)]
    blocks = plan_blocks(items, Limits(max_gap=gap))
    seen = [i.key for b in blocks for i in b.items]
    assert sorted(seen) == list(range(len(items)))
    for b in blocks:
        assert b.count <= 125
        assert all(b.start <= i.start and i.end <= b.end for i in b.items)
    ordered = sorted(blocks, key=lambda b: b.start)
    for a, b in itertools.pairwise(ordered):
        # two neighbouring reads are apart by more than the gap, or merging would overflow
        assert b.start - a.end > gap or max(a.end, b.end) - a.start > 125
