"""The demo plant's Modbus register map: where each Assembly-line value sits, and how.

Pure data plus the conversions both ways, no I/O. `hmi.sim.modbus_server` serves
it; `docs/demo-register-map.md` documents it; the demo config's `sim-modbus` tags
read it. The layout copies what real line PLCs and drives do, so the demo
exercises the driver the way a shop floor does: int16 state codes, uint32
counters low word first (CDAB), float32 process values big-endian (ABCD),
temperatures and speeds as int16 scaled by 0.1 / 0.01, a uint16 tension, a
status word read bit by bit, a fixed-length product string and a run coil.

Values are converted with pymodbus's own register converters rather than
the driver's codec, so a driver test against the simulator checks our codec
against another implementation, not against itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pymodbus.client.mixin import ModbusClientMixin

from hmi.config import DataType
from hmi.drivers.modbus_address import Table

UNIT_ID = 1
LINE = "Assembly"

_DT = ModbusClientMixin.DATATYPE
_PYMODBUS_TYPES = {
    DataType.INT16: _DT.INT16,
    DataType.UINT16: _DT.UINT16,
    DataType.INT32: _DT.INT32,
    DataType.UINT32: _DT.UINT32,
    DataType.FLOAT32: _DT.FLOAT32,
    DataType.STRING: _DT.STRING,
}
_WORD_ORDER: dict[str, Literal["big", "little"]] = {"ABCD": "big", "CDAB": "little"}
_INT_RANGE = {
    DataType.INT16: (-(2**15), 2**15 - 1),
    DataType.UINT16: (0, 2**16 - 1),
    DataType.INT32: (-(2**31), 2**31 - 1),
    DataType.UINT32: (0, 2**32 - 1),
}
_REGISTERS = {DataType.INT16: 1, DataType.UINT16: 1, DataType.INT32: 2, DataType.UINT32: 2,
              DataType.FLOAT32: 2}  # fmt: skip

Values = Mapping[str, Any]


class WriteRefused(Exception):
    """A client write the device answers with a Modbus exception (`code` 2 or 3)."""

    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class Point:
    """One value in the map: a tag of the model (or one derived from it) at an address.

    `gain` is the engineering value per raw count (0.1 for "0.1 °C per count").
    `derive` computes a value the model does not publish itself (status bits).
    """

    tag: str
    table: Table
    offset: int
    type: DataType
    order: str = "ABCD"
    gain: float = 1.0
    units: str = ""
    writable: bool = False
    bit: int | None = None
    chars: int = 0  # a string's fixed length in characters (bytes)
    derive: Callable[[Values], Any] | None = field(default=None, compare=False)
    note: str = ""

    @property
    def count(self) -> int:
        """Registers (or bits) it occupies."""
        if self.table.is_bits or self.bit is not None:
            return 1
        if self.type is DataType.STRING:
            return (self.chars + 1) // 2
        return _REGISTERS[self.type]

    @property
    def address(self) -> str:
        """The address as a plant config writes it (docs/modbus.md syntax)."""
        text = f"{self.table.value}:{self.offset}"
        if self.bit is not None:
            return f"{text}.{self.bit}"
        if self.type is DataType.STRING:
            return f"{text}:str{self.chars}"
        return f"{text}:{self.order}" if self.count > 1 else text

    @property
    def resolution(self) -> float:
        """The largest difference between a model value and what a client reads back."""
        if self.type is DataType.FLOAT32:
            return 0.0  # relative 2**-24 only; callers compare with math.isclose(rel_tol=1e-6)
        if self.type.is_integer:
            return abs(self.gain) / 2
        return 0.0

    def value(self, values: Values) -> Any:
        """The engineering value this point shows for the model's `values`."""
        return self.derive(values) if self.derive is not None else values[self.tag]

    def raw(self, values: Values) -> Any:
        """The raw value on the wire for the model's `values` (scaled, rounded, clamped)."""
        value = self.value(values)
        if self.type in (DataType.BOOL, DataType.STRING):
            return value
        if self.type.is_integer:
            lo, hi = _INT_RANGE[self.type]
            return min(hi, max(lo, round(value / self.gain)))
        return float(value) / self.gain

    def encode(self, values: Values) -> list[int]:
        """The registers holding this point's current value (not for bits)."""
        raw = self.raw(values)
        if self.type is DataType.STRING:
            raw = str(raw).encode()[: self.chars].ljust(2 * self.count, b"\x00").decode()
        order = _WORD_ORDER[self.order]
        return ModbusClientMixin.convert_to_registers(raw, _PYMODBUS_TYPES[self.type], order)

    def decode(self, registers: list[int]) -> Any:
        """The engineering value a client wrote as `registers` (numbers only)."""
        order = _WORD_ORDER[self.order]
        raw = ModbusClientMixin.convert_from_registers(registers, _PYMODBUS_TYPES[self.type], order)
        assert isinstance(raw, int | float)
        return raw * self.gain if self.gain != 1.0 else raw


def _status(state: int) -> Callable[[Values], bool]:
    return lambda v: v[f"{LINE}.State"] == state


L, C = LINE, f"{LINE}.Conveyor"
HR, IR, COIL = Table.HR, Table.IR, Table.COIL
F32, I16, U16, U32 = DataType.FLOAT32, DataType.INT16, DataType.UINT16, DataType.UINT32

