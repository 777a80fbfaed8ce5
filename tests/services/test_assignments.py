"""Assignment (issue 16): who may assign whom, the database's rules, the history."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Assignment, AssignmentRole, Notification
from annotations.selectors.assignments import eligible_people, my_work
from annotations.selectors.history import AssignmentEvent, claim_history
from annotations.services.assignments import assignment_add, assignment_remove
from annotations.services.claims import claim_delete
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError

pytestmark = pytest.mark.django_db


def test_an_editor_assigns_a_reviewer_and_the_history_says_so(draft, editor, reviewer):
    assignment = assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assert (assignment.claim, assignment.person, assignment.role) == (draft, reviewer, "reviewer")
    assert assignment.assigned_by == editor
    assignment_remove(user=editor, assignment=assignment)
    assert not Assignment.objects.exists()
    entries = [e for e in claim_history(draft) if e["action"].startswith("assignment_")]
    assert [(e["label"], e["actor"]) for e in entries] == [
        ("Assigned rev as reviewer", "ed"),
        ("Unassigned rev as reviewer", "ed"),
    ]
    assert entries[0]["assignment"] == {"person": "rev", "role": "reviewer"}


def test_several_people_per_role_and_both_roles_for_one_person(draft, editor, editor2, reviewer):
    assignment_add(user=editor, person=editor, role="editor", claim=draft)
    assignment_add(user=editor, person=editor2, role="editor", claim=draft)
    assignment_add(user=editor, person=reviewer, role="editor", claim=draft)
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assert draft.assignments.count() == 4


def test_a_claim_inherits_nothing_from_its_article(demo_article, draft, editor, reviewer):
    assignment_add(user=editor, person=reviewer, role="reviewer", article=demo_article)
    assert not draft.assignments.exists()
    work = my_work(reviewer)
    assert [article for article, _ in work.articles] == [demo_article]
    assert work.claim_count == 0


@pytest.mark.parametrize(
    ("who", "role", "message"),
    [
        ("editor2", "reviewer", "ed2 is not a reviewer, so cannot be assigned as reviewer."),
        ("outsider", "editor", "nobody is not an editor or a reviewer, so cannot be assigned"),
        ("reviewer", "boss", "“boss” is not a role; use one of: editor, reviewer."),
    ],
)
def test_the_person_must_hold_the_role(request, draft, editor, who, role, message):
    person = request.getfixturevalue(who)
    with pytest.raises(InvalidInput, match=message):
        assignment_add(user=editor, person=person, role=role, claim=draft)
    assert not Assignment.objects.exists()
    assert not Notification.objects.exists()
    assert not AssignmentEvent.objects.exists()


def test_a_duplicate_is_refused_by_name(draft, editor, reviewer):
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    with pytest.raises(InvalidInput, match="rev is already assigned as reviewer."):
        assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assert Assignment.objects.count() == 1


def test_someone_without_a_role_may_not_assign(draft, outsider, reviewer):
    with pytest.raises(NotAllowed):
        assignment_add(user=outsider, person=reviewer, role="reviewer", claim=draft)
    assignment = assignment_add(user=reviewer, person=reviewer, role="reviewer", claim=draft)
    with pytest.raises(NotAllowed):
        assignment_remove(user=outsider, assignment=assignment)
    assert Assignment.objects.count() == 1


def test_exactly_one_target(demo_article, draft, editor, reviewer):
    with pytest.raises(InvalidInput, match="exactly one"):
        assignment_add(user=editor, person=reviewer, role="reviewer")
    with pytest.raises(InvalidInput, match="exactly one"):
        assignment_add(
            user=editor, person=reviewer, role="reviewer", claim=draft, article=demo_article
        )


def test_a_deleted_claim_takes_no_assignment(demo_article, editor, reviewer):
    from tests.factories import make_claim

    claim = claim_delete(claim=make_claim(demo_article, editor), user=editor)
    with pytest.raises(WorkflowError, match="deleted"):
        assignment_add(user=editor, person=reviewer, role="reviewer", claim=claim)


def test_the_database_holds_one_target_and_uniqueness(demo_article, draft, editor, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            claim=draft, article=demo_article, person=reviewer, role="reviewer", assigned_by=editor
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(person=reviewer, role="reviewer", assigned_by=editor)
    Assignment.objects.create(claim=draft, person=reviewer, role="reviewer", assigned_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(claim=draft, person=reviewer, role="reviewer", assigned_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(claim=draft, person=reviewer, role="chief", assigned_by=editor)


def test_eligible_people_are_members_and_say_who_may_review(editor, reviewer, staff, outsider):
    people = {p.username: p.can_review for p in eligible_people()}
    assert people == {"ed": False, "rev": True, "boss": True}
    assert AssignmentRole.REVIEWER in AssignmentRole.values


def test_my_work_groups_claims_by_status_in_two_queries(
    demo_article, editor, reviewer, django_assert_num_queries
):
    from annotations.services.workflow import claim_submit
    from tests.factories import make_claim

    for _ in range(3):
        claim = make_claim(demo_article, editor, ready=False)
        assignment_add(user=editor, person=reviewer, role="reviewer", claim=claim)
    assignment_add(user=editor, person=reviewer, role="editor", claim=claim)
    claim_submit(claim=make_claim(demo_article, editor), user=editor)
    submitted = make_claim(demo_article, editor)
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=submitted)
    claim_submit(claim=submitted, user=editor)
    assignment_add(user=editor, person=reviewer, role="editor", article=demo_article)
    with django_assert_num_queries(2):  # article assignments; claim assignments with claims
        work = my_work(reviewer)
    counts = {group.status: group.count for group in work.groups}
    assert counts == {
        "changes_requested": 0, "draft": 3, "in_review": 1, "approved": 0, "rejected": 0
    }  # fmt: skip
    assert sorted(claim.roles for claim in work.groups[1].claims) == [
        ["Editor", "Reviewer"], ["Reviewer"], ["Reviewer"]
    ]  # fmt: skip
