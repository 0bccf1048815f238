"""The audit trail screen: who did what, when, and whether the record is intact.

For supervisors and above (`audit.view`); anyone else sees only that it is not
permitted, and the loaded records are dropped the moment the person changes.
Everything that touches the database runs in this screen's worker pool, never
in the GUI thread: loading a time range (at most `MAX_ROWS` of its newest
records), checking the hash chain (`AuditTrail.verify`: "intact" or "BROKEN at
record N"), and the CSV export of exactly the rows the filters select.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.app.theme import set_state_property
from hmi.plugin import ScreenContext
from hmi.runtime.security import Permission
from hmi.store.audit import AuditTrail, ChainCheck
from screens.audit_model import (
    AuditFilter,
    AuditTableModel,
    LoadedWindow,
    export_csv,
    load_window,
    result_text,
)

log = logging.getLogger(__name__)

STYLE = """
QLabel#chainStatus[chain="broken"] { color: #a0009c; font-weight: 600; }
QLabel#notPermitted { font-size: 18px; }
"""
"""Colour only for the abnormal case (a broken chain), in the theme's magenta."""

PRESETS = (("hour", 3600.0), ("shift", 8 * 3600.0), ("day", 86400.0), ("week", 7 * 86400.0))


def preset_titles() -> dict[str, str]:
    return {
        "hour": QCoreApplication.translate("Audit", "Last hour"),
        "shift": QCoreApplication.translate("Audit", "Last 8 hours"),
        "day": QCoreApplication.translate("Audit", "Last 24 hours"),
        "week": QCoreApplication.translate("Audit", "Last 7 days"),
        "custom": QCoreApplication.translate("Audit", "Custom range"),
    }


class _Relay(QObject):
    done = Signal(object, object, object, object)  # (kind, generation, result, error)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, kind: str, generation: int, fn: Callable[[], Any]):
        super().__init__()
        self._relay, self._kind, self._generation, self._fn = relay, kind, generation, fn

    def run(self) -> None:  # a pool thread: no widgets here
        try:
            result, error = self._fn(), None
        except Exception as exc:
            log.exception("audit %s failed", self._kind)
            result, error = None, exc
        self._relay.done.emit(self._kind, self._generation, result, error)


