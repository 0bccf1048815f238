"""The tooltip every tag widget shows: tag, description, value, quality, time, alarm.

One text for all widgets, built only when the operator hovers (never per frame), so
a gauge and a value display of the same tag say the same thing the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hmi.config import TagConfig
from hmi.tagvalue import TagValue
from widgets._quality import quality_word
from widgets.formatting import format_timestamp, format_value


def tag_tooltip(
    tag: str,
    config: TagConfig | None,
    value: TagValue | None,
    *,
    lang: str = "en",
    true_text: str = "On",
    false_text: str = "Off",
    alarm_priority: int | None = None,
) -> str:
    """Tag name, description, value + units, quality (+ reason), source time, alarm.

    One item per line; `value` None means nothing was received yet.
    """
    name = config.name if config else (value.name if value else tag)
    lines = [QCoreApplication.translate("TagTooltip", "Tag: {name}").format(name=name)]
    if config and config.description.get(lang):
        lines.append(config.description.get(lang))
    if value is None:
        lines.append(QCoreApplication.translate("TagTooltip", "No value received yet"))
    else:
        shown = format_value(value.value, config, true_text=true_text, false_text=false_text)
        units = f" {config.units}" if config and config.units and value.value is not None else ""
        lines.append(
            QCoreApplication.translate("TagTooltip", "Value: {value}").format(value=shown + units)
        )
        quality = quality_word(value.quality)
        if value.reason:
            quality = f"{quality} ({value.reason})"
        lines.append(
            QCoreApplication.translate("TagTooltip", "Quality: {quality}").format(quality=quality)
        )
        lines.append(
            QCoreApplication.translate("TagTooltip", "Source time: {time}").format(
                time=format_timestamp(value.source_ts)
            )
        )
    if alarm_priority:
        lines.append(
            QCoreApplication.translate("TagTooltip", "In alarm, priority {priority}").format(
                priority=alarm_priority
            )
        )
    return "\n".join(lines)
