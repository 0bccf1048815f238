"""Qt Designer screens: widgets with a `tag` property are bound and show live values."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import plugin_of, push
from PySide6.QtWidgets import QCheckBox, QLabel, QLCDNumber, QProgressBar

from hmi.app.error_panel import ErrorPanel
from hmi.plugin import ScreenSpec
from hmi.tagvalue import Quality, TagValue
from widgets import ValueDisplay

WAIT_MS = 10_000


def widget_xml(cls: str, name: str, **props: str) -> str:
    dynamic = "".join(
        f'<property name="{k}" stdset="0"><string>{v}</string></property>' for k, v in props.items()
    )
    return f'<item><widget class="{cls}" name="{name}">{dynamic}</widget></item>'


def ui_file(path: Path, *items: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><ui version="4.0"><class>Form</class>'
        '<widget class="QWidget" name="Form"><layout class="QVBoxLayout" name="lay">'
        + "".join(items)
        + "</layout></widget><customwidgets><customwidget><class>ValueDisplay</class>"
        "<extends>QFrame</extends><header>widgets</header></customwidget></customwidgets>"
        "</ui>",
        encoding="utf-8",
    )
    return path


def test_tag_properties_of_plain_and_library_widgets_bind_and_show_live_values(
    qtbot, tmp_path, make_station
):
    path = ui_file(
        tmp_path / "line.ui",
        widget_xml("QLabel", "speed", tag="Line1.Speed"),
        widget_xml("QProgressBar", "currentBar", tag="Line1.Current"),
        widget_xml("QLCDNumber", "speedLcd", tag="Line1.Speed"),
        widget_xml("QCheckBox", "running", tag="Line1.RunCmd"),
        widget_xml("ValueDisplay", "current", tag="Line1.Current", caption="Motor current"),
        widget_xml("QLabel", "title"),  # no tag: left alone
    )
    station = make_station([plugin_of(ScreenSpec.from_ui("line", {"en": "Line"}, path))])
    window = station.window
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("line")
    assert not isinstance(screen, ErrorPanel), getattr(screen, "message", "")
    speed = screen.findChild(QLabel, "speed")
    display = screen.findChild(ValueDisplay, "current")
    assert display is not None and display.caption_label.text() == "Motor current"

    push(
        station,
        TagValue("Line1.Speed", 12.5),
        TagValue("Line1.Current", 42.0),
        TagValue("Line1.RunCmd", True),
    )
    qtbot.waitUntil(lambda: speed.text() == "12.50 m/min", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: display.value_label.text() == "42.00", timeout=WAIT_MS)
    assert screen.findChild(QProgressBar, "currentBar").value() == 42
    assert screen.findChild(QLCDNumber, "speedLcd").value() == 12.5
    assert screen.findChild(QCheckBox, "running").isChecked()
    assert speed.property("quality") == Quality.GOOD.value
    assert screen.findChild(QLabel, "title").text() == ""

    push(station, TagValue("Line1.Speed", 12.5, quality=Quality.BAD))
    qtbot.waitUntil(lambda: speed.property("quality") == "bad", timeout=WAIT_MS)


def test_an_unknown_tag_in_a_ui_file_names_the_widget_and_the_tag(qtbot, tmp_path, make_station):
    path = ui_file(tmp_path / "bad.ui", widget_xml("QLabel", "oops", tag="No.Such.Tag"))
    station = make_station([plugin_of(ScreenSpec.from_ui("bad", {"en": "Bad"}, path))])
    qtbot.addWidget(station.window)
    panel = station.window.show_screen("bad")
    assert isinstance(panel, ErrorPanel)
    assert "bad.ui" in panel.message and "'oops'" in panel.message
    assert "No.Such.Tag" in panel.message


def test_a_widget_that_cannot_show_a_tag_is_refused_by_name(qtbot, tmp_path, make_station):
    path = ui_file(tmp_path / "odd.ui", widget_xml("QPushButton", "push", tag="Line1.Speed"))
    station = make_station([plugin_of(ScreenSpec.from_ui("odd", {"en": "Odd"}, path))])
    qtbot.addWidget(station.window)
    panel = station.window.show_screen("odd")
    assert (
        isinstance(panel, ErrorPanel) and "'push' (QPushButton) cannot show a tag" in panel.message
    )
