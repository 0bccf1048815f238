"""Plant config: schema, loader, and errors that name file, line and field.

A plant is one TOML file (connections, tags, lines), optionally with large tag
lists in CSV files it names. pydantic validates; unknown keys are errors so a
typo never passes silently. Every problem is reported as
``plant.toml:42: tags[7].address: NodeId 'ns=2;s=' is empty``.

This module is the loader and the plant-level shape; each feature's part of the
schema lives in its own module (`config_connections` for ``[[connections]]``,
`config_alarms`, `config_history`, `config_oee`, `config_security`,
`config_templates`, `config_trends`).
"""

from __future__ import annotations

import csv
import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from hmi.config_alarms import AlarmConfig, AlarmPriorities, check_alarms, default_priorities
from hmi.config_connections import Connection
from hmi.config_history import HistoryDefaults, TagHistory
from hmi.config_oee import LineOee, ReasonCategory, ShiftCalendar, check_oee
from hmi.config_security import SecurityConfig, open_security
from hmi.config_templates import TemplateInstance, expand_templates
from hmi.config_trends import TrendViewConfig, check_trends

TAG_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config, located for the person who must fix it."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ConfigError(Exception):
    """A config that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --------------------------------------------------------------------------- schema


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """A user-visible text in the UI languages; English is required, zh-TW falls back to it."""

    en: str
    zh_TW: str | None = None

    def get(self, lang: str) -> str:
        if lang.startswith("zh") and self.zh_TW:
            return self.zh_TW
        return self.en


def _localized(v: Any) -> Any:
    return {"en": v} if isinstance(v, str) else v


class DataType(StrEnum):
    BOOL = "bool"
    INT16 = "int16"
    UINT16 = "uint16"
    INT32 = "int32"
    UINT32 = "uint32"
    INT64 = "int64"
    UINT64 = "uint64"
    FLOAT32 = "float32"
    FLOAT64 = "float64"
    STRING = "string"

    @property
    def is_numeric(self) -> bool:
        return self not in (DataType.BOOL, DataType.STRING)

    @property
    def is_integer(self) -> bool:
        return self.value.startswith(("int", "uint"))


class Scale(Strict):
    """Raw → engineering conversion: a raw/engineering range pair, or gain and offset.

    eng = raw * gain + offset. A range is turned into the same gain/offset.
    """

    raw_min: float | None = None
    raw_max: float | None = None
    eng_min: float | None = None
    eng_max: float | None = None
    gain: float | None = None
    offset: float = 0.0

    @model_validator(mode="after")
    def _one_form(self) -> Scale:
        ranges = (self.raw_min, self.raw_max, self.eng_min, self.eng_max)
        if any(r is not None for r in ranges):
            if any(r is None for r in ranges):
                raise ValueError("a range scale needs all of raw_min, raw_max, eng_min, eng_max")
            if self.gain is not None:
                raise ValueError("give either a range or gain/offset, not both")
            if self.raw_max == self.raw_min:
                raise ValueError("raw_min and raw_max must differ")
        elif self.gain is None:
            raise ValueError("give a range (raw_min..eng_max) or a gain")
        elif self.gain == 0:
            raise ValueError("gain must not be 0")
        return self

    @property
    def factor(self) -> tuple[float, float]:
        """(gain, offset) whichever form the config used."""
        if self.gain is not None:
            return self.gain, self.offset
        gain = (self.eng_max - self.eng_min) / (self.raw_max - self.raw_min)  # type: ignore[operator]
        return gain, self.eng_min - self.raw_min * gain  # type: ignore[operator]

    def to_eng(self, raw: float) -> float:
        gain, offset = self.factor
        return raw * gain + offset

    def to_raw(self, eng: float) -> float:
        gain, offset = self.factor
        return (eng - offset) / gain


class TagConfig(Strict):
    """One tag: its one dotted name, where it comes from, and how to read it."""

    name: str
    connection: str
    address: str
    type: DataType = DataType.FLOAT64
    units: str = ""
    description: Annotated[Localized, Field(default_factory=lambda: Localized(en=""))]
    writable: bool = False
    deadband: float = Field(default=0.0, ge=0)
    scale: Scale | None = None
    format: str = ""  # Python format spec for display, e.g. ".1f"; empty picks by type
    history: TagHistory = Field(default_factory=TagHistory)  # see hmi/config_history.py

    _norm_description = field_validator("description", mode="before")(_localized)

    @field_validator("name")
    @classmethod
    def _dotted(cls, v: str) -> str:
        if not TAG_NAME_RE.match(v):
            raise ValueError(
                f"'{v}' is not a dotted tag name (letters, digits, _; segments joined by '.')"
            )
        return v

    @field_validator("address")
    @classmethod
    def _address_present(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("address is empty")
        return v

    @model_validator(mode="after")
    def _scale_numeric(self) -> TagConfig:
        if (self.scale or self.deadband) and not self.type.is_numeric:
            raise ValueError(f"scale and deadband need a numeric type, not {self.type.value}")
        if self.history.enabled and self.type is DataType.STRING:
            raise ValueError("history needs a numeric or bool tag, not string")
        return self

    @property
    def line(self) -> str:
        """The first segment of the dotted name: by convention, the line or area."""
        return self.name.split(".", 1)[0]


class LineConfig(Strict):
    """A production line: its tags and (later) its OEE model."""

    name: str
    title: Localized
    tags: list[str] = Field(default_factory=list)  # names or fnmatch patterns
    state_tag: str | None = None
    oee: LineOee | None = None

    _norm_title = field_validator("title", mode="before")(_localized)


class PlantInfo(Strict):
    name: str
    title: Localized
    tag_files: list[str] = Field(default_factory=list)
    plugin_paths: list[str] = Field(default_factory=list)  # plugin folders, relative to this file

    _norm_title = field_validator("title", mode="before")(_localized)


class DisplayConfig(Strict):
    frame_rate_hz: float = Field(default=10.0, gt=0, le=60)


class PlantConfig(Strict):
    """A whole plant, as validated from its TOML (and CSV) files."""

    plant: PlantInfo
    display: DisplayConfig = Field(default_factory=DisplayConfig)
    connections: list[Connection] = Field(default_factory=list)
    tags: list[TagConfig] = Field(default_factory=list)
    lines: list[LineConfig] = Field(default_factory=list)
    alarms: list[AlarmConfig] = Field(default_factory=list)
    alarm_priorities: AlarmPriorities = Field(default_factory=default_priorities)
    shifts: ShiftCalendar | None = None  # see hmi/config_oee.py
    downtime_reasons: list[ReasonCategory] = Field(default_factory=list)
    history: HistoryDefaults = Field(default_factory=HistoryDefaults)
    security: SecurityConfig = Field(default_factory=open_security)  # hmi/config_security.py
    # Template instances by name (hmi/config_templates.py); their tags are in `tags`.
    instances: dict[str, TemplateInstance] = Field(default_factory=dict)
    trends: list[TrendViewConfig] = Field(default_factory=list)  # hmi/config_trends.py
    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> Path | None:
        """The TOML file this config came from (None when built in code)."""
        return Path(self._source) if self._source else None

    def tag(self, name: str) -> TagConfig:
        """The tag named `name`; KeyError if there is none."""
        return self.tag_index[name]

    @cached_property
    def tag_index(self) -> dict[str, TagConfig]:
        return {t.name: t for t in self.tags}

    def with_connection(self, connection: str, **changes: Any) -> PlantConfig:
        """A copy whose connection `connection` has `changes` applied (e.g. a simulator's
        `endpoint`, or `host`/`port`); the source file is kept for relative paths."""
        conn = self.connection(connection)
        unknown = set(changes) - set(type(conn).model_fields)
        if unknown:
            raise ValueError(f"connection '{connection}' has no {', '.join(sorted(unknown))}")
        conns = [
            c.model_copy(update=changes) if c.name == connection else c for c in self.connections
        ]
        copy = self.model_copy(update={"connections": conns})
        copy._source = self._source
        return copy

    def connection(self, name: str) -> Connection:
        return next(c for c in self.connections if c.name == name)

    def tags_of(self, connection: str) -> list[TagConfig]:
        return [t for t in self.tags if t.connection == connection]

    def line_tags(self, line: LineConfig) -> list[str]:
        return [t.name for t in self.tags if any(fnmatch.fnmatchcase(t.name, p) for p in line.tags)]


# --------------------------------------------------------------------------- locating lines


_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in key.split("."))


class TomlLocator:
    """Maps a path such as ('tags', 7, 'address') to the line it was written on.

    tomllib gives no positions, so this scans the text for table headers and
    keys. It is exact for the usual layout (one key per line, [[array]] tables)
    and falls back to the nearest enclosing table otherwise.
    """

    def __init__(self, text: str):
        self.lines: dict[tuple[Any, ...], int] = {}
        counts: dict[tuple[Any, ...], int] = {}
        table: tuple[Any, ...] = ()
        for no, raw in enumerate(text.splitlines(), start=1):
            m = _HEADER_RE.match(raw)
            if m:
                keys = _split_key(m[2])
                table = self._resolve(keys[:-1], counts)
                if m[1] == "[[":
                    base = (*table, keys[-1])
                    counts[base] = counts.get(base, -1) + 1
                    table = (*base, counts[base])
                else:
                    table = (*table, keys[-1])
                self.lines.setdefault(table, no)
                continue
            m = _KEY_RE.match(raw)
            if m:
                self.lines.setdefault((*table, *_split_key(m[1])), no)

    def _resolve(self, keys: tuple[str, ...], counts: dict[tuple[Any, ...], int]) -> tuple:
        """A header like [tags.scale] means the scale of the LAST [[tags]] entry."""
        path: tuple[Any, ...] = ()
        for k in keys:
            path = (*path, k)
            if path in counts:
                path = (*path, counts[path])
        return path

    def line_of(self, loc: Iterable[Any]) -> int:
        path = tuple(loc)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def _field_name(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("opcua", "modbus"):  # discriminator tags pydantic inserts into loc
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling)"
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown driver '{ctx.get('tag')}' (known: {ctx.get('expected_tags')})"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if p not in ("opcua", "modbus"))


# --------------------------------------------------------------------------- loading

_CSV_COLUMNS = {
    "name", "connection", "address", "type", "units", "description", "writable",
    "deadband", "format", "gain", "offset", "raw_min", "raw_max", "eng_min", "eng_max",
    "history", "history_deadband", "history_deadband_percent", "history_span",
    "history_heartbeat_s", "history_retention_days",
}  # fmt: skip


def _csv_rows(path: Path, shown: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """Rows of a CSV tag list as tag dicts, each with the line it came from."""
    rows: list[tuple[int, dict]] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        unknown = set(reader.fieldnames or []) - _CSV_COLUMNS
        for col in sorted(unknown):
            problems.append(Problem(shown, 1, col, "unknown column (check the spelling)"))
        for row in reader:
            line = reader.line_num
            tag: dict[str, Any] = {}
            scale: dict[str, Any] = {}
            history: dict[str, Any] = {}
            for key, val in row.items():
                if key in unknown or key is None or val is None or val.strip() == "":
                    continue
                val = val.strip()
                if key in ("gain", "offset", "raw_min", "raw_max", "eng_min", "eng_max"):
                    scale[key] = val
                elif key == "writable":
                    tag[key] = val.lower() in ("1", "true", "yes", "y")
                elif key == "history":
                    history["enabled"] = val.lower() in ("1", "true", "yes", "y", "on")
                elif key.startswith("history_"):
                    history[key.removeprefix("history_")] = val
                else:
                    tag[key] = val
            if scale:
                tag["scale"] = scale
            if history:
                tag["history"] = history
            rows.append((line, tag))
    return rows


def load_config(path: str | Path) -> PlantConfig:
    """Load and validate a plant config; raise ConfigError listing every problem."""
    path = Path(path)
    shown = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([Problem(shown, 1, "(file)", f"cannot read: {exc.strerror}")]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m[1]) if m else 1
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError([Problem(shown, line, "(syntax)", msg)]) from exc

    locator = TomlLocator(text)
    problems: list[Problem] = []
    # Where each tag was written, so cross-checks can point at it.
    origins: list[tuple[str, int, str]] = []  # (file, line, field prefix)
    toml_tags = data.get("tags", [])
    if not isinstance(toml_tags, list):
        toml_tags = []
    for i in range(len(toml_tags)):
        origins.append((shown, locator.line_of(("tags", i, "name")), f"tags[{i}]"))
    # Template instances expand to ordinary tags and alarms (hmi/config_templates.py),
    # placed right after the TOML ones; `expansion` maps problems back to their source.
    expansion = expand_templates(data, shown, locator)
    problems.extend(expansion.problems)
    expansion.tag_offset = len(origins)
    for k in range(len(expansion.tags)):
        origins.append((shown, expansion.origin_line(k), f"tags[{len(origins)}]"))
    toml_alarms = data.get("alarms", [])
    toml_alarms = toml_alarms if isinstance(toml_alarms, list) else []
    expansion.alarm_offset = len(toml_alarms)

    csv_tags: list[dict] = []
    plant = data.get("plant") if isinstance(data.get("plant"), dict) else {}
    for j, rel in enumerate(plant.get("tag_files", []) or []):
        csv_path = path.parent / str(rel)
        if not csv_path.is_file():
            line = locator.line_of(("plant", "tag_files"))
            problems.append(Problem(shown, line, f"plant.tag_files[{j}]", f"no file '{rel}'"))
            continue
        for line, row in _csv_rows(csv_path, csv_path.name, problems):
            csv_tags.append(row)
            origins.append((csv_path.name, line, "tags"))

    merged = dict(data)
    merged["tags"] = list(toml_tags) + expansion.tags + csv_tags
    if expansion.alarms:
        merged["alarms"] = list(toml_alarms) + expansion.alarms
    merged.pop("templates", None)
    merged["instances"] = expansion.index
    n_toml = len(toml_tags) + len(expansion.tags)  # CSV rows locate by their origin
    try:
        config = PlantConfig.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            if err["type"] == "union_tag_invalid":
                loc = (*loc, "driver")
            problem = expansion.locate(loc, _message(err))
            problems.append(problem or _locate(loc, err, shown, locator, origins, n_toml))
        raise ConfigError(expansion.relocate(problems)) from None
    if problems:
        raise ConfigError(problems)
    problems.extend(expansion.relocate(_cross_check(config, shown, locator, origins)))
    if problems:
        raise ConfigError(problems)
    config._source = str(path)
    return config


def _locate(loc, err, shown, locator, origins, n_toml) -> Problem:
    if len(loc) >= 2 and loc[0] == "tags" and isinstance(loc[1], int) and loc[1] >= n_toml:
        file, line, _ = origins[loc[1]]
        return Problem(file, line, _field_name(loc[2:]) or "tag", _message(err))
    return Problem(shown, locator.line_of(loc), _field_name(loc), _message(err))


def _tag_problem(i: int, sub: str, msg: str, origins, locator) -> Problem:
    file, line, prefix = origins[i]
    if prefix.startswith("tags["):
        line = locator.line_of(("tags", i, sub))
        return Problem(file, line, f"{prefix}.{sub}", msg)
    return Problem(file, line, sub, msg)


def _cross_check(config: PlantConfig, shown: str, locator: TomlLocator, origins) -> list[Problem]:
    """Checks that span several entries: unique names, known connections, valid addresses."""
    problems: list[Problem] = []
    conns: dict[str, Connection] = {}
    for i, c in enumerate(config.connections):
        if c.name in conns:
            line = locator.line_of(("connections", i, "name"))
            problems.append(
                Problem(shown, line, f"connections[{i}].name", f"duplicate connection '{c.name}'")
            )
        conns[c.name] = c
    seen: dict[str, int] = {}
    for i, t in enumerate(config.tags):
        if t.name in seen:
            first_file, first_line, _ = origins[seen[t.name]]
            msg = f"duplicate tag name '{t.name}' (first defined at {first_file}:{first_line})"
            problems.append(_tag_problem(i, "name", msg, origins, locator))
        else:
            seen[t.name] = i
        conn = conns.get(t.connection)
        if conn is None:
            known = ", ".join(conns) or "none defined"
            msg = f"unknown connection '{t.connection}' (known: {known})"
            problems.append(_tag_problem(i, "connection", msg, origins, locator))
            continue
        bad = conn.check_address(t.address, t.type.value)
        if bad:
            problems.append(_tag_problem(i, "address", bad, origins, locator))
    for i, line in enumerate(config.lines):
        if line.state_tag and line.state_tag not in seen:
            ln = locator.line_of(("lines", i, "state_tag"))
            problems.append(
                Problem(shown, ln, f"lines[{i}].state_tag", f"no tag named '{line.state_tag}'")
            )
        for j, pattern in enumerate(line.tags):
            if not any(fnmatch.fnmatchcase(name, pattern) for name in seen):
                ln = locator.line_of(("lines", i, "tags"))
                problems.append(
                    Problem(shown, ln, f"lines[{i}].tags[{j}]", f"'{pattern}' matches no tag")
                )
    problems.extend(check_alarms(config, shown, locator))
    problems.extend(check_oee(config, shown, locator))
    problems.extend(check_trends(config, shown, locator))
    return problems
