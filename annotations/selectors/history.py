"""A claim's audit trail, read from the pghistory event tables.

The database triggers record a full snapshot of a claim (ClaimEvent), of each source
(SourceEvent) and of each claim–source link (ClaimSourceEvent) on every write, whoever
makes it. This module turns those snapshots into a timeline a person can read: one entry
per change, field by field, before → after, with who did it, which step it was and the
comment the step carried.

Ordering. `pgh_created_at` is the start of the writing transaction (PostgreSQL `NOW()`),
so events of one transaction share it. Within a transaction each statement gets its own
command id, which PostgreSQL keeps on every row as the system column `cmin`; the event
tables are append-only (rows are never updated or deleted), so `(pgh_created_at, xmin,
cmin)` is the order the events were written in, across the three tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.expressions import RawSQL

from annotations.models import Assignment, Claim, ClaimSource, ClaimStatus, Source, Verdict


def _event_model(model: Any) -> Any:
    """The event model pghistory made for `model` (at import time: the type checker cannot
    see the `events` relation it adds)."""
    return model.events.rel.related_model


ClaimEvent = _event_model(Claim)
SourceEvent = _event_model(Source)
ClaimSourceEvent = _event_model(ClaimSource)
AssignmentEvent = _event_model(Assignment)

#: Claim fields shown in the history, in display order. Bookkeeping fields (version,
#: updated_at, updated_by, reviewed_*, submitted_at) are left out: the entry's own
#: `at` and `user` already say when and who.
CLAIM_FIELDS = (
    "status",
    "statement",
    "claimant",
    "verdict",
    "explanation",
    "exact",
    "start",
    "end",
    "prefix",
    "suffix",
    "revision",
    "anchor_state",
    "deleted_at",
)
#: Fields shown for a newly created claim (the selector's context is noise there).
CREATION_FIELDS = (
    "status",
    "exact",
    "start",
    "end",
    "statement",
    "claimant",
    "verdict",
    "explanation",
)
SOURCE_FIELDS = ("title", "url", "publisher", "excerpt", "kind", "accessed_at", "archived_url")

#: (status before, status after) → the workflow step that made it, for events whose
#: context metadata does not name the step (writes outside the services).
STEP_BY_CHANGE = {
    (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW): "claim_submit",
    (ClaimStatus.CHANGES_REQUESTED, ClaimStatus.IN_REVIEW): "claim_submit",
    (ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED): "claim_approve",
    (ClaimStatus.IN_REVIEW, ClaimStatus.CHANGES_REQUESTED): "claim_request_changes",
    (ClaimStatus.IN_REVIEW, ClaimStatus.REJECTED): "claim_reject",
    (ClaimStatus.APPROVED, ClaimStatus.CHANGES_REQUESTED): "claim_reopen",
}

#: Human labels for the actions, used by the timeline template.
ACTION_LABELS = {
    "claim_create": "Created the claim",
    "claim_update": "Edited the claim",
    "claim_delete": "Deleted the claim",
    "claim_submit": "Submitted for review",
    "claim_approve": "Approved",
    "claim_request_changes": "Requested changes",
    "claim_reject": "Rejected",
    "claim_reopen": "Reopened",
    "claim_reanchor": "Re-anchored on a new revision",
    "claim_anchor_manually": "Anchored again",
    "claim_confirm_fuzzy": "Confirmed the placement",
    "claim_restate": "Adjusted the statement",
    "source_attach": "Attached a source",
    "source_update": "Edited a source",
    "source_detach": "Detached a source",
    "assignment_add": "Assigned",
    "assignment_remove": "Unassigned",
}


def _order(model) -> dict[str, RawSQL]:
    table = model._meta.db_table
    return {
        "_xmin": RawSQL(f'"{table}".xmin::text::bigint', []),
        "_cmin": RawSQL(f'"{table}".cmin::text::bigint', []),
    }


def _plain(value: Any) -> Any:
    """JSON-friendly values: dates as ISO text, everything else as is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _order_key(event) -> tuple:
    return (event.pgh_created_at, event._xmin, event._cmin, event.pgh_id)


def _meta(event) -> dict[str, Any]:
    context = event.pgh_context
    return dict(context.metadata) if context is not None and context.metadata else {}


