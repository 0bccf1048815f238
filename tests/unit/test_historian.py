"""The historian's recorder: exactly which samples it stores, with an injected clock.

No database here: the sink collects what the recorder hands over (the writer and
the store are tested in tests/store/test_history*.py). Samples are
(tag, ts, value, quality code), quality 0 good, 4 disconnected.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from hmi.config import ConfigError, PlantConfig, load_config
from hmi.config_history import HistoryDefaults, resolve_history
from hmi.drivers.base import ConnectionState
from hmi.runtime.engine import Runtime
from hmi.runtime.historian import Historian
from hmi.store.history_writer import HistoryFullError
from hmi.tagvalue import Quality, TagValue
from tests.fakes import FakeDriver

GOOD, BAD, DISC = 0, 2, 4


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


class Sink:
    """Collects submitted samples; `full=True` makes it refuse like a full writer queue."""

    def __init__(self) -> None:
        self.samples: list[tuple] = []
        self.full = False
        self.calls_while_full = 0

    def submit(self, samples, *, timeout=None):
        assert timeout == 0, "the recorder must never wait for the writer"
        if self.full:
            self.calls_while_full += 1
            raise HistoryFullError("queue full")
        self.samples.extend(samples)


def plant(*tags: dict, history: dict | None = None) -> PlantConfig:
    data = {
        "plant": {"name": "t", "title": "T"},
        "connections": [{"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:1/x"}],
        "tags": [{"connection": "plc", "address": f"ns=2;s={i}", **t} for i, t in enumerate(tags)],
    }
    if history is not None:
        data["history"] = history
    return PlantConfig.model_validate(data)


def recorder(config: PlantConfig, t: float = 1000.0) -> tuple[Historian, Sink, Clock]:
    sink, clock = Sink(), Clock(t)
    return Historian(config, sink, clock=clock), sink, clock


def feed(h: Historian, clock: Clock, tag: str, seq: list[tuple]) -> None:
    """seq of (t, value[, quality]): the source stamps t, the station receives at t."""
    for item in seq:
        t, value, *rest = item
        quality = rest[0] if rest else Quality.GOOD
        clock.t = t
        h.on_updates([TagValue(tag, value, quality, source_ts=t, receive_ts=t)])


def test_absolute_deadband_and_heartbeat_store_exactly_the_expected_samples():
    cfg = plant({"name": "L.Temp", "history": {"deadband": 0.5, "heartbeat_s": 10}})
    h, sink, clock = recorder(cfg)
    feed(
        h,
        clock,
        "L.Temp",
        [
            (1000, 20.0),  # first: stored
            (1001, 20.3),  # 0.3 from 20.0: inside
            (1002, 20.49),  # 0.49: inside
            (1003, 20.5),  # exactly 0.5: stored
            (1004, 20.1),  # 0.4 from 20.5: inside
            (1005, 19.9),  # 0.6: stored
            (1010, 19.95),  # inside the band
            (1015, 19.92),  # inside, and 10 s since 1005: heartbeat stores it
            (1016, 19.9),  # inside
        ],
    )
    clock.t = 1024.9
    h.tick()  # 9.9 s since the heartbeat: nothing
    clock.t = 1025.0
    h.tick()  # 10 s, no update at all since 1016: the latest value again, at the clock's time
    assert sink.samples == [
        ("L.Temp", 1000.0, 20.0, GOOD),
        ("L.Temp", 1003.0, 20.5, GOOD),
        ("L.Temp", 1005.0, 19.9, GOOD),
        ("L.Temp", 1015.0, 19.92, GOOD),
        ("L.Temp", 1025.0, 19.9, GOOD),
    ]


def test_percent_deadband_is_of_the_span_when_known_else_of_the_last_stored_value():
    cfg = plant(
        # span from the scale's engineering range: 0..200 → 1 % = 2.0
        {"name": "L.Span", "scale": {"raw_min": 0, "raw_max": 1000, "eng_min": 0,
                                     "eng_max": 200}, "history": {"deadband_percent": 1}},
        # no span: 1 % of the last stored value
        {"name": "L.Rel", "history": {"deadband_percent": 1, "heartbeat_s": 0}},
    )  # fmt: skip
    h, sink, clock = recorder(cfg)
    feed(h, clock, "L.Span", [(1, 100.0), (2, 101.9), (3, 102.0), (4, 100.5), (5, 99.9)])
    feed(h, clock, "L.Rel", [(6, 1000.0), (7, 1009.0), (8, 1010.0), (9, 1000.0), (10, 999.0)])
    assert [(s[0], s[2]) for s in sink.samples] == [
        ("L.Span", 100.0),
        ("L.Span", 102.0),  # 2.0 = 1 % of the span 200
        ("L.Span", 99.9),  # 2.1 below 102
        ("L.Rel", 1000.0),
        ("L.Rel", 1010.0),  # 10 = 1 % of 1000 (9 was inside)
        ("L.Rel", 999.0),  # 11 ≥ 1 % of 1010; 1000 (10 < 10.1) was inside
    ]


def test_every_quality_change_is_stored_and_an_outage_is_a_non_good_sample():
    cfg = plant({"name": "L.P", "history": {"deadband": 100, "heartbeat_s": 0}})
    h, sink, clock = recorder(cfg)
    feed(
        h,
        clock,
        "L.P",
        [
            (10, 5.0),
            (11, 5.0, Quality.UNCERTAIN),  # same value, quality changed: stored
            (12, 5.0),  # back to good: stored although inside the huge deadband
            (13, None, Quality.DISCONNECTED),  # outage
            (14, None, Quality.DISCONNECTED),  # still out: nothing new
            (20, 5.0),  # recovered
        ],
    )
    assert sink.samples == [
        ("L.P", 10.0, 5.0, GOOD),
        ("L.P", 11.0, None, 1),
        ("L.P", 12.0, 5.0, GOOD),
        ("L.P", 13.0, None, DISC),
        ("L.P", 20.0, 5.0, GOOD),
    ]


def test_an_outage_is_stamped_when_it_was_noticed_not_with_the_last_good_source_time():
    """The tag table re-qualifies with the OLD source_ts; the gap must start at the loss."""
    cfg = plant({"name": "L.P", "history": {"heartbeat_s": 0}})
    h, sink, _ = recorder(cfg)
    h.on_updates([TagValue("L.P", 1.0, source_ts=100.0, receive_ts=100.5)])
    h.on_updates([TagValue("L.P", 1.0, Quality.DISCONNECTED, source_ts=100.0, receive_ts=500.0)])
    # On reconnect an OPC UA server re-sends the unchanged value with its old source time:
    # stored when it arrived, so the gap covers the outage instead of vanishing.
    h.on_updates([TagValue("L.P", 1.0, source_ts=100.0, receive_ts=900.0)])
    assert [(s[1], s[3]) for s in sink.samples] == [(100.0, GOOD), (500.0, DISC), (900.0, GOOD)]


def test_stored_times_of_a_tag_strictly_increase():
    cfg = plant({"name": "L.P", "history": {"heartbeat_s": 0}})
    h, sink, _ = recorder(cfg)
    h.on_updates([TagValue("L.P", 1.0, source_ts=50.0, receive_ts=50.0)])
    h.on_updates([TagValue("L.P", 2.0, source_ts=50.0, receive_ts=50.0)])  # same instant
    h.on_updates([TagValue("L.P", 3.0, source_ts=49.0, receive_ts=50.0)])  # clock went back
    ts = [s[1] for s in sink.samples]
    assert [s[2] for s in sink.samples] == [1.0, 2.0, 3.0]
    assert ts[0] == 50.0 and ts[0] < ts[1] < ts[2] and ts[2] - ts[0] < 1e-5


def test_defaults_by_type_analog_deadband_integers_every_change_bools_as_numbers_strings_off():
    cfg = plant(
        {"name": "L.Analog"},  # float64: 0.1 % deadband
        {"name": "L.Count", "type": "int32"},
        {"name": "L.Run", "type": "bool"},
        {"name": "L.Recipe", "type": "string"},
        {"name": "L.Off", "history": False},
        history={"heartbeat_s": 0},
    )
    h, sink, clock = recorder(cfg)
    feed(h, clock, "L.Analog", [(1, 1000.0), (2, 1000.9), (3, 1001.0)])
    feed(h, clock, "L.Count", [(4, 5000), (5, 5001)])
    feed(h, clock, "L.Run", [(6, False), (7, True), (8, True)])
    feed(h, clock, "L.Recipe", [(9, "A")])
    feed(h, clock, "L.Off", [(10, 1.0)])
    assert [(s[0], s[2]) for s in sink.samples] == [
        ("L.Analog", 1000.0),
        ("L.Analog", 1001.0),  # 1.0 = 0.1 % of 1000; 0.9 was inside
        ("L.Count", 5000.0),
        ("L.Count", 5001.0),
        ("L.Run", 0.0),
        ("L.Run", 1.0),
    ]
    assert h.settings("L.Recipe") is None and h.settings("L.Off") is None


def test_a_lost_connection_closes_the_line_even_when_the_driver_did_not_requalify():
    cfg = plant({"name": "L.A", "history": {"heartbeat_s": 0}}, {"name": "L.B"})
    h, sink, clock = recorder(cfg)
    feed(h, clock, "L.A", [(1, 1.0)])
    clock.t = 7.0
    h.on_connection("plc", ConnectionState.DISCONNECTED, "socket closed")
    h.on_connection("plc", ConnectionState.DISCONNECTED, "retry failed")  # nothing new
    # L.B never had a sample: there is no line to close.
    assert sink.samples == [("L.A", 1.0, 1.0, GOOD), ("L.A", 7.0, None, DISC)]


def test_a_full_writer_never_blocks_the_recorder_nothing_is_dropped_and_health_is_reported():
    cfg = plant({"name": "L.P", "history": {"heartbeat_s": 0, "deadband": 0}})
    health: list[tuple[bool, str]] = []
    sink, clock = Sink(), Clock()
    h = Historian(cfg, sink, clock=clock, on_health=lambda ok, d: health.append((ok, d)))
    sink.full = True
    start = time.perf_counter()
    for i in range(2000):
        h.on_updates([TagValue("L.P", float(i), source_ts=i + 1.0, receive_ts=i + 1.0)])
    assert time.perf_counter() - start < 1.0  # 2000 updates, never waited on the sink
    assert sink.samples == [] and h.held == 2000 and not h.healthy
    assert [ok for ok, _ in health] == [False] and "2000" not in health[0][1]
    sink.full = False
    h.tick()  # the heartbeat tick retries the hand-over
    assert [s[2] for s in sink.samples] == [float(i) for i in range(2000)]  # all, in order
    assert h.held == 0 and h.healthy and [ok for ok, _ in health] == [False, True]


def test_the_recorder_listens_to_a_runtime_and_records_the_drivers_outage():
    import asyncio

    cfg = plant({"name": "L.P", "history": {"heartbeat_s": 0}})
    rt = Runtime(cfg, driver_factory=FakeDriver)
    h, sink, _ = recorder(cfg)
    rt.add_listener(h)
    asyncio.run(rt.start())
    rt.updates([TagValue("L.P", 3.0, source_ts=10.0, receive_ts=10.0)])
    asyncio.run(rt.stop())  # the driver marks its tags DISCONNECTED, then STOPPED
    assert [(s[2], s[3]) for s in sink.samples] == [(3.0, GOOD), (None, DISC)]


# ----------------------------------------------------------------------------- config


def test_history_config_from_toml_and_csv(tmp_path: Path):
    (tmp_path / "tags.csv").write_text(
        "name,connection,address,history,history_deadband_percent,history_retention_days\n"
        "C.A,plc,ns=2;s=a,yes,2.5,30\n"
        "C.B,plc,ns=2;s=b,no,,\n",
        encoding="utf-8",
    )
    (tmp_path / "plant.toml").write_text(
        """
