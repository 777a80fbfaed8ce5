"""Reads for live updates: what a reconnecting workspace missed."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min

from annotations.models import LiveEvent

#: A workspace that missed more changes than this reloads its pieces instead of replaying.
REPLAY_LIMIT = 200


def live_events_after(article_id: int, after: int) -> tuple[list[dict[str, Any]], bool]:
    """The article's events after the id ``after``, oldest first, and whether the caller
    must reload instead: there were more than REPLAY_LIMIT, or events after ``after`` were
    purged already (live_events_purge), so the table no longer holds all it missed."""
    oldest = LiveEvent.objects.aggregate(n=Min("id"))["n"]
    purged = oldest is not None and after < oldest - 1
    rows = list(
        LiveEvent.objects.filter(article_id=article_id, id__gt=after)
        .order_by("-id")
        .values_list("payload", flat=True)[: REPLAY_LIMIT + 1]
    )
    overflow = len(rows) > REPLAY_LIMIT or purged
    return list(reversed(rows[:REPLAY_LIMIT])), overflow


def live_event_latest(article_id: int) -> int:
    """The id of the article's newest event, 0 if none: where a new page's stream starts."""
    latest = LiveEvent.objects.filter(article_id=article_id).aggregate(n=Max("id"))["n"]
    return int(latest or 0)
