"""Modbus tag addresses: parse and validate ``hr:100:CDAB`` style strings.

Pure and import-free of the project, so the config loader can validate
addresses without importing any driver (and without an import cycle).

Grammar (case-insensitive), see docs/modbus.md::

    <table>:<offset>[.<bit>][:<option>]...
    table   coil | di | ir | hr          (co is accepted for coil)
    offset  0..65535, the 0-based PROTOCOL address (datasheet 40001 -> hr:0)
    bit     0..15, bit of a register (0 = least significant), ir/hr only
    option  ABCD | CDAB | BADC | DCBA    word/byte order of this tag
            str<N>                       string of N characters (bytes)
            str<N>r                      string of N registers (2N characters)
            <N>ms                        poll this tag every N ms (own poll group)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ORDERS = ("ABCD", "CDAB", "BADC", "DCBA")
MAX_STRING_REGISTERS = 125  # one read request

_ADDRESS_RE = re.compile(
    r"^(?P<table>[a-z]+):(?P<offset>\d+)(?:\.(?P<bit>\d+))?(?P<opts>(?::[^:]*)*)$", re.I
)
_CLASSIC_RE = re.compile(r"^[0134]\d{4,5}$")
_STR_RE = re.compile(r"^str(?P<n>\d+)(?P<regs>r?)$", re.I)
_POLL_RE = re.compile(r"^(?P<ms>\d+)ms$", re.I)


class Table(StrEnum):
    """The four Modbus data tables, by the short name used in addresses."""

    COIL = "coil"
    DI = "di"
    IR = "ir"
    HR = "hr"

    @property
    def is_bits(self) -> bool:
        return self in (Table.COIL, Table.DI)

    @property
    def writable(self) -> bool:
        return self in (Table.COIL, Table.HR)

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    Table.COIL: "coils",
    Table.DI: "discrete inputs",
    Table.IR: "input registers",
    Table.HR: "holding registers",
}
_TABLE_NAMES = {
    "coil": Table.COIL,
    "co": Table.COIL,
    "di": Table.DI,
    "ir": Table.IR,
    "hr": Table.HR,
}
_CLASSIC_TABLE = {"0": "coil", "1": "di", "3": "ir", "4": "hr"}


@dataclass(frozen=True, slots=True)
class ModbusAddress:
    """A parsed tag address. `order` None means: the connection's default word order."""

    table: Table
    offset: int
    bit: int | None = None
    order: str | None = None
    string_bytes: int | None = None
    poll_ms: int | None = None

    def __str__(self) -> str:
        text = f"{self.table.value}:{self.offset}"
        if self.bit is not None:
            text += f".{self.bit}"
        if self.order:
            text += f":{self.order}"
        if self.string_bytes is not None:
            text += f":str{self.string_bytes}"
        if self.poll_ms is not None:
            text += f":{self.poll_ms}ms"
        return text


def _classic_hint(text: str) -> str:
    """Explain how to rewrite a datasheet's 1-based 40001-style reference."""
    digits = text.strip()
    table = _CLASSIC_TABLE[digits[0]]
    base = int(digits[0]) * 10 ** (len(digits) - 1) + 1  # 40001, 400001, 30001, 1, ...
    offset = int(digits) - base
    if offset < 0:
        return f"'{text}' looks like classic 1-based notation but is below its table's first entry"
    return (
        f"'{text}' looks like classic 1-based notation: write {table}:{offset} "
        f"(0-based protocol offset = {digits} - {base})"
    )


