"""Values <-> 16-bit Modbus registers, in the four orders real devices use.

Pure functions, no I/O. An order names where the bytes of the big-endian
value A B C D (A most significant) land in the registers as sent:

    ABCD  big-endian: registers most-significant first, high byte first (Modbus default)
    CDAB  word swap: registers least-significant first (most PLCs' "float swap")
    BADC  byte swap inside each register
    DCBA  both: fully little-endian

For 64-bit values the same two swaps apply: CDAB sends the four registers
least-significant first. A 16-bit value is only affected by the byte swap.
Strings are characters in register order, first character in the high byte
(ABCD) or in the low byte (BADC); trailing NUL padding is removed on read.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from typing import Any

#: struct format and register count per numeric data type name
NUMERIC = {
    "int16": ("h", 1),
    "uint16": ("H", 1),
    "int32": ("i", 2),
    "uint32": ("I", 2),
    "int64": ("q", 4),
    "uint64": ("Q", 4),
    "float32": ("f", 2),
    "float64": ("d", 4),
}
_SWAPS = {
    "ABCD": (False, False),
    "CDAB": (True, False),
    "BADC": (False, True),
    "DCBA": (True, True),
}


def register_count(type_name: str, string_bytes: int | None = None) -> int:
    """How many registers a value of `type_name` occupies."""
    if type_name == "string":
        if not string_bytes:
            raise ValueError("a string needs a length")
        return (string_bytes + 1) // 2
    if type_name == "bool":
        return 1
    return NUMERIC[type_name][1]


def _reorder(data: bytes, order: str) -> bytes:
    """Canonical big-endian bytes <-> wire bytes (the mapping is its own inverse)."""
    word_swap, byte_swap = _SWAPS[order]
    if byte_swap:
        swapped = bytearray(len(data))
        swapped[0::2] = data[1::2]
        swapped[1::2] = data[0::2]
        data = bytes(swapped)
    if word_swap and len(data) > 2:
        data = b"".join(data[i : i + 2] for i in range(len(data) - 2, -1, -2))
    return data


def _to_bytes(registers: Sequence[int]) -> bytes:
    for r in registers:
        if not 0 <= r <= 0xFFFF:
            raise ValueError(f"register value {r} is not 16-bit")
    return struct.pack(f">{len(registers)}H", *registers)


def _to_registers(data: bytes) -> list[int]:
    return list(struct.unpack(f">{len(data) // 2}H", data))


def decode(
    registers: Sequence[int], type_name: str, order: str = "ABCD", string_bytes: int | None = None
) -> int | float | str | bool:
    """The value held in `registers` (exactly the type's register count).

    ValueError when there are too few registers, so a short response becomes
    a bad value with a reason instead of a wrong number.
    """
    need = register_count(type_name, string_bytes)
    if len(registers) < need:
        raise ValueError(f"{type_name} needs {need} registers, got {len(registers)}")
    raw = _to_bytes(registers[:need])
    if type_name == "bool":
        return registers[0] != 0
    if type_name == "string":
        text = _reorder(raw, "BADC" if order == "BADC" else "ABCD")[:string_bytes]
        return text.rstrip(b"\x00").decode("utf-8", errors="replace")
    fmt, _ = NUMERIC[type_name]
    return struct.unpack(f">{fmt}", _reorder(raw, order))[0]


def decoder(
    type_name: str, order: str = "ABCD", string_bytes: int | None = None
) -> Callable[[Sequence[int]], Any]:
    """`decode` fixed to one type and order, precompiled: the hot path of polling.

    The function raises ValueError (or struct.error) on too few registers.
    """
    if type_name in ("bool", "string"):
        return lambda regs: decode(regs, type_name, order, string_bytes)
    fmt, n = NUMERIC[type_name]
    pack = struct.Struct(f">{n}H").pack
    unpack = struct.Struct(f">{fmt}").unpack
    if order == "ABCD" or (n == 1 and order == "CDAB"):
        return lambda regs: unpack(pack(*regs[:n]))[0]
    return lambda regs: unpack(_reorder(pack(*regs[:n]), order))[0]


def encode(
    value: int | float | str | bool,
    type_name: str,
    order: str = "ABCD",
    string_bytes: int | None = None,
) -> list[int]:
    """The registers that hold `value` on the wire; ValueError if it does not fit the type."""
    if type_name == "bool":
        return [1 if value else 0]
    if type_name == "string":
        data = str(value).encode("utf-8")
        if string_bytes is None or len(data) > string_bytes:
            raise ValueError(f"{value!r} is longer than {string_bytes} bytes")
        data = data.ljust(register_count("string", string_bytes) * 2, b"\x00")
        return _to_registers(_reorder(data, "BADC" if order == "BADC" else "ABCD"))
    fmt, _ = NUMERIC[type_name]
    if fmt in "fd":
        num = float(value)
        if fmt == "f" and math.isfinite(num) and abs(num) > 3.4028234663852886e38:
            raise ValueError(f"{value!r} is outside the float32 range")
    else:
        num = int(value)
    try:
        data = struct.pack(f">{fmt}", num)
    except (struct.error, OverflowError) as exc:
        raise ValueError(f"{value!r} does not fit {type_name}: {exc}") from None
    return _to_registers(_reorder(data, order))


def get_bit(register: int, bit: int) -> bool:
    """Bit `bit` (0 = least significant) of a register value."""
    return bool((register >> bit) & 1)


def set_bit(register: int, bit: int, on: bool) -> int:
    """`register` with bit `bit` set or cleared, other bits untouched."""
    return register | (1 << bit) if on else register & ~(1 << bit) & 0xFFFF
