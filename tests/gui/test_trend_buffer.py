"""The live trend's ring buffer: last N samples in order, O(1) appends, source stamps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hmi.tagvalue import Quality, TagValue
from widgets.trend_buffer import RingBuffer, sample_of


@pytest.fixture
def no_roll(monkeypatch):
    """A buffer that shifted its arrays per sample (PyDM's np.roll) fails these tests."""

    def refuse(*_a, **_k):
        raise AssertionError("np.roll called")

    monkeypatch.setattr(np, "roll", refuse)


def test_keeps_the_last_n_samples_oldest_first(no_roll):
    ring = RingBuffer(5)
    for i in range(13):
        ring.append(float(i), i * 10.0)
    ts, values = ring.view()
    assert ts.tolist() == [8.0, 9.0, 10.0, 11.0, 12.0]
    assert values.tolist() == [80.0, 90.0, 100.0, 110.0, 120.0]
    assert len(ring) == 5


def test_view_is_contiguous_and_a_view_not_a_copy(no_roll):
    ring = RingBuffer(4)
    for i in range(7):
        ring.append(float(i), float(i))
    ts, _ = ring.view()
    assert ts.flags["C_CONTIGUOUS"]
    assert ts.base is not None  # a slice of the ring's storage: no copy per frame


def test_partly_filled_and_extend_in_bulk(no_roll):
    ring = RingBuffer(6)
    ring.append(1.0, 1.0)
    ring.extend(np.arange(2.0, 10.0), np.arange(2.0, 10.0) * 2)
    ts, values = ring.view()
    assert ts.tolist() == [4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert values.tolist() == [8.0, 10.0, 12.0, 14.0, 16.0, 18.0]


def test_older_sample_is_dropped_and_value_at_holds_the_last_one():
    ring = RingBuffer(8)
    assert ring.append(10.0, 1.0)
    assert ring.append(20.0, 2.0)
    assert not ring.append(15.0, 9.0)  # late: would draw a line back in time
    assert ring.value_at(19.9) == 1.0
    assert ring.value_at(20.0) == 2.0
    assert ring.value_at(5.0) is None


def test_prepend_puts_history_before_live_samples():
    ring = RingBuffer(5)
    ring.append(100.0, 1.0)
    ring.append(101.0, 2.0)
    ring.prepend(np.array([97.0, 98.0, 99.0, 100.5]), np.array([7.0, 8.0, 9.0, 0.0]))
    assert ring.view()[0].tolist() == [97.0, 98.0, 99.0, 100.0, 101.0]


def test_resize_keeps_the_newest():
    ring = RingBuffer(3)
    ring.extend(np.arange(3.0), np.arange(3.0))
    ring.resize(10)
    ring.append(3.0, 3.0)
    assert ring.view()[0].tolist() == [0.0, 1.0, 2.0, 3.0]
    ring.resize(2)
    assert ring.view()[0].tolist() == [2.0, 3.0]


def test_sample_uses_the_source_timestamp_and_nan_for_bad_quality():
    assert sample_of(TagValue("T", 4.5, Quality.GOOD, 1000.0, 1003.0), 0.0) == (1000.0, 4.5)
    ts, value = sample_of(TagValue("T", 4.5, Quality.DISCONNECTED, 1000.0, 1010.0), 1000.0)
    assert ts == 1010.0  # the outage starts when the station noticed it
    assert math.isnan(value)
    assert sample_of(TagValue("T", True, Quality.GOOD, 5.0, 5.0), 0.0) == (5.0, 1.0)
    assert sample_of(TagValue("T", None, Quality.DISCONNECTED, 0.0, 0.0), 0.0) is None
    assert sample_of(TagValue("T", "text", Quality.GOOD, 5.0, 5.0), 0.0) is None
