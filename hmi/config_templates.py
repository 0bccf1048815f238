"""Tag templates (UDTs): define a device type once, instantiate it many times.

A ``[[templates]]`` block describes a type, e.g. ``ConveyorMotor``: its members
(each an ordinary tag definition whose strings may hold ``{parameter}``
placeholders) and the alarms each member carries. An ``[[instances]]`` block
names one device (``Assembly.Conveyor``), its template and its parameters, and
may override members' fields. Before validation, every instance expands to
ordinary dotted tags ``<instance>.<member>`` and ordinary alarms, so the rest of
the system never sees a template. docs/templates.md is the reference.

Placeholders are a tiny, safe language, not an expression evaluator: ``{name}``
and ``{name+N}`` / ``{name-N}`` (integer parameters only), ``{{`` / ``}}`` for a
literal brace. A value that is exactly one placeholder keeps the parameter's
type, so ``limit = "{speed_lo}"`` is a number.

`hmi.config` imports this module at its top, so it must not import `hmi.config`
at module level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from hmi.config import PlantConfig, Problem, TagConfig, TomlLocator

Scalar = bool | int | float | str
BUILTINS = ("instance", "member", "line")
"""Parameters every template has: the instance's name, the member's name, and the first
segment of the instance's name (by convention its line)."""

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_INNER_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-])\s*(\d+)\s*)?$")
_IN_TAG_RE = re.compile(r" \(in ([^()]+)\)$")


# --------------------------------------------------------------------------- placeholders


class PatternError(ValueError):
    """A pattern that cannot be rendered; `param` names the parameter at fault, if any."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str
    delta: int | None  # added to an integer parameter; None for a plain {name}
    text: str  # as written, for messages


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed string: literal text and parameter slots, rendered without eval."""

    parts: tuple[str | _Slot, ...]

    @classmethod
    def parse(cls, text: str) -> Pattern:
        parts: list[str | _Slot] = []
        pos = 0
        for m in _TOKEN_RE.finditer(text):
            if m.start() > pos:
                parts.append(text[pos : m.start()])
            pos = m.end()
            tok = m[0]
            if tok in ("{{", "}}"):
                parts.append(tok[0])
                continue
            inner = m[1]
            slot = _INNER_RE.match(inner) if inner is not None else None
            if slot is None:
                raise PatternError(
                    f"bad placeholder '{tok}' in '{text}' (use {{name}}, {{name+N}} or "
                    "{{name-N}}; write {{{{ and }}}} for literal braces)"
                )
            delta = None if slot[2] is None else int(slot[3]) * (-1 if slot[2] == "-" else 1)
            parts.append(_Slot(slot[1], delta, tok))
        if pos < len(text):
            parts.append(text[pos:])
        return cls(tuple(parts))

    @property
    def names(self) -> set[str]:
        return {p.name for p in self.parts if isinstance(p, _Slot)}

    def render(self, params: Mapping[str, Scalar]) -> Scalar:
        """The text with every slot filled; a lone slot keeps its parameter's type."""
        if len(self.parts) == 1 and isinstance(self.parts[0], _Slot):
            return self._value(self.parts[0], params)
        return "".join(p if isinstance(p, str) else str(self._value(p, params)) for p in self.parts)

    @staticmethod
    def _value(slot: _Slot, params: Mapping[str, Scalar]) -> Scalar:
        try:
            value = params[slot.name]
        except KeyError:
            raise PatternError(f"{slot.text}: no parameter '{slot.name}'", slot.name) from None
        if slot.delta is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                raise PatternError(
                    f"{slot.text} needs an integer parameter, '{slot.name}' is {value!r}",
                    slot.name,
                )
            return value + slot.delta
        return value


def render(text: str, params: Mapping[str, Scalar]) -> Scalar:
    """Fill `text`'s placeholders from `params` (see the module doc for the syntax)."""
    return Pattern.parse(text).render(params)