def _claim_value(snapshot, field: str, verdicts: dict[int, str]) -> Any:
    if field == "verdict":
        return verdicts.get(snapshot.verdict_id) if snapshot.verdict_id else None
    if field == "revision":
        return snapshot.revision_id
    return _plain(getattr(snapshot, field))


def _claim_action(previous, snapshot, meta: dict[str, Any]) -> str:
    if previous is None:
        return "claim_create"
    if previous.deleted_at is None and snapshot.deleted_at is not None:
        return "claim_delete"
    if previous.status != snapshot.status:
        # The change itself names the step: a request that ran several services shares
        # one context, whose metadata names only the last of them.
        step = STEP_BY_CHANGE.get((previous.status, snapshot.status))
        return step or meta.get("action") or "claim_update"
    action = meta.get("action", "")
    if action.startswith("claim_") and action not in STEP_BY_CHANGE.values():
        return action
    return "claim_update"


def _claim_entries(claim: Claim, verdicts: dict[int, str]) -> list[tuple[tuple, dict]]:
    events = (
        ClaimEvent.objects.filter(pgh_obj_id=claim.pk)
        .select_related("pgh_context")
        .annotate(**_order(ClaimEvent))
        .order_by("pgh_id")
    )
    entries = []
    previous = None
    for event in events:
        meta = _meta(event)
        if previous is None:
            changes = {
                field: [None, _claim_value(event, field, verdicts)]
                for field in CREATION_FIELDS
                if _claim_value(event, field, verdicts) not in (None, "")
            }
        else:
            changes = {}
            for field in CLAIM_FIELDS:
                before = _claim_value(previous, field, verdicts)
                after = _claim_value(event, field, verdicts)
                if before != after:
                    changes[field] = [before, after]
        action = _claim_action(previous, event, meta)
        previous = event
        if not changes:
            # Bookkeeping only (e.g. "last edited by" after a source change, shown there).
            continue
        entry = {
            "at": event.pgh_created_at,
            "user": meta.get("user"),
            "action": action,
            "changes": changes,
            "comment": meta.get("comment", "") if action in STEP_BY_CHANGE.values() else "",
        }
        if action == "claim_reanchor" and meta.get("actor") == "system":
            # The system moved the claim when someone loaded a revision; that person
            # decided nothing about this claim, so the history does not name them.
            number = meta.get("to_revision_number")
            entry["user"] = None
            entry["actor"] = f"System (new revision {number})" if number else "System"
            entry["comment"] = (meta.get("reasons") or {}).get(str(claim.pk), "")
        entries.append((_order_key(event), entry))
    return entries


def _source_label(snapshot) -> str:
    return snapshot.title or snapshot.url or f"source {snapshot.pgh_obj_id}"


