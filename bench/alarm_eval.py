"""Alarm evaluations per second through the engine: 10k definitions, values changing.

The plant: 2,000 analog tags with HIHI/HI/LO/LOLO each (8,000 alarms), 1,000
deviation alarms against 100 setpoint tags, 500 rate-of-change and 500 discrete
alarms on 50 state tags (some suppressed by design) — 10,000 definitions. Values
random-walk so limits are crossed and transitions (events) happen, as in a plant.
Updates go through `on_updates` in batches of 1,000, the way the runtime delivers
them. An evaluation is one alarm judged against one update.

Run: `.venv/bin/python bench/alarm_eval.py`.
"""

from __future__ import annotations

import random
import time

from hmi.config_alarms import AlarmConfig
from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarms import AlarmEngine
from hmi.tagvalue import Quality, TagValue

N_ANALOG = 2000
N_DEV = 1000
N_ROC = 500
N_DISCRETE = 500
N_SP = 100
N_STATE = 50
BATCH = 1000
BATCHES = 200


def definitions() -> list[AlarmConfig]:
    def a(tag: str, type: str, **kw) -> AlarmConfig:
        return AlarmConfig.model_validate({"tag": tag, "type": type, "message": "m", **kw})

    out: list[AlarmConfig] = []
    for i in range(N_ANALOG):
        tag = f"Area{i % 20}.Unit{i}.PV"
        out += [
            a(tag, "hihi", limit=95, priority=1),
            a(tag, "hi", limit=85, deadband=1, on_delay_s=1),
            a(tag, "lo", limit=15, deadband=1,
              suppress_when={"tag": f"Area{i % 20}.State{i % N_STATE}", "in": [5]}),
            a(tag, "lolo", limit=5, priority=1),
        ]  # fmt: skip
    for i in range(N_DEV):
        out.append(
            a(f"Area{i % 20}.Unit{i}.PV", "deviation", setpoint_tag=f"SP{i % N_SP}", limit=30)
        )
    for i in range(N_ROC):
        out.append(a(f"Area{i % 20}.Unit{i + N_DEV}.PV", "roc", limit=40, per="s"))
    for i in range(N_DISCRETE):
        out.append(a(f"Area{i % 20}.State{i % N_STATE}", "discrete", states=[3], id=f"D{i}"))
    return out


def _batches(rng: random.Random, step: float) -> list[list[TagValue]]:
    pv_tags = [f"Area{i % 20}.Unit{i}.PV" for i in range(N_ANALOG)]
    values = {t: rng.uniform(20, 80) for t in pv_tags}
    states = [f"Area{i % 20}.State{i}" for i in range(N_STATE)]
    sps = {f"SP{i}": 50.0 for i in range(N_SP)}
    sp_names = list(sps)
    out = []
    t = 1000.0
    for _ in range(BATCHES):
        batch = []
        for _ in range(BATCH):
            t += 0.001
            r = rng.random()
            if r < 0.9:
                tag = rng.choice(pv_tags)
                v = values[tag]
                v = min(100.0, max(0.0, v + 0.02 * (50.0 - v) + rng.gauss(0, step)))
                values[tag] = v
                quality = Quality.GOOD if rng.random() < 0.99 else Quality.BAD
                batch.append(TagValue(tag, v, quality, t, t))
            elif r < 0.99:
                sp = rng.choice(sp_names)
                sps[sp] = min(70.0, max(30.0, sps[sp] + rng.gauss(0, step)))
                batch.append(TagValue(sp, sps[sp], Quality.GOOD, t, t))
            else:
                state = 1 if rng.random() > step / 20 else rng.choice([2, 3, 5])
                batch.append(TagValue(rng.choice(states), state, source_ts=t))
        out.append(batch)
    return out


def _measure(defs: list[AlarmConfig], batches: list[list[TagValue]]) -> tuple[float, ...]:
    events: list[AlarmEvent] = []
    clock = [1000.0]
    engine = AlarmEngine(defs, events.append, lambda: clock[0])
    t0 = time.perf_counter()
    for batch in batches:
        clock[0] += 0.1
        engine.on_updates(batch)
        engine.tick()
    elapsed = time.perf_counter() - t0
    updates = sum(len(b) for b in batches)
    return engine.evaluations / elapsed, updates / elapsed, len(events) / elapsed


def _floor(defs: list[AlarmConfig], batches: list[list[TagValue]]) -> float:
    """The least any engine must do: look the tag up and compare with each limit."""
    index: dict[str, list[float]] = {}
    for d in defs:
        index.setdefault(d.tag, []).append(d.limit if d.limit is not None else 0.0)
    n = 0
    t0 = time.perf_counter()
    for batch in batches:
        for tv in batch:
            limits = index.get(tv.name)
            if limits is None:
                continue
            v = tv.value
            for lim in limits:
                _ = v >= lim
            n += len(limits)
    return n / (time.perf_counter() - t0)


def run() -> list[tuple[str, float, str]]:
    defs = definitions()
    t0 = time.perf_counter()
    AlarmEngine(defs, lambda ev: None)
    build_ms = (time.perf_counter() - t0) * 1000
    steady = _batches(random.Random(7), step=1.5)
    upset = _batches(random.Random(8), step=8.0)
    evals, updates, events = _measure(defs, steady)
    u_evals, _, u_events = _measure(defs, upset)
    return [
        ("alarm definitions", float(len(defs)), "alarms"),
        ("engine build", build_ms, "ms"),
        ("alarm evaluations, steady plant", evals, "evaluations/s"),
        ("tag updates, steady plant", updates, "updates/s"),
        ("alarm events, steady plant", events, "events/s"),
        ("alarm evaluations, plant upset", u_evals, "evaluations/s"),
        ("alarm events, plant upset", u_events, "events/s"),
        ("bare compare loop (floor)", _floor(defs, steady), "evaluations/s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:34s} {value:14,.1f} {unit}")