def parse_address(text: str) -> ModbusAddress:
    """The address `text` means; ValueError with a message a person can act on."""
    m = _ADDRESS_RE.match(text.strip())
    if not m:
        if _CLASSIC_RE.match(text.strip()):
            raise ValueError(_classic_hint(text))
        raise ValueError(
            f"'{text}' is not a Modbus address (e.g. hr:100, hr:100:CDAB, hr:100.3, "
            "ir:30, coil:5, di:7, hr:200:str20)"
        )
    name = m["table"].lower()
    table = _TABLE_NAMES.get(name)
    if table is None:
        raise ValueError(f"unknown table '{m['table']}' in '{text}' (use coil, di, ir or hr)")
    offset = int(m["offset"])
    if offset > 65535:
        raise ValueError(f"offset {offset} in '{text}' is outside 0..65535")
    bit = None if m["bit"] is None else int(m["bit"])
    if bit is not None:
        if table.is_bits:
            raise ValueError(f"'{text}': a bit (.{bit}) only applies to registers (ir, hr)")
        if bit > 15:
            raise ValueError(f"'{text}': bit {bit} is outside 0..15")
    order = string_bytes = poll_ms = None
    for opt in filter(None, (o.strip() for o in m["opts"].split(":"))):
        if opt.upper() in ORDERS:
            if order is not None:
                raise ValueError(f"'{text}' gives two word orders")
            order = opt.upper()
        elif sm := _STR_RE.match(opt):
            if string_bytes is not None:
                raise ValueError(f"'{text}' gives two string lengths")
            n = int(sm["n"])
            string_bytes = n * 2 if sm["regs"] else n
            if not 1 <= string_bytes <= 2 * MAX_STRING_REGISTERS:
                raise ValueError(
                    f"'{text}': string length must be 1..{2 * MAX_STRING_REGISTERS} characters "
                    f"(1..{MAX_STRING_REGISTERS} registers)"
                )
        elif pm := _POLL_RE.match(opt):
            poll_ms = int(pm["ms"])
            if poll_ms < 10:
                raise ValueError(f"'{text}': poll period {poll_ms} ms is below 10 ms")
        else:
            raise ValueError(
                f"unknown option '{opt}' in '{text}' (a word order ABCD, CDAB, BADC, DCBA; "
                "a string length such as str20 or str10r; or a poll period such as 5000ms)"
            )
    if table.is_bits and (order or string_bytes):
        raise ValueError(f"'{text}': {table.title} hold single bits: no word order or string")
    if bit is not None and (order or string_bytes):
        raise ValueError(f"'{text}': a bit address takes no word order or string length")
    if string_bytes is not None and order not in (None, "ABCD", "BADC"):
        raise ValueError(f"'{text}': a string's order is ABCD (as sent) or BADC (bytes swapped)")
    if string_bytes is not None and offset + (string_bytes + 1) // 2 - 1 > 65535:
        raise ValueError(f"'{text}': the string runs past register 65535")
    return ModbusAddress(table, offset, bit, order, string_bytes, poll_ms)


def address_problem(text: str) -> str | None:
    """None if `text` is a valid Modbus address, else why not (for the config loader)."""
    try:
        parse_address(text)
    except ValueError as exc:
        return str(exc)
    return None


def type_problem(addr: ModbusAddress, type_name: str) -> str | None:
    """None if a tag of data type `type_name` can live at `addr`, else why not.

    Checked per tag when the driver starts, since the loader checks addresses
    without knowing the tag's type.
    """
    if addr.table.is_bits and type_name != "bool":
        return f"{addr.table.title} hold bits: the tag's type must be bool, not {type_name}"
    if addr.bit is not None and type_name != "bool":
        return f"a bit address (.{addr.bit}) needs type bool, not {type_name}"
    if type_name == "string" and addr.string_bytes is None:
        return "a string tag needs a length option, e.g. hr:200:str20 (20 characters)"
    if addr.string_bytes is not None and type_name != "string":
        return f"a string length option needs type string, not {type_name}"
    width = {"int32": 2, "uint32": 2, "float32": 2, "int64": 4, "uint64": 4, "float64": 4}
    if addr.offset + width.get(type_name, 1) - 1 > 65535:
        return f"a {type_name} at {addr.offset} runs past register 65535"
    return None