def _compile(value: Any) -> Any:
    """A value tree with every string parsed into a Pattern (strings without braces stay)."""
    if isinstance(value, str):
        return Pattern.parse(value) if ("{" in value or "}" in value) else value
    if isinstance(value, dict):
        return {k: _compile(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compile(v) for v in value]
    return value


def _render_tree(value: Any, params: Mapping[str, Scalar]) -> Any:
    if isinstance(value, Pattern):
        return value.render(params)
    if isinstance(value, dict):
        return {k: _render_tree(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_render_tree(v, params) for v in value]
    return value


def _patterns(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Pattern]]:
    """Every Pattern in a compiled tree, with its path inside the tree."""
    if isinstance(value, Pattern):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _patterns(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _patterns(v, (*path, i))


# --------------------------------------------------------------------------- schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberDef(BaseModel):
    """One member: a tag definition without `name`'s instance part, plus its alarms.
    Its other keys are TagConfig fields, checked by name here and by value on expansion."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    alarms: list[dict[str, Any]] = Field(default_factory=list)


class TemplateDef(_Strict):
    """A ``[[templates]]`` block."""

    name: str
    parameters: list[str] = Field(default_factory=list)  # each instance must give these
    defaults: dict[str, Scalar] = Field(default_factory=dict)  # optional, with their values
    member_defaults: dict[str, Any] = Field(default_factory=dict)  # fields every member gets
    members: list[MemberDef] = Field(min_length=1)


class InstanceDef(_Strict):
    """An ``[[instances]]`` block: one device of a template."""

    name: str
    template: str
    parameters: dict[str, Scalar] = Field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)  # member -> fields


class TemplateInstance(_Strict):
    """What the validated config remembers of an instance: which template, with which
    parameters, and the tag of each member (what a faceplate binds)."""

    name: str
    template: str
    parameters: dict[str, Scalar] = Field(default_factory=dict)
    members: dict[str, str] = Field(default_factory=dict)  # member name -> tag name

    def tag(self, member: str) -> str:
        """The tag name of `member`; KeyError if the template has no such member."""
        return self.members[member]


def instances_of(config: PlantConfig, template: str) -> list[TemplateInstance]:
    """Every instance of `template`, in config order."""
    return [i for i in config.instances.values() if i.template == template]


def instance_members(config: PlantConfig, instance: str) -> dict[str, TagConfig]:
    """The tags of `instance` by member name; empty if there is no such instance."""
    inst = config.instances.get(instance)
    if inst is None:
        return {}
    return {member: config.tag(tag) for member, tag in inst.members.items()}


# --------------------------------------------------------------------------- expansion


def _label(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where the fields of one expanded tag or alarm were written."""

    tag: str  # the expanded tag's name
    base: tuple[Any, ...]  # the member (or alarm) table
    fields: Mapping[str, tuple[Any, ...]]  # field -> where it was set (a key's full path)
    name_path: tuple[Any, ...]  # where the name comes from: the instance

    def path(self, sub: tuple[Any, ...]) -> tuple[Any, ...]:
        if not sub:
            return self.base
        if sub[0] == "name":
            return (*self.name_path, *sub[1:])
        if sub[0] in self.fields:
            return (*self.fields[sub[0]], *sub[1:])
        return (*self.base, *sub)


@dataclass(frozen=True, slots=True)
class _Template:
    """A checked template with its strings parsed once (200 instances parse nothing)."""

    index: int
    definition: TemplateDef
    members: dict[str, tuple[int, dict[str, Any], list[Any]]]  # name -> (index, fields, alarms)
    defaults: dict[str, Any]  # compiled member_defaults

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def declared(self) -> set[str]:
        return set(self.definition.parameters) | set(self.definition.defaults)


@dataclass
class Expansion:
    """The tags and alarms the instances expand to, and where each came from.

    `load_config` puts `tags` right after the TOML tags (at `tag_offset`) and `alarms`
    after the TOML alarms (at `alarm_offset`), then asks `locate` / `relocate` to turn a
    problem found in an expanded entry into one that points at the template member or
    instance that produced it.
    """

    shown: str
    locator: TomlLocator
    tags: list[dict[str, Any]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)  # TemplateInstance data
    problems: list[Problem] = field(default_factory=list)
    tag_offset: int = 0
    alarm_offset: int = 0
    _tag_origins: list[_Origin] = field(default_factory=list)
    _alarm_origins: list[_Origin] = field(default_factory=list)

    def origin_line(self, i: int) -> int:
        """The line of the instance that produced expanded tag `i` (0-based in `tags`)."""
        return self.locator.line_of(self._tag_origins[i].name_path)

    def locate(self, loc: tuple[Any, ...], message: str) -> Problem | None:
        """A problem at ``tags[i]...`` / ``alarms[j]...`` of the merged config, pointed at
        its template or instance; None if that entry is not an expanded one."""
        from hmi.config import Problem

        if len(loc) < 2 or not isinstance(loc[1], int):
            return None
        if loc[0] == "tags":
            origins, offset = self._tag_origins, self.tag_offset
        elif loc[0] == "alarms":
            origins, offset = self._alarm_origins, self.alarm_offset
        else:
            return None
        k = loc[1] - offset
        if not 0 <= k < len(origins):
            return None
        origin = origins[k]
        sub = tuple(loc[2:])
        path = origin.path(sub)
        if sub and path[:1] == ("instances",) and "parameters" in path:
            message = f"{_label(sub)}: {message}"  # a parameter passed through: say as what
        line = self.locator.line_of(path)
        return Problem(self.shown, line, _label(path), f"{message} (in {origin.tag})")

    def relocate(self, problems: Iterable[Problem]) -> list[Problem]:
        """`problems` with those reported on expanded entries (a field such as
        ``tags[52].address``) pointed at their source, repeats across instances merged."""
        out: list[Problem] = []
        for p in problems:
            m = (
                re.match(r"^(tags|alarms)\[(\d+)\]\.?(.*)$", p.field)
                if p.file == self.shown
                else None
            )
            moved = None
            if m:
                sub = tuple(s for s in m[3].split(".") if s)
                message = re.sub(r"\balarms\[(\d+)\]", self._alarm_label, p.message)
                moved = self.locate((m[1], int(m[2]), *sub), message)
            out.append(moved or p)
        return collapse(out)

    def _alarm_label(self, m: re.Match[str]) -> str:
        """``alarms[N]`` in a message, as the template alarm it expanded from."""
        k = int(m[1]) - self.alarm_offset
        if 0 <= k < len(self._alarm_origins):
            return _label(self._alarm_origins[k].base)
        return m[0]

    # ----------------------------------------------------------------- building

    def _problem(self, path: tuple[Any, ...], message: str) -> None:
        from hmi.config import Problem

        line = self.locator.line_of(path)
        self.problems.append(Problem(self.shown, line, _label(path), message))

    def _schema_errors(self, exc: ValidationError, prefix: tuple[Any, ...]) -> None:
        from hmi.config import _message

        for err in exc.errors():
            self._problem((*prefix, *err["loc"]), _message(err))


def collapse(problems: list[Problem]) -> list[Problem]:
    """One problem per template field however many instances repeat it:
    ``... (in A.Motor1, A.Motor2 and 198 more)``."""
    from hmi.config import Problem

    groups: dict[tuple[str, int, str, str], list[str]] = {}
    order: list[tuple[str, int, str, str] | Problem] = []
    for p in problems:
        m = _IN_TAG_RE.search(p.message)
        if not m:
            order.append(p)
            continue
        key = (p.file, p.line, p.field, p.message[: m.start()])
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(m[1])
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(item)
            continue
        names = groups[item]
        shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        out.append(Problem(item[0], item[1], item[2], f"{item[3]} (in {shown})"))
    return out


def expand_templates(data: Mapping[str, Any], shown: str, locator: TomlLocator) -> Expansion:
    """Expand the ``[[instances]]`` of a parsed plant TOML into tag and alarm dicts.

    Problems of the templates and instances themselves (unknown template, missing or
    unknown parameter, placeholder naming no parameter, …) are collected in
    `Expansion.problems`; an instance with a problem expands to nothing, so the rest
    of the file is still checked.
    """
    exp = Expansion(shown, locator)
    broken: set[str] = set()  # templates with a problem: their instances are not expanded
    templates = _check_templates(exp, data.get("templates", []), broken)
    raw = data.get("instances", [])
    if not isinstance(raw, list):
        exp._problem(("instances",), "must be a list of [[instances]] tables")
        return exp
    seen: dict[str, int] = {}
    for k, item in enumerate(raw):
        try:
            inst = InstanceDef.model_validate(item)
        except ValidationError as exc:
            exp._schema_errors(exc, ("instances", k))
            continue
        if not _NAME_RE.match(inst.name):
            exp._problem(("instances", k, "name"), f"'{inst.name}' is not a dotted name")
            continue
        if inst.name in seen:
            first = locator.line_of(("instances", seen[inst.name], "name"))
            exp._problem(
                ("instances", k, "name"),
                f"duplicate instance '{inst.name}' (first defined at {shown}:{first})",
            )
            continue
        seen[inst.name] = k
        tpl = templates.get(inst.template)
        if inst.template in broken:
            continue  # the template's own problem is reported; one message is enough
        if tpl is None:
            known = ", ".join(templates) or "none defined"
            exp._problem(
                ("instances", k, "template"), f"no template '{inst.template}' (known: {known})"
            )
            continue
        _expand_one(exp, k, inst, tpl)
    return exp


def _check_templates(exp: Expansion, raw: Any, broken: set[str]) -> dict[str, _Template]:
    """The valid templates by name; problems of the others go to `exp.problems` and
    their names to `broken`."""
    from hmi.config import TagConfig
    from hmi.config_alarms import AlarmConfig

    tag_fields = set(TagConfig.model_fields) - {"name"}
    alarm_fields = set(AlarmConfig.model_fields) - {"tag"}
    out: dict[str, _Template] = {}
    if not isinstance(raw, list):
        exp._problem(("templates",), "must be a list of [[templates]] tables")
        return out
    for t, item in enumerate(raw):
        where = ("templates", t)
        try:
            tpl = TemplateDef.model_validate(item)
        except ValidationError as exc:
            exp._schema_errors(exc, where)
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                broken.add(item["name"])
            continue
        before = len(exp.problems)
        if tpl.name in out:
            exp._problem((*where, "name"), f"duplicate template '{tpl.name}'")
        for j, pname in enumerate(tpl.parameters + list(tpl.defaults)):
            sub = (*where, "parameters", j) if j < len(tpl.parameters) else (*where, "defaults")
            if pname in BUILTINS:
                exp._problem(sub, f"'{pname}' is built in ({{{pname}}}); choose another name")
            elif not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", pname):
                exp._problem(sub, f"'{pname}' is not a parameter name (letters, digits, _)")
        declared = set(tpl.parameters) | set(tpl.defaults) | set(BUILTINS)
        for key in sorted(set(tpl.member_defaults) - tag_fields):
            exp._problem((*where, "member_defaults", key), "unknown key (check the spelling)")
        defaults = _checked_tree(exp, tpl.member_defaults, (*where, "member_defaults"), declared)
        members: dict[str, tuple[int, dict[str, Any], list[Any]]] = {}
        for m, member in enumerate(tpl.members):
            mpath = (*where, "members", m)
            if not _NAME_RE.match(member.name):
                exp._problem((*mpath, "name"), f"'{member.name}' is not a dotted name")
            elif member.name in members:
                exp._problem((*mpath, "name"), f"duplicate member '{member.name}'")
            fields = dict(member.model_extra or {})
            for key in sorted(set(fields) - tag_fields):
                exp._problem((*mpath, key), "unknown key (check the spelling)")
            alarms = []
            for a, alarm in enumerate(member.alarms):
                apath = (*mpath, "alarms", a)
                if "tag" in alarm:
                    exp._problem(
                        (*apath, "tag"), "a template alarm is on its member: leave out tag"
                    )
                for key in sorted(set(alarm) - alarm_fields - {"tag"}):
                    exp._problem((*apath, key), "unknown key (check the spelling)")
                alarms.append(_checked_tree(exp, alarm, apath, declared))
            members[member.name] = (m, _checked_tree(exp, fields, mpath, declared), alarms)
        if len(exp.problems) == before:
            out.setdefault(tpl.name, _Template(t, tpl, members, defaults))
        else:
            broken.add(tpl.name)
    return out


def _checked_tree(exp: Expansion, value: Any, path: tuple[Any, ...], declared: set[str]) -> Any:
    """`value` compiled; a bad placeholder or one naming no parameter is a problem at its
    own key."""
    try:
        compiled = _compile(value)
    except PatternError:
        # Find which key holds it, for the message's location.
        for sub, text in _strings(value):
            try:
                Pattern.parse(text)
            except PatternError as exc:
                exp._problem((*path, *sub), str(exc))
        return {}
    for sub, pattern in _patterns(compiled):
        for name in sorted(pattern.names - declared):
            known = ", ".join(sorted(declared - set(BUILTINS))) or "none declared"
            exp._problem(
                (*path, *sub),
                f"{{{name}}} is not a parameter of this template (parameters: {known}; "
                f"built in: {', '.join(BUILTINS)})",
            )
    return compiled


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def _expand_one(exp: Expansion, k: int, inst: InstanceDef, tpl: _Template) -> None:
    """Expand instance `k` (already known to name a valid template) into `exp`."""
    from hmi.config import TagConfig
    from hmi.config_alarms import AlarmConfig

    where = ("instances", k)
    before = len(exp.problems)
    declared = tpl.declared
    params_list = ", ".join(sorted(declared)) or "none"
    for name in inst.parameters:
        if name not in declared:
            hint = " (it is built in)" if name in BUILTINS else ""
            exp._problem(
                (*where, "parameters", name),
                f"unknown parameter '{name}'{hint} of template {tpl.name} "
                f"(parameters: {params_list})",
            )
    for name in tpl.definition.parameters:
        if name not in inst.parameters and name not in tpl.definition.defaults:
            exp._problem(
                (*where, "parameters"), f"missing parameter '{name}' of template {tpl.name}"
            )
    tag_fields = set(TagConfig.model_fields) - {"name"}
    alarm_fields = set(AlarmConfig.model_fields) - {"tag"}
    overrides: dict[str, tuple[dict[str, Any], list[Any] | None]] = {}
    for member, patch in inst.overrides.items():
        opath = (*where, "overrides", member)
        if member not in tpl.members:
            known = ", ".join(tpl.members)
            exp._problem(opath, f"template {tpl.name} has no member '{member}' (members: {known})")
            continue
        for key in sorted(set(patch) - tag_fields - {"alarms"}):
            exp._problem((*opath, key), "unknown key (check the spelling)")
        fields = {key: v for key, v in patch.items() if key != "alarms"}
        alarms = None
        if "alarms" in patch:
            if not isinstance(patch["alarms"], list):
                exp._problem((*opath, "alarms"), "must be a list of alarm tables")
                continue
            alarms = []
            for a, alarm in enumerate(patch["alarms"]):
                apath = (*opath, "alarms", a)
                if not isinstance(alarm, dict):
                    exp._problem(apath, "must be an alarm table")
                    continue
                for key in sorted(set(alarm) - alarm_fields):
                    msg = (
                        "a template alarm is on its member: leave out tag"
                        if key == "tag"
                        else "unknown key (check the spelling)"
                    )
                    exp._problem((*apath, key), msg)
                alarms.append(_checked_tree(exp, alarm, apath, declared | set(BUILTINS)))
        overrides[member] = (_checked_tree(exp, fields, opath, declared | set(BUILTINS)), alarms)
    if len(exp.problems) > before:
        return

    params: dict[str, Scalar] = {**tpl.definition.defaults, **inst.parameters}
    params["instance"] = inst.name
    params["line"] = inst.name.split(".", 1)[0]
    tpath = ("templates", tpl.index)
    members: dict[str, str] = {}
    tags: list[dict[str, Any]] = []
    tag_origins: list[_Origin] = []
    alarms_out: list[dict[str, Any]] = []
    alarm_origins: list[_Origin] = []
    for member, (m, fields, alarms) in tpl.members.items():
        mpath = (*tpath, "members", m)
        opath = (*where, "overrides", member)
        patch, patch_alarms = overrides.get(member, ({}, None))
        source = _sources(tpl.defaults, (*tpath, "member_defaults"), inst, where)
        source.update(_sources(fields, mpath, inst, where))
        source.update(_sources(patch, opath, inst, where))
        params["member"] = member
        tag_name = f"{inst.name}.{member}"
        try:
            tag = {
                **_render_tree(tpl.defaults, params),
                **_render_tree(fields, params),
                **_render_tree(patch, params),
            }
            tag_alarms = [
                _render_tree(a, params) for a in (alarms if patch_alarms is None else patch_alarms)
            ]
        except PatternError as exc:
            # Only arithmetic on a parameter that is not an integer gets here.
            exp._problem((*where, "parameters", exc.param or ""), f"{exc} (in {tag_name})")
            return
        tag["name"] = tag_name
        members[member] = tag_name
        tags.append(tag)
        tag_origins.append(_Origin(tag_name, mpath, source, (*where, "name")))
        alarm_base = mpath if patch_alarms is None else opath
        for a, alarm in enumerate(tag_alarms):
            alarm["tag"] = tag_name
            apath = (*alarm_base, "alarms", a)
            alarms_out.append(alarm)
            raw = alarms if patch_alarms is None else patch_alarms
            fields_of = _sources(raw[a], apath, inst, where)
            alarm_origins.append(_Origin(tag_name, apath, fields_of, (*where, "name")))
    exp.tags.extend(tags)
    exp._tag_origins.extend(tag_origins)
    exp.alarms.extend(alarms_out)
    exp._alarm_origins.extend(alarm_origins)
    exp.index[inst.name] = {
        "name": inst.name,
        "template": tpl.name,
        "parameters": {key: v for key, v in params.items() if key not in BUILTINS},
        "members": members,
    }


def _sources(
    table: Mapping[str, Any], path: tuple[Any, ...], inst: InstanceDef, where: tuple[Any, ...]
) -> dict[str, tuple[Any, ...]]:
    """Where each key of a compiled `table` written at `path` should be blamed: its own
    key, or, when its value is just ``"{param}"`` and the instance gave that parameter,
    the instance's parameter (the template only passes the value through)."""
    out: dict[str, tuple[Any, ...]] = {}
    for key, value in table.items():
        out[key] = (*path, key)
        if isinstance(value, Pattern) and len(value.parts) == 1:
            slot = value.parts[0]
            if isinstance(slot, _Slot) and slot.name in inst.parameters:
                out[key] = (*where, "parameters", slot.name)
    return out
