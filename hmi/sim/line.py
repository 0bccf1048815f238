"""One production line: its state machine, stops and faults, parts and rate.

The line owns the rules every demo line shares (when it runs, why it stops,
how parts flow through the buffers either side); its equipment and its design
data come from `conveyor`, `machines` and `line_design`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hmi.config import DataType
from hmi.sim.codes import PRODUCTS, LineState, Reason
from hmi.sim.conveyor import ConveyorMotor
from hmi.sim.line_design import BATCH_PARTS, BREAK_EVERY_S, BREAK_S, CHANGEOVER_S, LineDesign
from hmi.sim.machines import Machine
from hmi.sim.tagspec import Setter, TagSpec


class Buffer:
    """Parts waiting between two lines (not published: it shows as starved/blocked)."""

    def __init__(self, capacity: int, level: int):
        self.capacity = capacity
        self.level = level

    def take(self) -> bool:
        if self.level <= 0:
            return False
        self.level -= 1
        return True

    def put(self) -> bool:
        if self.level >= self.capacity:
            return False
        self.level += 1
        return True


@dataclass
class Stop:
    """A stop in progress. Its clock runs even while the operator holds the line."""

    state: LineState
    reason: Reason
    remaining: float


class Line:
    """One production line: its state machine, counters, rate and equipment.

    The displayed state is derived each step, highest priority first: operator
    stop (Idle 900) › a stop in progress (Down / Changeover / Planned stop /
    material Idle) › starved (601) › blocked (602) › Running.
    """

    def __init__(
        self,
        design: LineDesign,
        seed: int,
        machine_factory: Callable[[random.Random], Machine],
        upstream: Buffer | None,
        downstream: Buffer | None,
    ):
        self.design = design
        self.name = design.name
        self._rng = random.Random(f"{seed}/{design.name}")
        self.conveyor = ConveyorMotor(
            design.name, self._rng, design.nominal_speed, design.initial_wear
        )
        self.machine = machine_factory(self._rng)
        self.upstream = upstream
        self.downstream = downstream
        self.clock = 0.0
        self.run_cmd = True
        self.state = LineState.RUNNING
        self.reason = Reason.NONE
        self.good = 0
        self.rejects = 0
        self._product_index = 0
        self._batch_left = self._rng.randint(20, 100)
        self._stop: Stop | None = None
        self._to_fault = self._rng.uniform(8.0, 35.0)  # running seconds to the next stop
        self._next_break = design.first_break_s
        # The line was already running when the model starts: a part is half made.
        self._has_part = True
        self._holding = False  # a finished good part waiting for room downstream
        self._progress = self._rng.uniform(0.2, 0.9)
        self._cycle = design.base_cycle_s
        self._carry_s = 0.0  # work done past the last part's end, within one step
        self._starved = False
        self._blocked = False
        self._last_part_at = self._part_started_at()
        self.rate = 3600.0 / self._cycle

    @property
    def product(self) -> str:
        return PRODUCTS[self._product_index][0]

    # -- one step ---------------------------------------------------------------

    def step(self, dt: float) -> None:
        self.clock += dt
        self._advance_stop(dt)
        if self._stop is None and self.clock >= self._next_break:
            self._stop = Stop(LineState.PLANNED_STOP, Reason.NONE, BREAK_S)
            self._next_break += BREAK_EVERY_S
        if self.run_cmd and self._stop is None:
            self._produce(dt)
        self._update_state()
        if self.state is LineState.RUNNING:
            self._to_fault -= dt
            if self._to_fault <= 0:
                self._start_fault()
                self._update_state()
        running = self.state is LineState.RUNNING
        self.conveyor.step(dt, running)
        self.machine.step(dt, running)
        self._update_rate()

    def _advance_stop(self, dt: float) -> None:
        if self._stop is None:
            return
        self._stop.remaining -= dt
        if self._stop.remaining <= 0:
            if self._stop.reason is Reason.PRODUCT_CHANGEOVER:
                self._product_index = (self._product_index + 1) % len(PRODUCTS)
                self._batch_left = self._rng.randint(*BATCH_PARTS)
            self._stop = None

    def _start_fault(self) -> None:
        kinds = self.design.stops
        kind = self._rng.choices(kinds, weights=[k.weight for k in kinds])[0]
        self._stop = Stop(kind.state, kind.reason, self._rng.uniform(kind.min_s, kind.max_s))
        self._to_fault = self._rng.uniform(0.4, 1.6) * self.design.mtbf_s

    def _produce(self, dt: float) -> None:
        self._starved = self._blocked = False
        if self._holding:
            if self.downstream is not None and not self.downstream.put():
                self._blocked, self._carry_s = True, 0.0
                return
            self._holding = False
        if not self._has_part:
            if self.upstream is not None and not self.upstream.take():
                self._starved, self._carry_s = True, 0.0
                return
            self._has_part = True
            factor = PRODUCTS[self._product_index][1]
            self._cycle = self.design.base_cycle_s * factor * self._rng.uniform(0.9, 1.1)
            # The work the last step did past the previous part's end belongs to this one,
            # so output does not depend on the step (the demo's 1 s backfill steps).
            self._progress, self._carry_s = self._carry_s / self._cycle, 0.0
        self._progress += dt * self.conveyor.speed_ratio / self._cycle
        if self._progress >= 1.0:
            self._finish_part()

    def _finish_part(self) -> None:
        self._has_part = False
        self._carry_s = (self._progress - 1.0) * self._cycle
        spoiled = self.machine.part_done(self._rng)
        if spoiled or self._rng.random() < self.design.reject_rate:
            self.rejects += 1
        else:
            self.good += 1
            self._holding = self.downstream is not None and not self.downstream.put()
        interval = self.clock - self._last_part_at
        if interval > 0:
            inst = 3600.0 / interval
            self.rate = inst if self.rate == 0 else self.rate + 0.3 * (inst - self.rate)
        self._last_part_at = self.clock
        self._batch_left -= 1
        if self._batch_left <= 0:
            self._stop = Stop(
                LineState.CHANGEOVER,
                Reason.PRODUCT_CHANGEOVER,
                self._rng.uniform(*CHANGEOVER_S),
            )

    def _update_state(self) -> None:
        was_running = self.state is LineState.RUNNING
        if not self.run_cmd:
            self.state, self.reason = LineState.IDLE, Reason.STOPPED_BY_OPERATOR
        elif self._stop is not None:
            self.state, self.reason = self._stop.state, self._stop.reason
        elif self._starved:
            self.state, self.reason = LineState.IDLE, Reason.STARVED_UPSTREAM
        elif self._blocked:
            self.state, self.reason = LineState.IDLE, Reason.BLOCKED_DOWNSTREAM
        else:
            self.state, self.reason = LineState.RUNNING, Reason.NONE
        if self.state is LineState.RUNNING and not was_running:
            self._last_part_at = self._part_started_at()  # the rate restarts with this run

    def _part_started_at(self) -> float:
        """When the part in progress would have started, had the line never stopped."""
        return self.clock - (self._progress * self._cycle if self._has_part else 0.0)

    def _update_rate(self) -> None:
        if self.state is not LineState.RUNNING:
            self.rate = 0.0
            return
        elapsed = self.clock - self._last_part_at
        if self.rate > 0 and elapsed > 3600.0 / self.rate:
            self.rate = 3600.0 / elapsed  # slower than the rolling figure: show it now

    # -- tags -------------------------------------------------------------------

    def specs(self) -> list[TagSpec]:
        n = self.name
        return [
            TagSpec(f"{n}.State", DataType.INT16, "", False,
                    "Line state (1 Running, 2 Idle, 3 Down, 4 Changeover, 5 Planned stop)",
                    "產線狀態（1 運轉、2 待機、3 故障、4 換線、5 計畫停機）"),
            TagSpec(f"{n}.ReasonCode", DataType.INT16, "", False,
                    "Reason of the current stop (0 = none)", "目前停機原因碼（0 = 無）"),
            TagSpec(f"{n}.GoodCount", DataType.UINT32, "pcs", False,
                    "Good parts since start", "良品數"),
            TagSpec(f"{n}.RejectCount", DataType.UINT32, "pcs", False,
                    "Rejected parts since start", "不良品數"),
            TagSpec(f"{n}.Rate", DataType.FLOAT64, "pcs/h", False,
                    "Production rate (rolling; 0 when stopped)", "生產速率（0 = 停止）"),
            TagSpec(f"{n}.Product", DataType.STRING, "", False,
                    "Current product code", "目前產品型號"),
            TagSpec(f"{n}.RunCmd", DataType.BOOL, "", True,
                    "Run command (True = run, False = stop)", "運轉命令（True 運轉、False 停止）"),
            *self.conveyor.specs(),
            *self.machine.specs(),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        n = self.name
        return {
            f"{n}.State": int(self.state),
            f"{n}.ReasonCode": int(self.reason),
            f"{n}.GoodCount": self.good,
            f"{n}.RejectCount": self.rejects,
            f"{n}.Rate": round(self.rate, 1),
            f"{n}.Product": self.product,
            f"{n}.RunCmd": self.run_cmd,
            **self.conveyor.values(),
            **self.machine.values(),
        }

    def setters(self) -> dict[str, Setter]:
        def run_cmd(tag: str, value: Any) -> None:
            if not isinstance(value, bool):
                raise ValueError(f"{tag} needs True or False, not {value!r}")
            self.run_cmd = value
            self._update_state()
            self._update_rate()

        return {f"{self.name}.RunCmd": run_cmd, **self.conveyor.setters(), **self.machine.setters()}
