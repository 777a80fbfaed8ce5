"""Assignment and notifications in the browser (issue 16): the "Assigned" sections, "My
work", the notifications page, "mark read", the e-mail setting, the bell, the queue's
"assigned to me". Each: it works; it refuses an outsider; bad input is refused with its
message and writes nothing; the query count is pinned."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Assignment, Notification, NotificationPreference
from annotations.services.assignments import assignment_add
from annotations.services.workflow import claim_submit
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- The "Assigned" section --------------------------------------------------------------


def test_the_claim_panel_asks_for_the_section_once_it_is_on_the_page(client, editor, draft):
    client.force_login(editor)
    html = client.get(reverse("claim_panel", args=[draft.pk]), **HTMX).content.decode()
    url = reverse("claim_assignments", args=[draft.pk])
    assert f'id="assignments-claim-{draft.pk}"' in html and f'hx-get="{url}"' in html


def test_the_article_page_asks_for_its_section_too(client, editor, demo_article):
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[demo_article.pk])).content.decode()
    assert f'hx-get="{reverse("article_assignments", args=[demo_article.pk])}"' in html


def test_an_editor_assigns_a_reviewer_through_htmx(client, editor, reviewer, draft):
    client.force_login(editor)
    url = reverse("claim_assignments", args=[draft.pk])
    response = client.post(url, {"person": reviewer.pk, "role": "reviewer"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<section id="assignments-claim-{draft.pk}"' in html
    assert "rev" in html and "Remove <span" in html
    assignment = Assignment.objects.get()
    assert (assignment.person, assignment.role, assignment.claim) == (reviewer, "reviewer", draft)
    # Removed again: the section comes back empty.
    remove = reverse("claim_assignment_remove", args=[draft.pk, assignment.pk])
    response = client.post(remove, **HTMX)
    assert response.status_code == 200 and "Nobody is assigned to this claim." in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_without_javascript_assigning_redirects_to_the_section_page(
    client, editor, reviewer, demo_article
):
    client.force_login(editor)
    url = reverse("article_assignments", args=[demo_article.pk])
    response = client.post(url, {"person": reviewer.pk, "role": "editor"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Who is assigned to" in page.content.decode()
    assert demo_article.assignments.get().person == reviewer


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"person": "", "role": "editor"}, 400, "Choose the person to assign."),
        ({"person": "99999", "role": "editor"}, 400, "There is no such person"),
        ({"person": "PERSON", "role": "chief"}, 400, "“chief” is not a role"),
        ({"person": "ED2", "role": "reviewer"}, 400, "ed2 is not a reviewer"),
        ({"person": "NOBODY", "role": "editor"}, 400, "nobody is not an editor or a reviewer"),
    ],
)
def test_bad_input_is_refused_in_the_section_and_nothing_is_written(
    client, editor, editor2, reviewer, outsider, draft, data, status, message
):
    people = {"PERSON": reviewer.pk, "ED2": editor2.pk, "NOBODY": outsider.pk}
    data = {k: people.get(v, v) for k, v in data.items()}
    client.force_login(editor)
    response = client.post(reverse("claim_assignments", args=[draft.pk]), data, **HTMX)
    assert response.status_code == status
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Assignment.objects.exists() and not Notification.objects.exists()


def test_a_duplicate_is_refused_by_name(client, editor, reviewer, draft):
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    client.force_login(editor)
    response = client.post(
        reverse("claim_assignments", args=[draft.pk]),
        {"person": reviewer.pk, "role": "reviewer"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "rev is already assigned as reviewer." in response.content.decode()
    assert Assignment.objects.count() == 1


def test_an_outsider_gets_403_and_an_unknown_claim_404(client, outsider, editor, draft):
    client.force_login(outsider)
    assert client.get(reverse("claim_assignments", args=[draft.pk])).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("claim_assignments", args=[999999])).status_code == 404


def test_removing_an_assignment_of_another_target_changes_nothing(
    client, editor, reviewer, draft, demo_article
):
    other = assignment_add(user=editor, person=reviewer, role="reviewer", article=demo_article)
    client.force_login(editor)
    response = client.post(reverse("claim_assignment_remove", args=[draft.pk, other.pk]), **HTMX)
    assert response.status_code == 409
    assert Assignment.objects.filter(pk=other.pk).exists()


def test_the_section_costs_a_fixed_number_of_queries(
    client, editor, editor2, reviewer, draft, django_assert_num_queries
):
    for person, role in [(editor2, "editor"), (reviewer, "reviewer"), (reviewer, "editor")]:
        assignment_add(user=editor, person=person, role=role, claim=draft)
    client.force_login(editor)
    url = reverse("claim_assignments", args=[draft.pk])
    # 6 queries: session, user, groups (roles), the claim, the assignments with people,
    # and who could be assigned.
    with django_assert_num_queries(6):
        assert client.get(url, **HTMX).status_code == 200


# --- My work -------------------------------------------------------------------------------


def test_my_work_lists_articles_and_claims_by_status(
    client, editor, reviewer, demo_article, django_assert_num_queries
):
    drafts = [make_claim(demo_article, editor) for _ in range(2)]
    for claim in drafts:
        assignment_add(user=editor, person=reviewer, role="reviewer", claim=claim)
    claim_submit(claim=drafts[0], user=editor)
    assignment_add(user=editor, person=reviewer, role="editor", article=demo_article)
    client.force_login(reviewer)
    # 6 queries: session, user, groups, article assignments, claim assignments with their
    # claims, the bell's unread count.
    with django_assert_num_queries(6):
        response = client.get(reverse("my_work"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft: 1" in html and "In review: 1" in html and "Claims <span" in html
    assert f"?claim={drafts[0].pk}" in html and demo_article.title in html
    assert 'aria-current="page">My work</a>' in html


def test_my_work_has_an_empty_state(client, editor):
    client.force_login(editor)
    html = client.get(reverse("my_work")).content.decode()
    assert "Nothing is assigned to you." in html


def test_my_work_refuses_an_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("my_work")).status_code == 403


# --- Notifications and the bell ----------------------------------------------------------


@pytest.fixture
def told(draft, editor, reviewer):
    """Two notifications for the reviewer (assigned to a claim and to its article)."""
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assignment_add(user=editor, person=reviewer, role="editor", article=draft.article)
    return list(Notification.objects.filter(recipient=reviewer))


def test_the_bell_says_how_many_are_unread(client, reviewer, told):
    client.force_login(reviewer)
    html = client.get(reverse("my_work")).content.decode()
    assert 'aria-label="Notifications, 2 unread"' in html and "bell-unread" in html


def test_the_notifications_page_lists_mine_with_links(
    client, reviewer, editor, told, django_assert_num_queries
):
    client.force_login(reviewer)
    # 8 queries: session, user, groups, the e-mail preference, the page's notifications,
    # their count, the unread count for the list and again for the bell.
    with django_assert_num_queries(8):
        response = client.get(reverse("notifications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="notification"') == 2 and "2 unread" in html
    assert f"?claim={told[0].claim_id}" in html or f"?claim={told[1].claim_id}" in html
    client.force_login(editor)
    assert "No notifications yet." in client.get(reverse("notifications")).content.decode()


def test_mark_one_read_then_all(client, reviewer, told):
    client.force_login(reviewer)
    url = reverse("notifications_read")
    response = client.post(url, {"id": told[0].pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "1 unread" in html
    # The bell in the header follows (an out-of-band swap).
    assert 'id="bell"' in html and 'hx-swap-oob="true"' in html
    assert 'aria-label="Notifications, 1 unread"' in html
    response = client.post(url, {"all": "1"}, **HTMX)
    assert "All read" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_anothers_notification_changes_nothing(client, editor2, told):
    client.force_login(editor2)
    response = client.post(reverse("notifications_read"), {"id": told[0].pk}, **HTMX)
    assert response.status_code == 200
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Mark one notification, or all of them."), ({"id": "x"}, "whole number"),
     ({"id": "1", "all": "1"}, "Mark one notification, or all of them.")],
)  # fmt: skip
def test_a_bad_mark_read_is_refused_and_marks_nothing(client, reviewer, told, data, message):
    client.force_login(reviewer)
    response = client.post(reverse("notifications_read"), data, **HTMX)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_a_bad_page_is_refused(client, reviewer, told):
    client.force_login(reviewer)
    response = client.get(reverse("notifications"), {"page": "zero"})
    assert response.status_code == 400


def test_the_email_setting(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("notification_settings"), {"email": "on"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).email is True
    client.post(reverse("notification_settings"), {})
    assert NotificationPreference.objects.get(user=reviewer).email is False
    assert (
        "checked"
        not in client.get(reverse("notifications"))
        .content.decode()
        .split("Notification settings")[1]
        .split("</form>")[0]
    )


# --- The review queue: "assigned to me" ---------------------------------------------------


def test_the_queue_filters_on_assigned_to_me(client, editor, reviewer, demo_article):
    mine = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    other = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=mine)
    client.force_login(reviewer)
    everything = client.get(reverse("review_queue")).content.decode()
    assert f'id="review-item-{other.pk}"' in everything or f"claim-{other.pk}" in everything
    html = client.get(reverse("review_queue"), {"assigned": "on"}).content.decode()
    assert f"?claim={mine.pk}" in html and f"?claim={other.pk}" not in html
    assert "Assigned to me" in html
