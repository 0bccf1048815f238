"""Modbus address syntax and register codec: pure, checked against known byte patterns."""

from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmi.config import ConfigError, load_config
from hmi.drivers.modbus_address import (
    ModbusAddress,
    Table,
    address_problem,
    parse_address,
    type_problem,
)
from hmi.drivers.modbus_codec import decode, decoder, encode, get_bit, register_count, set_bit

# --------------------------------------------------------------------------- codec


@pytest.mark.parametrize(
    ("order", "registers"),
    [
        ("ABCD", [0x42F6, 0xE979]),
        ("CDAB", [0xE979, 0x42F6]),
        ("BADC", [0xF642, 0x79E9]),
        ("DCBA", [0x79E9, 0xF642]),
    ],
)
def test_float32_123_456_in_the_four_orders(order: str, registers: list[int]) -> None:
    assert encode(123.456, "float32", order) == registers
    assert decode(registers, "float32", order) == pytest.approx(123.456, rel=1e-7)


def test_known_integer_patterns() -> None:
    assert encode(-2, "int16") == [0xFFFE]
    assert encode(-2, "int16", "BADC") == [0xFEFF]
    assert encode(-2, "int16", "CDAB") == [0xFFFE]  # one register: no word to swap
    assert encode(0x12345678, "uint32") == [0x1234, 0x5678]
    assert encode(0x12345678, "uint32", "CDAB") == [0x5678, 0x1234]
    assert encode(0x0102030405060708, "int64") == [0x0102, 0x0304, 0x0506, 0x0708]
    # 64-bit word swap = least significant register first
    assert encode(0x0102030405060708, "int64", "CDAB") == [0x0708, 0x0506, 0x0304, 0x0102]
    assert encode(0x0102030405060708, "uint64", "DCBA") == [0x0807, 0x0605, 0x0403, 0x0201]
    assert decode([0xFFFF, 0xFFFF], "int32") == -1
    assert decode([0xFFFF, 0xFFFF], "uint32") == 2**32 - 1
    assert encode(1.0, "float64") == [0x3FF0, 0, 0, 0]


NUMBERS = {
    "int16": st.integers(-(2**15), 2**15 - 1),
    "uint16": st.integers(0, 2**16 - 1),
    "int32": st.integers(-(2**31), 2**31 - 1),
    "uint32": st.integers(0, 2**32 - 1),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "uint64": st.integers(0, 2**64 - 1),
    "float64": st.floats(allow_nan=False),
}


@given(
    data=st.data(),
    type_name=st.sampled_from(sorted(NUMBERS)),
    order=st.sampled_from(["ABCD", "CDAB", "BADC", "DCBA"]),
)
def test_every_numeric_type_round_trips_in_every_order(data, type_name, order) -> None:
    value = data.draw(NUMBERS[type_name])
    regs = encode(value, type_name, order)
    assert len(regs) == register_count(type_name)
    assert all(0 <= r <= 0xFFFF for r in regs)
    assert decode(regs, type_name, order) == value


def test_float32_nan_and_out_of_range() -> None:
    assert math.isnan(decode(encode(float("nan"), "float32"), "float32"))
    with pytest.raises(ValueError, match="float32 range"):
        encode(1e39, "float32")
    with pytest.raises(ValueError, match="does not fit int16"):
        encode(40000, "int16")


def test_strings_pad_truncate_and_swap() -> None:
    assert register_count("string", 5) == 3
    assert encode("AB", "string", string_bytes=5) == [0x4142, 0, 0]
    assert encode("ABC", "string", "BADC", string_bytes=4) == [0x4241, 0x0043]
    assert decode([0x4142, 0x4300, 0], "string", string_bytes=6) == "ABC"
    assert decode([0x4241, 0x0043], "string", "BADC", string_bytes=4) == "ABC"
    # an odd length ignores the padding byte of the last register
    assert decode([0x4142, 0x435A], "string", string_bytes=3) == "ABC"
    with pytest.raises(ValueError, match="longer than 2 bytes"):
        encode("ABC", "string", string_bytes=2)
    # device junk never raises
    assert decode([0xFFFE], "string", string_bytes=2) == "\ufffd\ufffd"


def test_short_register_list_is_an_error_not_a_wrong_number() -> None:
    with pytest.raises(ValueError, match="needs 2 registers, got 1"):
        decode([0x42F6], "float32")


def test_bits_of_a_register() -> None:
    assert get_bit(0b1000, 3) and not get_bit(0b1000, 2)
    assert get_bit(0x8000, 15)
    assert set_bit(0x8001, 3, True) == 0x8009
    assert set_bit(0xFFFF, 15, False) == 0x7FFF
    assert decode([7], "bool") is True and decode([0], "bool") is False


