"""The live events' one write of Python's own: forgetting old ones (the database writes
them, in triggers; see annotations.live)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from annotations.models import LiveEvent


def live_events_purge(*, keep: timedelta | None = None) -> int:
    """Delete events older than `keep` (FACTCHECK_LIVE_KEEP_HOURS): a stream replays only
    what a workspace missed while reconnecting, so a day of them is plenty. Returns how
    many went. The workers call it on each heartbeat: one indexed delete."""
    keep = keep or timedelta(hours=settings.FACTCHECK_LIVE_KEEP_HOURS)
    deleted, _ = LiveEvent.objects.filter(created_at__lt=timezone.now() - keep).delete()
    return deleted
