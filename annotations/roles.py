"""The newsroom's roles, read from Django groups (see API.md: `editor`, `reviewer`).

Three questions, each asked under one name everywhere (views, API, services, templates):

- `is_newsroom_member`: may this person read the newsroom's work? Anyone with a role.
- `may_edit`: may this person load articles and write claims, sources and comments?
  Editors, reviewers (who are senior editors, see DESIGN.md) and staff. Today this is the
  same set as the members; the name says what is being asked, so a read-only role added
  later changes one function, not every call site.
- `is_reviewer`: may this person approve, send back, reject or reopen? Reviewers and staff.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group

EDITOR = "editor"
REVIEWER = "reviewer"

#: The refusal for a logged-in person without a role, in the browser and the API.
NO_ROLE_MESSAGE = "Your account has no newsroom role (editor or reviewer); ask an admin to add you."
#: The refusal for a write by someone who may not edit.
EDIT_REFUSED = "Only editors and reviewers may {action}."


def group_names(user) -> frozenset[str]:
    """The names of the user's groups (the roles among them).

    Cached on the user object: one query per request, however often roles are asked (and
    none for a token: its read brings them)."""
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._factcheck_groups = cached
    return cached


def _active(user) -> bool:
    return not (
        user is None
        or isinstance(user, AnonymousUser)
        or not user.is_authenticated
        or not user.is_active
    )


def is_newsroom_member(user) -> bool:
    """Anyone with a role may read the newsroom's work; others see nothing."""
    if not _active(user):
        return False
    return user.is_staff or bool(group_names(user) & {EDITOR, REVIEWER})


def may_edit(user) -> bool:
    """Editors, reviewers (senior editors) and staff load articles and write claims."""
    return is_newsroom_member(user)


def is_reviewer(user) -> bool:
    """Reviewers and staff decide on claims (approve, request changes, reject, reopen)."""
    if not _active(user):
        return False
    return user.is_staff or REVIEWER in group_names(user)


def ensure_scale_and_roles() -> None:
    """Re-seed the rating scale and roles (tests that truncate tables need them back)."""
    import importlib

    from django.apps import apps

    from annotations.models import Verdict

    if Verdict.objects.exists() and Group.objects.filter(name__in=[EDITOR, REVIEWER]).count() == 2:
        return
    seed = importlib.import_module("annotations.migrations.0002_rating_scale_and_roles").seed
    seed(apps, None)
