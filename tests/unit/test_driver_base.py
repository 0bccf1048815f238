"""Conversions every driver shares: scaling both ways, range checks, deadband, backoff."""

from __future__ import annotations

import itertools

import pytest

from hmi.config import TagConfig
from hmi.drivers.base import Deadband, backoff_delays, to_engineering, to_raw
from hmi.tagvalue import Quality, TagValue


def tag(**kw) -> TagConfig:
    return TagConfig.model_validate({"name": "L.T", "connection": "c", "address": "x", **kw})


def test_scaling_round_trips_through_raw():
    t = tag(type="int16", scale={"raw_min": 0, "raw_max": 27648, "eng_min": 0, "eng_max": 100})
    assert to_engineering(t, 13824) == pytest.approx(50.0)
    assert to_raw(t, 50.0) == 13824
    assert to_raw(t, "25") == 6912  # a typed-in value


@pytest.mark.parametrize(
    ("type_", "value", "message"),
    [
        ("int16", 40000, "outside int16 range"),
        ("uint16", -1, "outside uint16 range"),
        ("float64", "abc", "is not a number"),
        ("float64", float("nan"), "not a finite number"),
        ("bool", "maybe", "is not a boolean"),
    ],
)
def test_bad_values_are_refused_with_a_reason(type_, value, message):
    with pytest.raises(ValueError, match=message):
        to_raw(tag(type=type_), value)


def test_int64_writes_keep_every_digit():
    assert to_raw(tag(type="int64"), "9007199254740993") == 9007199254740993  # 2**53 + 1
    assert to_raw(tag(type="uint64"), 2**64 - 1) == 2**64 - 1
    with pytest.raises(ValueError, match="outside uint64 range"):
        to_raw(tag(type="uint64"), 2**64)


def test_bool_and_string_coercion():
    assert to_raw(tag(type="bool"), "true") is True
    assert to_raw(tag(type="bool"), "0") is False
    assert to_raw(tag(type="string"), 12) == "12"


def test_deadband_passes_big_changes_and_every_quality_change():
    t = tag(deadband=0.5)
    db = Deadband()
    seq = [(10.0, Quality.GOOD), (10.3, Quality.GOOD), (10.6, Quality.GOOD),
           (10.6, Quality.BAD), (10.7, Quality.GOOD), (10.8, Quality.GOOD)]  # fmt: skip
    passed = [v for v, q in seq if db.passes(t, TagValue("L.T", v, q))]
    assert passed == [10.0, 10.6, 10.6, 10.7]


def test_backoff_doubles_and_caps():
    assert list(itertools.islice(backoff_delays(0.5, 4.0), 6)) == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