# --------------------------------------------------------------------------- address syntax


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("hr:100", ModbusAddress(Table.HR, 100)),
        ("hr:100:CDAB", ModbusAddress(Table.HR, 100, order="CDAB")),
        ("HR:100:cdab", ModbusAddress(Table.HR, 100, order="CDAB")),
        ("hr:100.3", ModbusAddress(Table.HR, 100, bit=3)),
        ("ir:30", ModbusAddress(Table.IR, 30)),
        ("ir:30.15", ModbusAddress(Table.IR, 30, bit=15)),
        ("coil:5", ModbusAddress(Table.COIL, 5)),
        ("co:5", ModbusAddress(Table.COIL, 5)),
        ("di:7", ModbusAddress(Table.DI, 7)),
        ("hr:200:str20", ModbusAddress(Table.HR, 200, string_bytes=20)),
        ("hr:200:str10r:BADC", ModbusAddress(Table.HR, 200, order="BADC", string_bytes=20)),
        ("hr:0:DCBA:5000ms", ModbusAddress(Table.HR, 0, order="DCBA", poll_ms=5000)),
        ("hr:65535", ModbusAddress(Table.HR, 65535)),
    ],
)
def test_valid_addresses(text: str, expect: ModbusAddress) -> None:
    assert parse_address(text) == expect
    assert address_problem(text) is None
    assert parse_address(str(expect)) == expect  # str() writes the canonical form


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("40001", "write hr:0 "),
        ("40101", "write hr:100 "),
        ("400001", "write hr:0 "),
        ("30010", "write ir:9 "),
        ("10001", "write di:0 "),
        ("00005", "write coil:4 "),
        ("hr:65536", "outside 0..65535"),
        ("hr:1.16", "bit 16 is outside 0..15"),
        ("coil:1.2", "only applies to registers"),
        ("hx:1", "unknown table 'hx'"),
        ("hr:1:XYZW", "unknown option 'XYZW'"),
        ("hr:1:ABCD:CDAB", "two word orders"),
        ("coil:1:CDAB", "no word order"),
        ("hr:1.2:CDAB", "a bit address takes no word order"),
        ("hr:1:str0", "string length must be 1..250"),
        ("hr:1:str126r", "string length must be 1..250"),
        ("hr:1:str4:CDAB", "ABCD (as sent) or BADC"),
        ("hr:65535:str4", "runs past register 65535"),
        ("hr:1:5ms", "below 10 ms"),
        ("ns=2;s=X", "is not a Modbus address"),
        ("hr:", "is not a Modbus address"),
    ],
)
def test_invalid_addresses_say_why(text: str, message: str) -> None:
    problem = address_problem(text)
    assert problem is not None and message in problem


def test_type_must_fit_the_address() -> None:
    assert type_problem(parse_address("coil:1"), "bool") is None
    assert "must be bool" in type_problem(parse_address("di:1"), "int16")
    assert "needs type bool" in type_problem(parse_address("hr:1.3"), "uint16")
    assert "needs a length" in type_problem(parse_address("hr:1"), "string")
    assert "needs type string" in type_problem(parse_address("hr:1:str4"), "int16")
    assert "runs past register 65535" in type_problem(parse_address("hr:65534"), "float64")
    assert type_problem(parse_address("hr:65532"), "float64") is None


# --------------------------------------------------------------------------- config


def _plant(tmp_path, body: str):
    path = tmp_path / "plant.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_config_loads_a_modbus_connection(tmp_path) -> None:
    path = _plant(
        tmp_path,
        """
        [plant]
        name = "p"
        title = "P"

        [[connections]]
        name = "meter"
        driver = "modbus"
        host = "127.0.0.1"
        port = 1502
        unit_id = 3
        word_order = "CDAB"

        [[tags]]
        name = "Line.Meter.Power"
        connection = "meter"
        address = "hr:3059"
        type = "float32"
        """,
    )
    config = load_config(path)
    conn = config.connection("meter")
    assert conn.driver == "modbus" and conn.unit_id == 3 and conn.word_order == "CDAB"
    assert conn.max_block_registers == 125 and conn.max_in_flight == 1 and not conn.read_only


def test_config_errors_name_the_line_and_suggest_the_fix(tmp_path) -> None:
    path = _plant(
        tmp_path,
        """
        [plant]
        name = "p"
        title = "P"

        [[connections]]
        name = "meter"
        driver = "modbus"
        host = "127.0.0.1"
        max_block_registers = 200

        [[connections]]
        name = "drive"
        driver = "modbuss"
        host = "127.0.0.1"
        """,
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert "plant.toml:10: connections[0].max_block_registers" in text
    assert "connections[1].driver: unknown driver 'modbuss'" in text and "modbus" in text

    path = _plant(
        tmp_path,
        """
        [plant]
        name = "p"
        title = "P"

        [[connections]]
        name = "meter"
        driver = "modbus"
        host = "127.0.0.1"

        [[tags]]
        name = "Line.Meter.Power"
        connection = "meter"
        address = "40001"
        """,
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "plant.toml:14: tags[0].address: '40001' looks like classic 1-based notation: " in str(
        err.value
    )
    assert "write hr:0" in str(err.value)


@given(
    data=st.data(),
    type_name=st.sampled_from(sorted(NUMBERS)),
    order=st.sampled_from(["ABCD", "CDAB", "BADC", "DCBA"]),
)
def test_the_precompiled_decoder_agrees_with_decode(data, type_name, order) -> None:
    regs = encode(data.draw(NUMBERS[type_name]), type_name, order)
    assert decoder(type_name, order)(regs) == decode(regs, type_name, order)
