"""The one OPC UA subscription of a connection: parameters, item requests, batch delivery.

asyncua's stock `Subscription` explodes every publish response into one event
object per changed item and then queues it (iterator mode) or spawns a task per
item (callback mode). We override `publish_callback` instead, so a whole
DataChangeNotification reaches the driver as one list: no per-item event
objects, no per-item task, no per-item queue operation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from asyncua import ua
from asyncua.client.ua_session import UaSession
from asyncua.common.subscription import Subscription

from hmi.config import TagConfig

DataCallback = Callable[[list[ua.MonitoredItemNotification]], None]
StatusCallback = Callable[[ua.StatusCode], None]

#: Status codes with which a server says "I won't apply that filter" (retry without it).
FILTER_REFUSALS = frozenset(
    {
        ua.StatusCodes.BadMonitoredItemFilterUnsupported,
        ua.StatusCodes.BadMonitoredItemFilterInvalid,
        ua.StatusCodes.BadFilterNotAllowed,
        ua.StatusCodes.BadDeadbandFilterInvalid,
    }
)


class BatchSubscription(Subscription):
    """A Subscription that hands each DataChangeNotification's item list over in one call."""

    def __init__(
        self,
        session: UaSession,
        params: ua.CreateSubscriptionParameters,
        on_data: DataCallback,
        on_status: StatusCallback,
    ):
        super().__init__(session, params, handler=None, queue_maxsize=1)
        self._on_data = on_data
        self._on_status = on_status

    async def publish_callback(self, publish_result: ua.PublishResult) -> None:
        """Called by asyncua's publish loop for every publish response (data or keep-alive)."""
        self.last_publish_at = time.monotonic()
        message = publish_result.NotificationMessage
        notifications = message.NotificationData
        if not notifications:
            return  # keep-alive
        self.last_sequence_number = message.SequenceNumber
        for notif in notifications:
            if notif.__class__ is ua.DataChangeNotification:
                self._on_data(notif.MonitoredItems)
            elif isinstance(notif, ua.StatusChangeNotification):
                self._on_status(notif.Status)


def subscription_params(
    publishing_ms: float, keepalive_s: float
) -> ua.CreateSubscriptionParameters:
    """Parameters asking for a keep-alive about every `keepalive_s`, so silence means trouble."""
    keepalive = max(1, math.ceil(keepalive_s * 1000.0 / publishing_ms))
    params = ua.CreateSubscriptionParameters()
    params.RequestedPublishingInterval = publishing_ms
    params.RequestedMaxKeepAliveCount = keepalive
    # The server drops the subscription after this many silent intervals; ≥ 3× keep-alive
    # (OPC UA Part 4) and at least a minute, so a slow reconnect still finds it cheap to redo.
    params.RequestedLifetimeCount = max(3 * keepalive, math.ceil(60_000 / publishing_ms))
    params.MaxNotificationsPerPublish = 0  # no limit: one publish carries the whole batch
    params.PublishingEnabled = True
    params.Priority = 0
    return params


def deadband_filter(tag: TagConfig) -> ua.DataChangeFilter | None:
    """A server-side absolute deadband in RAW units for tags with a deadband, else None."""
    if tag.deadband <= 0:
        return None
    gain = abs(tag.scale.factor[0]) if tag.scale is not None else 1.0
    flt = ua.DataChangeFilter()
    flt.Trigger = ua.DataChangeTrigger.StatusValue
    flt.DeadbandType = ua.DeadbandType.Absolute
    flt.DeadbandValue = tag.deadband / gain
    return flt


def item_request(
    node_id: ua.NodeId, handle: int, flt: ua.DataChangeFilter | None
) -> ua.MonitoredItemCreateRequest:
    """A Value monitored item, sampled as fast as the server likes, queue at its default."""
    rv = ua.ReadValueId()
    rv.NodeId = node_id
    rv.AttributeId = ua.AttributeIds.Value
    mparams = ua.MonitoringParameters()
    mparams.ClientHandle = handle
    mparams.SamplingInterval = 0.0
    mparams.QueueSize = 0
    mparams.DiscardOldest = True
    if flt is not None:
        mparams.Filter = flt
    mir = ua.MonitoredItemCreateRequest()
    mir.ItemToMonitor = rv
    mir.MonitoringMode = ua.MonitoringMode.Reporting
    mir.RequestedParameters = mparams
    return mir


def resolve_address(address: str, namespaces: list[str]) -> ua.NodeId:
    """A config address as a NodeId on this server; ValueError naming what is wrong.

    `nsu=URI;…` is looked up in the server's namespace array (indexes can change
    between server versions, URIs do not); `ns=N;…` is taken as written.
    """
    if address.startswith("nsu="):
        uri, _, rest = address[4:].partition(";")
        try:
            index = namespaces.index(uri)
        except ValueError:
            raise ValueError(f"namespace '{uri}' is not on the server") from None
        address = f"ns={index};{rest}"
    try:
        return ua.NodeId.from_string(address)
    except Exception as exc:
        raise ValueError(f"'{address}' is not a valid NodeId ({exc})") from None


def chunks(items: list, size: int) -> Iterable[list]:
    """Consecutive slices of at most `size`: one CreateMonitoredItems call each."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