def _source_entries(claim: Claim) -> list[tuple[tuple, dict]]:
    """Sources attached, edited and detached: one entry per (write, source)."""
    links = list(
        ClaimSourceEvent.objects.filter(claim_id=claim.pk)
        .select_related("pgh_context")
        .annotate(**_order(ClaimSourceEvent))
        .order_by("pgh_id")
    )
    source_ids = {link.source_id for link in links}
    if not source_ids:
        return []
    sources = list(
        SourceEvent.objects.filter(pgh_obj_id__in=source_ids)
        .select_related("pgh_context")
        .annotate(**_order(SourceEvent))
        .order_by("pgh_id")
    )
    # Group the events one write made (one context) for one source into one entry.
    groups: dict[tuple, dict[str, Any]] = {}

    def group_for(event, source_id: int) -> dict[str, Any]:
        key = (event.pgh_context_id or f"event-{type(event).__name__}-{event.pgh_id}", source_id)
        if key not in groups:
            groups[key] = {"key": _order_key(event), "meta": _meta(event), "events": []}
        group = groups[key]
        group["key"] = min(group["key"], _order_key(event))
        group["events"].append(event)
        return group

    for event in links:
        group_for(event, event.source_id)
    for event in sources:
        group_for(event, event.pgh_obj_id)

    latest_source: dict[int, Any] = {}
    latest_link: dict[int, Any] = {}
    entries = []
    for group in sorted(groups.values(), key=lambda g: g["key"]):
        meta = group["meta"]
        changes: dict[str, list[Any]] = {}
        action = "source_update"
        title = None
        source_id = None
        for event in sorted(group["events"], key=_order_key):
            if isinstance(event, SourceEvent):
                source_id = event.pgh_obj_id
                before = latest_source.get(source_id)
                for field in SOURCE_FIELDS:
                    old = _plain(getattr(before, field)) if before is not None else None
                    new = _plain(getattr(event, field))
                    if old != new and not (before is None and new in ("", None)):
                        changes[field] = [old, new]
                latest_source[source_id] = event
                title = _source_label(event)
            else:
                source_id = event.source_id
                before = latest_link.get(event.pgh_obj_id)
                if event.pgh_label == "delete":
                    action = "source_detach"
                    changes["stance"] = [event.stance, None]
                elif before is None:
                    action = "source_attach"
                    changes["stance"] = [None, event.stance]
                elif before.stance != event.stance:
                    changes["stance"] = [before.stance, event.stance]
                latest_link[event.pgh_obj_id] = event
        if title is None and source_id in latest_source:
            title = _source_label(latest_source[source_id])
        if action == "source_detach":
            changes = {"source": [title, None], **changes}
        elif action == "source_attach":
            # The title is the source's name in the entry; its other fields follow.
            changes.pop("title", None)
            changes = {"source": [None, title], **changes}
        if not changes:
            continue
        entries.append(
            (
                group["key"],
                {
                    "at": min(e.pgh_created_at for e in group["events"]),
                    "user": meta.get("user"),
                    "action": action,
                    "changes": changes,
                    "comment": "",
                    "source": {"id": source_id, "title": title},
                },
            )
        )
    return entries


def _assignment_entries(claim: Claim) -> list[tuple[tuple, dict]]:
    """People assigned to the claim and unassigned (insert and delete events)."""
    events = (
        AssignmentEvent.objects.filter(claim_id=claim.pk)
        .select_related("pgh_context")
        .annotate(**_order(AssignmentEvent))
        .order_by("pgh_id")
    )
    entries = []
    for event in events:
        meta = _meta(event)
        removed = event.pgh_label == "delete"
        entry = {
            "at": event.pgh_created_at,
            # Who assigned: the context's user; an insert without one names `assigned_by`.
            "user": meta.get("user") or (None if removed else event.assigned_by_id),
            "action": "assignment_remove" if removed else "assignment_add",
            "changes": {},
            "comment": "",
            "assignment": {"person": event.person_id, "role": event.role},
        }
        entries.append((_order_key(event), entry))
    return entries


def claim_history(claim: Claim) -> list[dict[str, Any]]:
    """Every change to the claim and its sources, oldest first.

    `[{"at": datetime, "user": username | None, "actor": str, "action": str,
       "changes": {field: [before, after]}, "comment": str}]` — `actor` is the username, or
    "System (new revision N)" for what re-anchoring did on its own (then `user` is None and
    `comment` says why an approved claim went back to review); source entries also carry
    `"source": {"id", "title"}`; assignment entries carry `"assignment": {"person",
    "role"}` (the person's username) and a label "Assigned X as reviewer". Six queries,
    however long the history: the verdicts, claim events, link events, source events,
    assignment events, and the users named.
    """
    verdicts = dict(Verdict.objects.values_list("id", "label"))
    entries = _claim_entries(claim, verdicts) + _source_entries(claim)
    entries += _assignment_entries(claim)
    entries.sort(key=lambda pair: pair[0])
    history = [entry for _, entry in entries]
    user_ids = {e["user"] for e in history if isinstance(e["user"], int)}
    user_ids |= {e["assignment"]["person"] for e in history if "assignment" in e}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    for entry in history:
        entry["user"] = names.get(entry["user"]) if entry["user"] is not None else None
        entry.setdefault("actor", entry["user"] or "system")
        entry["label"] = ACTION_LABELS.get(entry["action"], entry["action"].replace("_", " "))
        if "assignment" in entry:
            person = names.get(entry["assignment"]["person"], "someone")
            entry["assignment"]["person"] = person
            entry["label"] += f" {person} as {entry['assignment']['role']}"
    return history
