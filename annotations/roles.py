"""The newsroom's roles, read from Django groups (see API.md: `editor`, `reviewer`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group

EDITOR = "editor"
REVIEWER = "reviewer"


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: one query per request, however often roles are asked.
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._factcheck_groups = cached
    return cached


def is_editor(user) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or EDITOR in _group_names(user) or REVIEWER in _group_names(user)


def is_reviewer(user) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or REVIEWER in _group_names(user)


def is_newsroom_member(user) -> bool:
    """Anyone with a role may read the newsroom's work; others see nothing."""
    return is_editor(user) or is_reviewer(user)


def ensure_scale_and_roles() -> None:
    """Re-seed the rating scale and roles (tests that truncate tables need them back)."""
    import importlib

    from django.apps import apps

    from annotations.models import Verdict

    if Verdict.objects.exists() and Group.objects.filter(name__in=[EDITOR, REVIEWER]).count() == 2:
        return
    seed = importlib.import_module("annotations.migrations.0002_rating_scale_and_roles").seed
    seed(apps, None)