#: The Assembly line as Modbus unit 1. Keep docs/demo-register-map.md in step.
ASSEMBLY_POINTS: tuple[Point, ...] = (
    Point(f"{L}.RunCmd", COIL, 0, DataType.BOOL, writable=True,
          note="1 = run, 0 = stop (function 5)"),
    Point(f"{L}.State", HR, 0, I16, note="1 Running, 2 Idle, 3 Down, 4 Changeover, 5 Planned"),
    Point(f"{L}.ReasonCode", HR, 1, I16, note="0 while running"),
    Point(f"{L}.Status.Running", HR, 2, DataType.BOOL, bit=0, derive=_status(1),
          note="status word bit 0: State = 1"),
    Point(f"{L}.Status.Fault", HR, 2, DataType.BOOL, bit=1, derive=_status(3),
          note="status word bit 1: State = 3 Down"),
    Point(f"{L}.GoodCount", HR, 4, U32, order="CDAB", units="pcs"),
    Point(f"{L}.RejectCount", HR, 6, U32, order="CDAB", units="pcs"),
    Point(f"{L}.Rate", HR, 8, F32, units="pcs/h"),
    Point(f"{L}.Product", HR, 10, DataType.STRING, chars=16, note="ASCII, NUL padded"),
    Point(f"{C}.SpeedSP", HR, 20, F32, units="m/min", writable=True,
          note="0 … 30 (function 16); outside: exception 3"),
    Point(f"{C}.MotorVoltage", IR, 0, F32, units="V"),
    Point(f"{C}.MotorCurrent", IR, 2, F32, units="A"),
    Point(f"{C}.MotorTemperature", IR, 4, I16, gain=0.1, units="°C", note="0.1 °C per count"),
    Point(f"{C}.Speed", IR, 5, I16, gain=0.01, units="m/min", note="0.01 m/min per count"),
    Point(f"{C}.BeltTension", IR, 6, U16, units="N", note="whole newtons"),
    Point(f"{L}.Truing.Runout", IR, 7, U16, gain=0.001, units="mm", note="µm (0.001 mm)"),
)  # fmt: skip
del L, C, HR, IR, COIL, F32, I16, U16, U32


class RegisterMap:
    """A set of points: the memory image they make, and client writes turned back into values."""

    def __init__(self, points: Iterable[Point], unit_id: int = UNIT_ID):
        self.unit_id = unit_id
        self.points = tuple(points)
        self.sizes: dict[Table, int] = {t: 0 for t in Table}
        for p in self.points:
            self.sizes[p.table] = max(self.sizes[p.table], p.offset + p.count)
        self._check_overlaps()

    def _check_overlaps(self) -> None:
        """Two points on one register are a mistake, unless both are distinct bits of it."""
        whole: dict[tuple[Table, int], str] = {}
        bits: dict[tuple[Table, int], dict[int, str]] = {}
        for p in self.points:
            for reg in range(p.offset, p.offset + p.count):
                key = (p.table, reg)
                taken = bits.get(key, {})
                clash = whole.get(key) or (taken.get(p.bit) if p.bit is not None else None)
                if clash is None and p.bit is None and taken:
                    clash = next(iter(taken.values()))
                if clash is not None:
                    raise ValueError(f"{p.tag} overlaps {clash} at {p.table.value}:{reg}")
                if p.bit is None:
                    whole[key] = p.tag
                else:
                    bits.setdefault(key, {})[p.bit] = p.tag

    def image(self, values: Values) -> dict[Table, list[Any]]:
        """Every table's contents for the model's `values`: bools for bit tables, else ints.

        Registers no point uses (reserved) read 0.
        """
        out: dict[Table, list[Any]] = {
            t: [False] * n if t.is_bits else [0] * n for t, n in self.sizes.items()
        }
        for p in self.points:
            table = out[p.table]
            if p.table.is_bits:
                table[p.offset] = bool(p.raw(values))
            elif p.bit is not None:
                if p.raw(values):
                    table[p.offset] |= 1 << p.bit
            else:
                table[p.offset : p.offset + p.count] = p.encode(values)
        return out

    def client_write(
        self, table: Table, address: int, new: list[Any], image: Mapping[Table, list[Any]]
    ) -> list[tuple[str, Any]]:
        """The model writes (tag, engineering value) a client's write of `new` at `address` means.

        `image` is the table contents before the write: a write that covers only
        part of a multi-register value combines with the rest, as in a real device.
        WriteRefused(2) if the write touches anything not writable, (3) if a
        value does not decode.
        """
        end = address + len(new)
        hit = [p for p in self.points if p.table is table and p.offset < end
               and address < p.offset + p.count]  # fmt: skip
        covered = {r for p in hit if p.writable for r in range(p.offset, p.offset + p.count)}
        for reg in range(address, end):
            if reg not in covered:
                what = next((p.tag for p in hit if p.offset <= reg < p.offset + p.count), None)
                why = f"{what} is read-only" if what else "no writable value there"
                raise WriteRefused(2, f"{table.value}:{reg}: {why}")
        writes: list[tuple[str, Any]] = []
        for p in hit:
            if table.is_bits:
                writes.append((p.tag, bool(new[p.offset - address])))
                continue
            regs = list(image[table][p.offset : p.offset + p.count])
            for reg in range(max(address, p.offset), min(end, p.offset + p.count)):
                regs[reg - p.offset] = new[reg - address]
            value = p.decode(regs)
            if isinstance(value, float) and not math.isfinite(value):
                raise WriteRefused(3, f"{p.tag}: {value} is not a number")
            writes.append((p.tag, value))
        return writes


ASSEMBLY_MAP = RegisterMap(ASSEMBLY_POINTS)