[plant]
name = "t"
title = "T"
tag_files = ["tags.csv"]

[history]
deadband = 0.2
heartbeat_s = 60
retention_days = 400

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840"

[[tags]]
name = "T.A"
connection = "plc"
address = "ns=2;s=x"
history = { heartbeat_s = 5, retention_days = 0 }

[[tags]]
name = "T.B"
connection = "plc"
address = "ns=2;s=y"
history = false
""",
        encoding="utf-8",
    )
    cfg = load_config(tmp_path / "plant.toml")
    s = {t.name: resolve_history(t, cfg.history) for t in cfg.tags}
    assert (s["T.A"].enabled, s["T.A"].deadband, s["T.A"].percent) == (True, 0.2, False)
    assert (s["T.A"].heartbeat_s, s["T.A"].retention_days) == (5, 0)  # 0: keep forever
    assert not s["T.B"].enabled and not s["C.B"].enabled
    assert (s["C.A"].deadband, s["C.A"].percent, s["C.A"].retention_days) == (2.5, True, 30)
    assert s["C.A"].heartbeat_s == 60


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ({"type": "string", "history": True}, "history needs a numeric or bool tag"),
        ({"history": {"deadband": 1, "deadband_percent": 1}}, "either deadband"),
        ({"history": {"deadband_percent": 150}}, "less than or equal to 100"),
        ({"history": {"deadbnd": 1}}, "unknown key"),
    ],
)
def test_bad_history_settings_are_config_errors_naming_the_field(tmp_path: Path, tag, message):
    lines = "\n".join(f"{k} = {_toml(v)}" for k, v in tag.items())
    (tmp_path / "plant.toml").write_text(
        f"""[plant]
name = "t"
title = "T"

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840"

[[tags]]
name = "T.A"
connection = "plc"
address = "ns=2;s=x"
{lines}
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=message) as info:
        load_config(tmp_path / "plant.toml")
    assert str(info.value).startswith("plant.toml:")


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    return f'"{v}"' if isinstance(v, str) else str(v)


def test_a_plant_can_switch_history_off():
    cfg = plant({"name": "L.P"}, history={"enabled": False})
    h, sink, clock = recorder(cfg)
    feed(h, clock, "L.P", [(1, 1.0)])
    assert sink.samples == [] and not resolve_history(cfg.tags[0], cfg.history).enabled
    assert math.isclose(HistoryDefaults().analog_deadband[0], 0.1)
