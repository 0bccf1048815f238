"""What the demo plant's State, ReasonCode and Product tags mean.

The model, its OPC UA server (which prints reasons), the demo backfill and the
tests all speak these codes; they live apart from the model so a reader of a
tag value needs no plant to decode it.
"""

from __future__ import annotations

from enum import IntEnum


class LineState(IntEnum):
    """The value of `<Line>.State`."""

    RUNNING = 1
    IDLE = 2  # starved, blocked, or stopped by the operator
    DOWN = 3  # a fault
    CHANGEOVER = 4
    PLANNED_STOP = 5


class Reason(IntEnum):
    """The value of `<Line>.ReasonCode`: why the line is not running (0 while it runs)."""

    NONE = 0
    BELT_SLIP = 101
    MOTOR_OVERLOAD = 102
    JAM = 103
    FRAMES_NOT_DELIVERED = 201
    PAINT_SUPPLY_LOW = 202
    PRODUCT_CHANGEOVER = 301
    QUALITY_HOLD = 401
    SENSOR_FAULT = 501
    STARVED_UPSTREAM = 601
    BLOCKED_DOWNSTREAM = 602
    STOPPED_BY_OPERATOR = 900


REASON_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.NONE: ("None", "無"),
    Reason.BELT_SLIP: ("Belt slip", "皮帶打滑"),
    Reason.MOTOR_OVERLOAD: ("Motor overload", "馬達過載"),
    Reason.JAM: ("Jam", "卡料"),
    Reason.FRAMES_NOT_DELIVERED: ("Frames not delivered", "車架未送達"),
    Reason.PAINT_SUPPLY_LOW: ("Paint supply low", "塗料不足"),
    Reason.PRODUCT_CHANGEOVER: ("Product changeover", "換線"),
    Reason.QUALITY_HOLD: ("Quality hold", "品質暫停"),
    Reason.SENSOR_FAULT: ("Sensor fault", "感測器故障"),
    Reason.STARVED_UPSTREAM: ("Starved upstream", "上游缺料"),
    Reason.BLOCKED_DOWNSTREAM: ("Blocked downstream", "下游阻塞"),
    Reason.STOPPED_BY_OPERATOR: ("Stopped by operator", "操作員停止"),
}

PRODUCTS: tuple[tuple[str, float], ...] = (
    # product code, cycle-time factor (a mountain-bike frame takes longer)
    ("CITY-26", 1.0),
    ("MTB-29", 1.2),
    ("ROAD-700C", 1.1),
)
