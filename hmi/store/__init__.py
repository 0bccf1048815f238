"""The store: the SQL database behind the event journal (and, later, history, OEE, audit).

No Qt here. `open_store(url)` opens and migrates; `Journal(store.engine)` writes
events durably off the caller's thread; `hmi.store.queries` reads them back.
"""

from hmi.store import models_history as _models_history  # noqa: F401
from hmi.store import models_oee as _models_oee  # noqa: F401
from hmi.store import models_security as _models_security  # noqa: F401
from hmi.store.database import (
    Store,
    StoreError,
    StoreVersionError,
    default_db_path,
    default_url,
    open_store,
)
from hmi.store.events import Event, EventKind, OperatorAction, StoredEvent, SystemEvent
from hmi.store.journal import Journal, JournalClosedError, JournalError, JournalFullError
from hmi.store.queries import EventFilter, count_events, fetch_events, page_cursor

__all__ = [
    "Event",
    "EventFilter",
    "EventKind",
    "Journal",
    "JournalClosedError",
    "JournalError",
    "JournalFullError",
    "OperatorAction",
    "Store",
    "StoreError",
    "StoreVersionError",
    "StoredEvent",
    "SystemEvent",
    "count_events",
    "default_db_path",
    "default_url",
    "fetch_events",
    "open_store",
    "page_cursor",
]