class AuditJobs(QObject):
    """Blocking store work in a pool; per kind, only the newest job's answer is delivered."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._newest: dict[str, int] = {}
        self._callbacks: dict[str, Callable[[Any, BaseException | None], None]] = {}

    def run(
        self, kind: str, fn: Callable[[], Any], done: Callable[[Any, BaseException | None], None]
    ) -> None:
        generation = self._newest.get(kind, 0) + 1
        self._newest[kind] = generation
        self._callbacks[kind] = done
        self._pool.start(_Job(self._relay, kind, generation, fn))

    def cancel(self) -> None:
        """Forget every answer still to come (the person changed)."""
        for kind in self._newest:
            self._newest[kind] += 1

    @Slot(object, object, object, object)
    def _deliver(self, kind: str, generation: int, result: Any, error: Any) -> None:
        if self._newest.get(kind) == generation:
            self._callbacks[kind](result, error)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        return self._pool.waitForDone(timeout_ms)


class AuditScreen(QWidget):
    """Range, filters, the table, the chain's state and the CSV export."""

    def __init__(self, ctx: Any, trail: AuditTrail | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("auditScreen")
        self.setStyleSheet(STYLE)
        self._ctx = ctx
        self._session = ctx.security
        self._trail = trail
        self.jobs = AuditJobs(self)
        self.model = AuditTableModel(self)
        self.window_info: LoadedWindow | None = None
        self.chain: ChainCheck | None = None
        self.last_export: int | None = None
        self._range: tuple[float, float] = (0.0, 0.0)  # set by each reload

        self.pages = QStackedWidget(self)
        self.denied = QLabel(objectName="notPermitted")
        self.denied.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.denied.setWordWrap(True)
        self.pages.addWidget(self.denied)
        self.pages.addWidget(self._content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        ctx.session_changed.connect(self._session_changed)
        self._session_changed()

    # -- layout ------------------------------------------------------------------------------

    def _content(self) -> QWidget:
        page = QWidget()
        self.range = QComboBox(objectName="auditRange")
        for key, title in preset_titles().items():
            self.range.addItem(title, key)
        self.range.setCurrentIndex(2)  # the last 24 hours
        now = QDateTime.currentDateTime()
        self.since_edit = QDateTimeEdit(now.addSecs(-8 * 3600), objectName="auditSince")
        self.until_edit = QDateTimeEdit(now, objectName="auditUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.refresh_button = QPushButton(
            QCoreApplication.translate("Audit", "Refresh"), objectName="auditRefresh"
        )
        self.export_button = QPushButton(
            QCoreApplication.translate("Audit", "Export CSV…"), objectName="auditExport"
        )
        self.range.currentIndexChanged.connect(self._range_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self._ask_export)

        self.user_filter = QComboBox(objectName="auditUser")
        self.action_filter = QComboBox(objectName="auditAction")
        self.result_filter = QComboBox(objectName="auditResult")
        self.result_filter.addItem(QCoreApplication.translate("Audit", "All results"), "")
        for result in ("ok", "denied", "failed"):
            self.result_filter.addItem(result_text(result), result)
        self.target_filter = QLineEdit(objectName="auditTarget")
        self.target_filter.setPlaceholderText(
            QCoreApplication.translate("Audit", "Target contains…")
        )
        self.target_filter.setClearButtonEnabled(True)
        self._fill_choices()
        for combo in (self.user_filter, self.action_filter, self.result_filter):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.target_filter.textChanged.connect(self._apply_filter)

        self.count_label = QLabel(objectName="auditCount")
        self.chain_label = QLabel(objectName="chainStatus")
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_label = QLabel(objectName="auditExportStatus")

        self.view = QTableView(objectName="auditTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 110, 110, 90, 100, 220, 160, 160, 80, 260)):
            self.view.setColumnWidth(column, width)

        row1 = QHBoxLayout()
        row1.addWidget(QLabel(QCoreApplication.translate("Audit", "Time:")))
        row1.addWidget(self.range)
        row1.addWidget(self.since_edit)
        self.until_dash = QLabel("–")
        row1.addWidget(self.until_dash)
        row1.addWidget(self.until_edit)
        row1.addWidget(self.refresh_button)
        row1.addStretch(1)
        row1.addWidget(self.export_button)
        row2 = QHBoxLayout()
        for text, widget in (
            (QCoreApplication.translate("Audit", "User:"), self.user_filter),
            (QCoreApplication.translate("Audit", "Action:"), self.action_filter),
            (QCoreApplication.translate("Audit", "Result:"), self.result_filter),
        ):
            row2.addWidget(QLabel(text))
            row2.addWidget(widget)
        row2.addWidget(self.target_filter, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.count_label)
        row3.addStretch(1)
        row3.addWidget(self.export_label)
        row3.addSpacing(16)
        row3.addWidget(self.chain_label)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        for row in (row1, row2, row3):
            layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self._range_changed()
        return page

    # -- who may look ------------------------------------------------------------------------

    @property
    def permitted(self) -> bool:
        return self._session.allows(Permission.AUDIT_VIEW)

    def _session_changed(self, *_: object) -> None:
        self.jobs.cancel()
        self.model.clear()  # never leave the last person's view to the next one
        self.window_info = None
        self.chain = None
        if self._trail is None:
            self.denied.setText(
                QCoreApplication.translate(
                    "Audit", "This station has no audit trail (no database)."
                )
            )
            self.pages.setCurrentIndex(0)
        elif not self.permitted:
            self.denied.setText(
                QCoreApplication.translate(
                    "Audit",
                    "Not permitted: the audit trail is for supervisors and above. Log in as one.",
                )
            )
            self.pages.setCurrentIndex(0)
        else:
            self.pages.setCurrentIndex(1)
            self.reload()

    # -- loading -----------------------------------------------------------------------------

    def selected_range(self) -> tuple[float, float]:
        """The range the controls say, a preset ending now."""
        key = self.range.currentData()
        if key == "custom":
            since = self.since_edit.dateTime().toSecsSinceEpoch()
            return float(since), float(self.until_edit.dateTime().toSecsSinceEpoch())
        now = time.time()
        return now - dict(PRESETS)[key], now

    def query(self) -> AuditFilter:
        """The loaded range and the filters: what the table shows and the export writes."""
        since, until = self._range
        return AuditFilter(
            since,
            until,
            user=self.user_filter.currentData() or "",
            action=self.action_filter.currentData() or "",
            result=self.result_filter.currentData() or "",
            target=self.target_filter.text().strip(),
        )

    def reload(self) -> None:
        """Load the range and check the chain, both in the background."""
        trail = self._trail
        if trail is None or not self.permitted:
            return
        self._range = self.selected_range()
        query = self.query()
        self.count_label.setText(QCoreApplication.translate("Audit", "Loading…"))
        self.jobs.run("load", lambda: load_window(trail, query), self._loaded)
        self.chain_label.setText(QCoreApplication.translate("Audit", "Chain: checking…"))
        set_state_property(self.chain_label, "chain", "checking")
        self.jobs.run("verify", trail.verify, self._verified)

    def _loaded(self, window: LoadedWindow | None, error: BaseException | None) -> None:
        if error is not None or window is None:
            message = QCoreApplication.translate("Audit", "Could not load the audit trail: {error}")
            self.count_label.setText(message.format(error=error))
            return
        self.window_info = window
        self.model.set_records(window.records)
        self._fill_choices()
        self._show_count()

    def _verified(self, check: ChainCheck | None, error: BaseException | None) -> None:
        if error is not None or check is None:
            self.chain_label.setText(
                QCoreApplication.translate("Audit", "Chain: not checked ({error})").format(
                    error=error
                )
            )
            set_state_property(self.chain_label, "chain", "unknown")
            return
        self.chain = check
        if check.ok:
            text = QCoreApplication.translate("Audit", "Chain intact ({count} records)").format(
                count=check.checked
            )
        else:
            broken = check.broken
            assert broken is not None
            text = QCoreApplication.translate(
                "Audit", "Chain BROKEN at record {id} ({time}): {reason}"
            ).format(id=broken.id, time=broken.time_iso, reason=check.reason)
        self.chain_label.setText(text)
        set_state_property(self.chain_label, "chain", "intact" if check.ok else "broken")

    # -- filters -----------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        for combo, field, everyone in (
            (self.user_filter, "user_name", QCoreApplication.translate("Audit", "All users")),
            (self.action_filter, "action", QCoreApplication.translate("Audit", "All actions")),
        ):
            chosen = combo.currentData() or ""
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, "")
            values = self.model.distinct(field)
            if chosen and chosen not in values:
                values.append(chosen)  # keep the person's choice even if nothing matches now
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _apply_filter(self, *_: object) -> None:
        self.model.set_filter(self.query())
        self._show_count()

    def _show_count(self) -> None:
        window = self.window_info
        if window is None:
            return
        shown = self.model.rowCount()
        if window.total > len(window.records):
            text = QCoreApplication.translate(
                "Audit", "{shown} shown of the newest {loaded} of {total} records"
            ).format(shown=shown, loaded=len(window.records), total=window.total)
        else:
            text = QCoreApplication.translate("Audit", "{shown} of {total} records").format(
                shown=shown, total=window.total
            )
        self.count_label.setText(text)

    def _range_changed(self, *_: object) -> None:
        custom = self.range.currentData() == "custom"
        for widget in (self.since_edit, self.until_dash, self.until_edit):
            widget.setVisible(custom)
        if hasattr(self, "count_label") and self.pages.currentIndex() == 1:
            self.reload()

    # -- export ------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Audit", "Export audit trail"),
            "audit.csv",
            QCoreApplication.translate("Audit", "CSV files (*.csv)"),
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        """Export exactly the rows the filters select (uncapped) to `path`, in a worker."""
        trail = self._trail
        if trail is None or not self.permitted:
            return
        query = self.query()
        self.export_label.setText(QCoreApplication.translate("Audit", "Exporting…"))
        self.jobs.run("export", lambda: export_csv(trail, query, path), self._exported)

    def _exported(self, count: int | None, error: BaseException | None) -> None:
        if error is not None:
            self.export_label.setText(
                QCoreApplication.translate("Audit", "Export failed: {error}").format(error=error)
            )
            return
        self.last_export = count
        self.export_label.setText(
            QCoreApplication.translate("Audit", "Exported {count} records").format(count=count)
        )


def build_audit(ctx: ScreenContext) -> QWidget:
    """The screen factory (registered in screens/__init__.py)."""
    session = ctx.security  # type: ignore[attr-defined]  # the station's context has it
    return AuditScreen(ctx, session.audit_trail)
