"""The alarm banner in the footer of every screen.

Left: the newest, most urgent annunciated alarms (up to `max_rows`), unacknowledged
first; each row shows time, priority, area, message (UI language) and value/limit,
and blinks (~1 Hz) until acknowledged. Right: unacknowledged/total counts per
priority, a HORN marker while the horn is on, and the Acknowledge, Silence horn and
Alarms (open the summary) buttons. With no alarm: a quiet grey "No active alarms".

Colours live in the theme: rows carry `alarmPriority` ("1".."4"), `blink`
("on" | "off" | "" when steady) and `selected`; counts carry `alarmPriority` and
`unacked`. Every action goes through the `AlarmClient` and never blocks; a denial
or refusal is shown in the banner's message line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.app.alarm_client import ActionResult, AlarmClient
from hmi.app.alarm_feed import UNACKED, AlarmSnapshot
from hmi.app.alarm_text import clock_time, value_limit_text
from hmi.app.theme import set_state_property

if TYPE_CHECKING:  # the engine module loads the store: only the runtime needs it
    from hmi.runtime.alarm_model import AlarmRecord

BLINK_MS = 500  # half a period: ~1 Hz
MESSAGE_MS = 10_000  # how long a denial or error stays in the message line
AREA_MAX_PX = 240  # a longer area title is cut (the row's tooltip has the tag)


def banner_alarms(snapshot: AlarmSnapshot, limit: int) -> list[AlarmRecord]:
    """What the banner shows: unacknowledged first (most urgent, newest), then the
    acknowledged active ones, at most `limit`. Hidden alarms never."""
    shown = snapshot.annunciated  # already most urgent first, newest first
    unacked = [r for r in shown if r.state in UNACKED]
    acked = [r for r in shown if r.state not in UNACKED]
    return (unacked + acked)[:limit]


class BannerRow(QFrame):
    """One alarm on the banner; a click selects it for Acknowledge."""

    clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="alarmRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.alarm_id = ""
        self.time = QLabel(self, objectName="alarmTime")
        self.priority = QLabel(self, objectName="alarmPriorityName")
        self.area = QLabel(self, objectName="alarmArea")
        self.message = QLabel(self, objectName="alarmMessage")
        self.value = QLabel(self, objectName="alarmValue")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        metrics = self.fontMetrics()
        self.time.setMinimumWidth(metrics.horizontalAdvance("00:00:00") + 8)
        self.priority.setMinimumWidth(metrics.horizontalAdvance("P1 Critical") + 8)
        self.area.setMinimumWidth(metrics.horizontalAdvance("Assembly") + 8)
        self.value.setMinimumWidth(metrics.horizontalAdvance("-1234.5 / -1234.5"))
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.setSpacing(12)
        for label in (self.time, self.priority, self.area):
            row.addWidget(label)
        row.addWidget(self.message, 1)
        row.addWidget(self.value)
        self.setProperty("blink", "")
        self.setProperty("selected", "false")

    def show_record(self, r: AlarmRecord, priority_name: str, area: str, lang: str) -> None:
        self.alarm_id = r.alarm_id
        self.time.setText(clock_time(r.activated_at or r.since))
        self.priority.setText(f"P{r.priority} {priority_name}")
        self.area.setText(area)
        self.message.setText(r.message(lang))
        self.value.setText(value_limit_text(r.value, r.limit))
        self.setToolTip(f"{r.alarm_id}\n{r.tag}")
        set_state_property(self, "alarmPriority", str(r.priority))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.alarm_id)
        super().mousePressEvent(event)


class AlarmBanner(QWidget):
    """The footer banner; fed by `client.feed`, acting through `client`."""

    summary_requested = Signal()

    def __init__(
        self, client: AlarmClient, lang: str, max_rows: int = 3, parent: QWidget | None = None
    ):
        super().__init__(parent, objectName="alarmBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._client = client
        self._lang = lang
        self.selected: str | None = None
        self.snapshot = AlarmSnapshot()
        self.confirm_box: QMessageBox | None = None
        self._phase = True

        self.quiet = QLabel(
            QCoreApplication.translate("AlarmBanner", "No active alarms"),
            self,
            objectName="alarmBannerQuiet",
        )
        self.rows = [BannerRow(self) for _ in range(max_rows)]
        self._align_areas(client, lang)
        rows_box = QVBoxLayout()
        rows_box.setContentsMargins(0, 0, 0, 0)
        rows_box.setSpacing(2)
        rows_box.addWidget(self.quiet)
        for row in self.rows:
            row.clicked.connect(self.select)
            row.hide()
            rows_box.addWidget(row)

        self.counts: dict[int, QLabel] = {}
        counts_row = QHBoxLayout()
        counts_row.setSpacing(4)
        for p in range(1, 5):
            label = QLabel(self, objectName="alarmCount")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setProperty("alarmPriority", str(p))
            label.setProperty("unacked", "false")
            self.counts[p] = label
            counts_row.addWidget(label)
        self.horn_marker = QLabel(
            QCoreApplication.translate("AlarmBanner", "HORN"), self, objectName="hornMarker"
        )
        self.horn_marker.setToolTip(
            QCoreApplication.translate(
                "AlarmBanner", "The alarm horn is sounding: Silence horn stops it"
            )
        )
        self.horn_marker.hide()
        counts_row.addWidget(self.horn_marker)

        self.ack_button = QPushButton(
            QCoreApplication.translate("AlarmBanner", "Acknowledge"), self, objectName="ackButton"
        )
        self.ack_button.setToolTip(
            QCoreApplication.translate(
                "AlarmBanner", "Acknowledge the selected alarm, or every alarm shown on the banner"
            )
        )
        self.ack_button.clicked.connect(self.acknowledge)
        self.silence_button = QPushButton(
            QCoreApplication.translate("AlarmBanner", "Silence horn"),
            self,
            objectName="silenceButton",
        )
        self.silence_button.clicked.connect(self.silence)
        self.summary_button = QPushButton(
            QCoreApplication.translate("AlarmBanner", "Alarms"), self, objectName="summaryButton"
        )
        self.summary_button.setToolTip(
            QCoreApplication.translate("AlarmBanner", "Open the alarm summary")
        )
        self.summary_button.clicked.connect(self.summary_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for b in (self.ack_button, self.silence_button, self.summary_button):
            buttons.addWidget(b)

        self.message = QLabel(self, objectName="bannerMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(4)
        counts_row.addStretch(1)
        side.addLayout(counts_row)  # counts above the buttons: the rows keep the width
        side.addLayout(buttons)
        side.addWidget(self.message)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(rows_box, 1)
        layout.addLayout(side)

        self._blink = QTimer(self, interval=BLINK_MS)
        self._blink.timeout.connect(self._toggle_blink)
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.hide)
        client.feed.changed.connect(self.show_snapshot)
        self.show_snapshot(client.feed.snapshot)

    def _align_areas(self, client: AlarmClient, lang: str) -> None:
        """One area column width for every row (the longest area title, within reason), so
        the messages start at the same x on every row."""
        areas = {a.area_name for a in client.config.alarms} | {"System"}
        titles = [client.area_title(a, lang) for a in areas]
        for row in self.rows:
            metrics = row.area.fontMetrics()
            width = max([metrics.horizontalAdvance(t) for t in titles] + [60]) + 8
            row.area.setFixedWidth(min(width, AREA_MAX_PX))

    # -- reading ---------------------------------------------------------------------------

    def text(self) -> str:
        """What the banner says first: the quiet text, or the top alarm's message."""
        if self.quiet.isVisibleTo(self):
            return self.quiet.text()
        return self.rows[0].message.text()

    def shown_ids(self) -> list[str]:
        return [r.alarm_id for r in self.rows if r.isVisibleTo(self)]

    @property
    def blinking(self) -> bool:
        return self._blink.isActive()

    # -- feeding ---------------------------------------------------------------------------

    def show_snapshot(self, snap: AlarmSnapshot) -> None:
        self.snapshot = snap
        shown = banner_alarms(snap, len(self.rows))
        self.quiet.setVisible(not shown)
        any_unacked = False
        for row, record in zip(self.rows, [*shown, *[None] * len(self.rows)], strict=False):
            if record is None:
                row.hide()
                continue
            row.show_record(
                record,
                self._client.priority_name(record.priority, self._lang),
                self._client.area_title(record.area, self._lang),
                self._lang,
            )
            unacked = record.state in UNACKED
            any_unacked |= unacked
            set_state_property(row, "blink", ("on" if self._phase else "off") if unacked else "")
            set_state_property(row, "acked", "false" if unacked else "true")
            row.show()
        if self.selected not in {r.alarm_id for r in shown}:
            self.selected = None
        self._mark_selection()
        if any_unacked and not self._blink.isActive():
            self._phase = True
            self._blink.start()
        elif not any_unacked:
            self._blink.stop()
        totals = snap.totals()
        for p, label in self.counts.items():
            unacked = snap.unacked.get(p, 0)
            label.setText(f"P{p}  {unacked}/{totals.get(p, 0)}")
            label.setToolTip(
                QCoreApplication.translate(
                    "AlarmBanner", "Priority {p}: {unacked} unacknowledged, {total} active"
                ).format(p=p, unacked=unacked, total=totals.get(p, 0))
            )
            set_state_property(label, "unacked", "true" if unacked else "false")
        self.horn_marker.setVisible(snap.horn)
        self.silence_button.setEnabled(snap.horn)
        self.ack_button.setEnabled(any_unacked)

    def _toggle_blink(self) -> None:
        self._phase = not self._phase
        for row in self.rows:
            if row.isVisibleTo(self) and row.property("blink"):
                set_state_property(row, "blink", "on" if self._phase else "off")

    def select(self, alarm_id: str) -> None:
        """Select a row for Acknowledge (a second click deselects it)."""
        self.selected = None if self.selected == alarm_id else alarm_id
        self._mark_selection()

    def _mark_selection(self) -> None:
        for row in self.rows:
            chosen = row.isVisibleTo(self) and row.alarm_id == self.selected
            set_state_property(row, "selected", "true" if chosen else "false")

    # -- actions ---------------------------------------------------------------------------

    def acknowledge(self) -> None:
        """The selected alarm at once; else every unacknowledged one shown, after a yes."""
        if self.selected:
            self._client.ack([self.selected], on_done=self._report)
            return
        ids = [
            r.alarm_id for r in banner_alarms(self.snapshot, len(self.rows)) if r.state in UNACKED
        ]
        if not ids:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("AlarmBanner", "Acknowledge alarms"),
            QCoreApplication.translate(
                "AlarmBanner", "Acknowledge the {n} unacknowledged alarm(s) shown on the banner?"
            ).format(n=len(ids)),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Ok).setText(
            QCoreApplication.translate("AlarmBanner", "Acknowledge")
        )
        box.button(QMessageBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("AlarmBanner", "Cancel")
        )

        def answered(button: QAbstractButton) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Ok:
                self._client.ack(ids, on_done=self._report)
            box.deleteLater()
            self.confirm_box = None

        box.buttonClicked.connect(answered)
        self.confirm_box = box
        box.open()

    def silence(self) -> None:
        self._client.silence(on_done=self._report)

    def _report(self, result: ActionResult) -> None:
        if result.ok:
            if result.action == "ack":
                self.selected = None
                self._mark_selection()
            self.message.hide()
            return
        text = result.message
        if result.status == "denied":
            text = QCoreApplication.translate("AlarmBanner", "Not allowed: {why}").format(
                why=result.message
            )
        self.message.setText(text)
        set_state_property(self.message, "messageKind", result.status)
        self.message.show()
        self._message_timer.start()
