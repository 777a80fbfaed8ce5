"""Every role × every view and endpoint × every method, and the answer each one gets.

The routes come from Django's URL resolver, so a new view cannot slip through: a route the
table below does not cover fails `test_every_route_is_in_the_matrix`. Excluded on purpose:
`admin/` (Django's admin has its own staff check) and `accounts/` (login, logout and
password pages, which must answer anonymous visitors).

Roles: anonymous; an outsider (logged in, no role); editor; reviewer; staff (admin); and,
for the API, a token of each (outsider, editor, reviewer, staff) plus an invalid token.
Browser views ignore tokens: a token client is anonymous there.

Who may use a method of a route is one of ANYONE, MEMBER (editor, reviewer, staff),
EDITOR (editors and reviewers, who are senior editors, and staff), REVIEWER (reviewers and
staff) or STAFF; a method the route does not take is answered 405 (for browser views, with
an `Allow` header naming exactly the methods of the route's row). Methods: GET, HEAD, POST,
PUT, PATCH, DELETE; every page that answers GET answers HEAD the same way. Expected answers:

- allowed: the permission check passes. The answer may still refuse the *input* (400, 409,
  412, 428: the matrix sends a bare comment, not a valid form), but never 401/403/404/405
  and never a redirect to the login page;
- browser, anonymous: a redirect to the login page;
- API, anonymous: 401 or 403 (401 for an invalid token);
- logged in without the role: 403 (or 404 where the object is hidden).

Each request runs in a savepoint that is rolled back, so every role meets the same state.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from annotations.models import SourceArchive, WebhookDelivery
from annotations.selectors.suggestions import suggestions_for_revision
from annotations.services.assignments import assignment_add
from annotations.services.claims import source_update
from annotations.services.known_checks import known_checks_import
from annotations.services.webhooks import webhook_subscription_create
from annotations.services.workflow import claim_approve, claim_submit
from tests.archive.pages import page_server
from tests.archive.snapshots import again, run
from tests.factories import make_claim

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
EXCLUDED_PREFIXES = ("admin/", "accounts/")

ANYONE, MEMBER, EDITOR, REVIEWER, STAFF = "anyone", "member", "editor", "reviewer", "staff"
#: Anyone signed in, with a role or without (`GET /api/v1/me/` tells them which).
SIGNED_IN = "signed in"
#: A route that names no resource: 404 for everyone, whatever the method.
NOWHERE = "nowhere"
#: Which personas each level admits.
ADMITS = {
    ANYONE: {"anonymous", "outsider", "editor", "reviewer", "staff"},
    SIGNED_IN: {"outsider", "editor", "reviewer", "staff"},
    MEMBER: {"editor", "reviewer", "staff"},
    EDITOR: {"editor", "reviewer", "staff"},
    REVIEWER: {"reviewer", "staff"},
    STAFF: {"staff"},
}
ROLES = [
    "anonymous",
    "outsider",
    "editor",
    "reviewer",
    "staff",
    "outsider_token",
    "editor_token",
    "reviewer_token",
    "staff_token",
    "bad_token",
]
ALLOWED_ANSWERS = {200, 201, 202, 204, 302, 303, 400, 409, 412, 413, 415, 428}


@dataclass
class Route:
    kind: str  # "browser" or "api"
    who: dict[str, str]  # method → level; methods left out answer 405
    #: Which sample object fills each URL argument (see `samples`); `step` for workflow.
    args: dict[str, str] = field(default_factory=dict)
    #: Extra URL variants (e.g. one per workflow step), each with its own `who`.
    variants: list[tuple[dict[str, str], dict[str, str]]] = field(default_factory=list)
    #: A concrete URL for patterns `fill` cannot build (regular expressions).
    url: str = ""


def page(get: str = MEMBER, **others: str) -> dict[str, str]:
    """A page read with GET (HEAD answers the same); `others` adds methods, e.g. post=EDITOR."""
    return {"GET": get, "HEAD": get, **{m.upper(): w for m, w in others.items()}}


def form_page(level: str) -> dict[str, str]:
    """A browser page with a form: shown on GET and HEAD, submitted with POST."""
    return page(level, post=level)


def any_method(level: str) -> dict[str, str]:
    """A view with no method restriction: every method gets the same check."""
    return dict.fromkeys(METHODS, level)


def post_only(level: str) -> dict[str, str]:
    return {"POST": level}


B, A = "browser", "api"
DRAFT = {"claim_id": "draft"}

# fmt: off
MATRIX: dict[str, Route] = {
    # --- Public: the schema, its docs and the published page of approved fact-checks.
    "api/schema/": Route(A, page(ANYONE)),
    "api/docs/": Route(A, page(ANYONE)),
    # Anything else under /api/: a JSON 404, never the HTML page (issue #6).
    "api/^(?P<unmatched>.*)$": Route(A, any_method(NOWHERE), url="/api/v1/no-such-thing/"),
    "published/<int:article_id>/": Route(B, page(ANYONE)),
    "favicon.ico": Route(B, page(ANYONE)),
    "ns/factcheck.jsonld": Route(B, page(ANYONE)),
    # The verdict scale's colours as CSS (the public page shows verdicts too).
    "verdicts.css": Route(B, page(ANYONE)),
    # --- Articles (issue #3). Read-only pages take GET and HEAD; form pages POST too.
    "": Route(B, page(MEMBER)),
    "articles/<int:article_id>/": Route(B, page(MEMBER)),
    "articles/new/": Route(B, form_page(EDITOR)),
    "articles/<int:article_id>/edit/": Route(B, form_page(EDITOR)),
    "articles/<int:article_id>/revisions/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/revisions/new/": Route(B, form_page(EDITOR)),
    "articles/<int:article_id>/revisions/<int:number>/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/revisions/<int:number>/raw/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/revisions/<int:number>/keep-removed/": Route(B, post_only(EDITOR)),
    # --- The workspace (issue #4).
    "articles/<int:article_id>/claims/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/text/": Route(B, page(MEMBER)),
    # Live updates (issue 16): the workspace's event stream, read like the page.
    "articles/<int:article_id>/live/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/claims/new/": Route(B, post_only(EDITOR)),
    "claims/<int:claim_id>/": Route(B, page(MEMBER), DRAFT),
    "claims/<int:claim_id>/save/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/delete/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/sources/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/sources/<int:claim_source_id>/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/sources/<int:claim_source_id>/remove/":
        Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/comments/": Route(B, post_only(MEMBER), DRAFT),
    # --- Suggested claims in the workspace (issue 14): the list, accept, dismiss.
    "articles/<int:article_id>/suggestions/": Route(B, page(MEMBER)),
    "suggestions/<int:suggestion_id>/accept/": Route(B, post_only(EDITOR)),
    "suggestions/<int:suggestion_id>/dismiss/": Route(B, post_only(EDITOR)),
    # --- Re-anchoring (issue #7).
    "articles/<int:article_id>/revisions/<int:number>/report/": Route(B, page(MEMBER)),
    "articles/<int:article_id>/diff/": Route(B, page(MEMBER)),
    "claims/<int:claim_id>/anchor/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/confirm-placement/": Route(B, post_only(EDITOR), DRAFT),
    "claims/<int:claim_id>/statement/": Route(B, post_only(EDITOR), DRAFT),
    # --- Review (issue #5).
    "review/": Route(B, page(REVIEWER)),
    "review/bulk/": Route(B, post_only(REVIEWER)),
    "my-claims/": Route(B, page(EDITOR)),
    "dashboard/": Route(B, page(REVIEWER)),
    "dashboard/days.csv": Route(B, page(REVIEWER)),
    "claims/<int:claim_id>/workflow/": Route(B, page(MEMBER), DRAFT),
    "claims/<int:claim_id>/history/": Route(B, page(MEMBER), DRAFT),
    "claims/<int:claim_id>/workflow/<slug:step>/": Route(
        B, post_only(EDITOR), {"claim_id": "draft", "step": "submit"},
        variants=[
            ({"claim_id": "in_review", "step": "approve"}, post_only(REVIEWER)),
            ({"claim_id": "in_review", "step": "request-changes"}, post_only(REVIEWER)),
            ({"claim_id": "in_review", "step": "reject"}, post_only(REVIEWER)),
            ({"claim_id": "approved", "step": "reopen"}, post_only(REVIEWER)),
        ],
    ),
    # --- API v1 (issue #6, and #5 for the workflow and history).
    "api/v1/me/": Route(A, page(SIGNED_IN)),
    "api/v1/verdicts/": Route(A, page(MEMBER)),
    "api/v1/articles/": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/articles/<int:pk>/": Route(A, page(MEMBER, patch=EDITOR)),
    "api/v1/articles/<int:article_id>/revisions/": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/claims/": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/claims/<int:claim_id>/": Route(A, page(MEMBER, patch=EDITOR, delete=EDITOR), DRAFT),
    "api/v1/claims/<int:claim_id>/sources/": Route(A, page(MEMBER, post=EDITOR), DRAFT),
    "api/v1/claims/<int:claim_id>/sources/<int:source_id>/":
        Route(A, {"PATCH": EDITOR, "DELETE": EDITOR}, DRAFT),
    "api/v1/claims/<int:claim_id>/comments/": Route(A, page(MEMBER, post=MEMBER), DRAFT),
    "api/v1/claims/<int:claim_id>/history/": Route(A, page(MEMBER), DRAFT),
    "api/v1/claims/<int:claim_id>/submit/": Route(A, post_only(EDITOR), DRAFT),
    "api/v1/claims/<int:claim_id>/approve/":
        Route(A, post_only(REVIEWER), {"claim_id": "in_review"}),
    "api/v1/claims/<int:claim_id>/request-changes/":
        Route(A, post_only(REVIEWER), {"claim_id": "in_review"}),
    "api/v1/claims/<int:claim_id>/reject/":
        Route(A, post_only(REVIEWER), {"claim_id": "in_review"}),
    "api/v1/claims/<int:claim_id>/reopen/": Route(A, post_only(REVIEWER), {"claim_id": "approved"}),
    "api/v1/export/claims.csv": Route(A, page(MEMBER)),
    "api/v1/annotations/": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/annotations/<int:claim_id>": Route(A, page(MEMBER), {"claim_id": "approved"}),
    "api/v1/claimreviews/": Route(A, page(MEMBER)),
    # --- Suggested claims (issue 14): spelled without a trailing slash, as the issue has them.
    "api/v1/articles/<int:article_id>/suggestions/": Route(A, page(MEMBER)),
    "api/v1/suggestions/<int:suggestion_id>/accept": Route(A, post_only(EDITOR)),
    "api/v1/suggestions/<int:suggestion_id>/dismiss": Route(A, post_only(EDITOR)),
    # --- Known checks (issue 13): read by members, imported by editors (no trailing slash
    # on the import, as the issue has it).
    # --- Many articles in one request (issue 17).
    "api/v1/articles/bulk/": Route(A, post_only(EDITOR)),
    "api/v1/claims/bulk-review/": Route(A, post_only(REVIEWER)),
    "api/v1/known-checks/": Route(A, page(MEMBER)),
    "api/v1/known-checks/<int:pk>/": Route(A, page(MEMBER), {"pk": "known_check_id"}),
    "api/v1/known-checks/import": Route(A, post_only(EDITOR)),
    # --- "Checked before?" (issue 13): read by members, answered by editors and reviewers.
    "api/v1/claims/<int:claim_id>/matches/": Route(A, page(MEMBER, post=EDITOR), DRAFT),
    "api/v1/matches/": Route(A, page(MEMBER)),
    "claims/<int:claim_id>/matches/": Route(B, page(MEMBER, post=EDITOR), DRAFT),
    # --- Webhooks to the CMS (issue 15): staff only (secrets; calls to other servers).
    "api/v1/webhooks/": Route(A, page(STAFF, post=STAFF)),
    "api/v1/webhooks/<int:subscription_id>/": Route(A, page(STAFF, patch=STAFF, delete=STAFF)),
    "api/v1/webhooks/<int:subscription_id>/deliveries/": Route(A, page(STAFF)),
    "api/v1/webhook-deliveries/<int:delivery_id>/send-again": Route(A, post_only(STAFF)),
    # --- Source snapshots (issue 15): read by members, taken again by editors and reviewers.
    "api/v1/sources/<int:source_id>/archive": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/sources/<int:source_id>/archive.txt": Route(A, page(MEMBER)),
    "sources/<int:source_id>/archive/": Route(B, page(MEMBER, post=EDITOR)),
    "sources/<int:source_id>/archive/<int:archive_id>/": Route(B, page(MEMBER)),
    # --- Assignment and notifications (issue 16): read by members, (un)assigned by editors
    # and reviewers; a person's notifications are their own (only theirs are listed/marked).
    "my-work/": Route(B, page(MEMBER)),
    "claims/<int:claim_id>/assignments/": Route(B, page(MEMBER, post=EDITOR), DRAFT),
    "claims/<int:claim_id>/assignments/<int:assignment_id>/remove/": Route(
        B, post_only(EDITOR), {"claim_id": "draft", "assignment_id": "claim_assignment_id"}
    ),
    "articles/<int:article_id>/assignments/": Route(B, page(MEMBER, post=EDITOR)),
    "articles/<int:article_id>/assignments/<int:assignment_id>/remove/": Route(
        B, post_only(EDITOR), {"assignment_id": "article_assignment_id"}
    ),
    "notifications/": Route(B, page(MEMBER)),
    "notifications/read/": Route(B, post_only(MEMBER)),
    # The bell alone, fetched again by an open workspace when a colleague's change arrives.
    "notifications/bell/": Route(B, page(MEMBER)),
    "notifications/settings/": Route(B, post_only(MEMBER)),
    "api/v1/claims/<int:claim_id>/assignments/": Route(A, page(MEMBER, post=EDITOR), DRAFT),
    "api/v1/claims/<int:claim_id>/assignments/<int:assignment_id>/": Route(
        A, {"DELETE": EDITOR}, {"claim_id": "draft", "assignment_id": "claim_assignment_id"}
    ),
    "api/v1/articles/<int:article_id>/assignments/": Route(A, page(MEMBER, post=EDITOR)),
    "api/v1/articles/<int:article_id>/assignments/<int:assignment_id>/": Route(
        A, {"DELETE": EDITOR}, {"assignment_id": "article_assignment_id"}
    ),
    "api/v1/notifications/": Route(A, page(MEMBER)),
    "api/v1/notifications/read": Route(A, post_only(MEMBER)),
}
# fmt: on


def project_routes() -> list[str]:
    """Every route of the project's urlconf, as its pattern text (admin and auth excluded)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if not route.startswith(EXCLUDED_PREFIXES)
    ]


def test_every_route_is_in_the_matrix(db):
    missing = sorted(set(project_routes()) - set(MATRIX))
    assert not missing, (
        "These routes have no row in the permission matrix; add one saying who may use "
        f"each method: {missing}"
    )


def test_the_matrix_names_only_existing_routes_or_ones_still_being_built(db):
    # Rows for routes another engineer has not committed yet are allowed; rows that are
    # plainly wrong (not a pattern at all) are not.
    assert all(
        route == ""
        or route.endswith(
            (
                "/",
                ".csv",
                ".css",
                ".ico",
                ".jsonld",
                ">",
                "$",
                "/accept",
                "/dismiss",
                "/import",
                "/send-again",
                "/archive",
                "/archive.txt",
                "/read",
            )
        )
        for route in MATRIX
    )


# --- Walking the matrix ----------------------------------------------------------------------


@pytest.fixture
def samples(demo_article, editor2, reviewer2, django_user_model, settings):
    """Objects for the URL arguments, made by people outside the tested personas so four
    eyes never gets in the way: a ready draft, one in review, an approved one; the draft's
    source with a snapshot taken from a local page."""
    draft = make_claim(demo_article, editor2)
    archive = _snapshot(draft.claim_sources.get(), editor2, settings)
    in_review = claim_submit(claim=make_claim(demo_article, editor2), user=editor2)
    approved = claim_submit(claim=make_claim(demo_article, editor2), user=editor2)
    approved = claim_approve(claim=approved, reviewer=reviewer2)
    claims = {"draft": draft, "in_review": in_review, "approved": approved}
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    subscription = webhook_subscription_create(
        user=django_user_model.objects.create_user("webmaster", is_staff=True),
        url="http://127.0.0.1:9/hook",
        events=["claim.approved"],
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, message_id="msg_matrix", event="claim.approved", payload={}
    )
    reviewer_role = reviewer2  # assigned by editor2: no tested persona made either
    return {
        "claim_assignment_id": assignment_add(
            user=editor2, person=reviewer_role, role="reviewer", claim=draft
        ).pk,
        "article_assignment_id": assignment_add(
            user=editor2, person=reviewer_role, role="reviewer", article=demo_article
        ).pk,
        "subscription_id": subscription.pk,
        "delivery_id": delivery.pk,
        "claims": claims,
        "article_id": demo_article.pk,
        "pk": demo_article.pk,
        "number": 1,
        "claim_source_id": draft.claim_sources.get().pk,
        "source_id": draft.claim_sources.get().source_id,
        "archive_id": archive.pk,
        # An open suggestion no sample claim overlaps ("an estimated 40 rounds").
        "suggestion_id": suggestions_for_revision(demo_article.current_revision)
        .get(exact__contains="40 rounds")
        .pk,
        "known_check_id": known_checks_import(
            data={
                "@type": "ClaimReview",
                "url": "https://checker.example.net/matrix/",
                "claimReviewed": "A claim checked elsewhere.",
            },
            user=editor2,
        )
        .items[0]
        .id,
    }


def _snapshot(claim_source, user, settings) -> SourceArchive:
    """An archived snapshot of the source (its URL pointed at a local page server)."""
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    first = SourceArchive.objects.get(source=claim_source.source)
    with page_server() as pages:
        source_update(claim_source=claim_source, user=user, url=pages.url("/article"))
        # Pending on the database queue: run it; failed at once on the immediate one: again.
        archive = run(first) if first.status == "pending" else again(claim_source.source, user)
    assert archive.status == "archived"
    return archive


def fill(route: str, args: dict[str, str], samples: dict) -> str:
    def value(match):
        name = match.group(2)
        if name == "claim_id":
            return str(samples["claims"][args.get("claim_id", "draft")].pk)
        if name == "step":
            return args["step"]
        return str(samples[args.get(name, name)])

    return "/" + re.sub(r"<(\w+:)?(\w+)>", value, route)


def expected(kind: str, level: str | None, role: str, gate: str) -> set[int] | str:
    """The answers a role may get; "login" means a redirect to the login page."""
    if level == NOWHERE:
        return {404}
    token = role.endswith("_token")
    persona = role.removesuffix("_token")
    if kind == "browser" and token:
        persona = "anonymous"  # browser views do not read tokens
    if kind == "api" and persona == "bad":
        return {401}  # an invalid token is refused everywhere, even on public endpoints
    if level is None:
        # Browser views check the method first (require_POST / require_GET outermost). DRF
        # authenticates and checks permissions before it looks for the method's handler.
        if kind == "api" and gate != ANYONE:
            level = gate  # the route's own permission: members, or anyone signed in
            if persona in ADMITS[level]:
                return {405}
        else:
            return {405}
    if persona in ADMITS[level]:
        return "allowed"
    if persona == "anonymous":
        return "login" if kind == "browser" else {401, 403}
    return {403, 404}


def client_for(role: str, users: dict, tokens: dict) -> Client:
    client = Client()
    persona = role.removesuffix("_token")
    if role == "bad_token":
        client.defaults["HTTP_AUTHORIZATION"] = "Token not-a-real-token"
    elif role.endswith("_token"):
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens[persona]}"
    elif role != "anonymous":
        client.force_login(users[persona])
    return client


def call(client: Client, method: str, url: str, kind: str):
    body = {"comment": "Permission matrix check."}
    if kind == "api":
        return client.generic(
            method,
            url,
            data=json.dumps(body) if method != "GET" else "",
            content_type="application/json",
        )
    if method == "GET":
        return client.get(url)
    if method == "HEAD":
        return client.head(url)
    if method == "POST":
        # Workflow forms carry the claim version read; a stale one is 409, still "allowed".
        return client.post(url, {**body, "version": "1"})
    return client.generic(
        method, url, data="comment=x", content_type="application/x-www-form-urlencoded"
    )


def verdict(kind, level, role, gate, response, allowed_methods=()) -> str | None:
    """None if the answer is what the matrix expects, else a description of the mismatch."""
    want = expected(kind, level, role, gate)
    got = response.status_code
    location = response.get("Location", "")
    to_login = got == 302 and "/accounts/login/" in location
    if want == "allowed":
        ok = got in ALLOWED_ANSWERS and not to_login
    elif want == "login":
        ok = to_login
    else:
        ok = got in want
    if not ok:
        return f"expected {want}, got {got}{' → ' + location if location else ''}"
    if got == 405 and kind == "browser":
        # The view's own list of methods must be the matrix's row, not merely exclude this one.
        allow = set(response.get("Allow", "").replace(" ", "").split(","))
        if allow != set(allowed_methods):
            return f"405 with Allow {sorted(allow)}, the matrix says {sorted(allowed_methods)}"
    return None


def test_permission_matrix(samples, editor, reviewer, staff, outsider):
    users = {"editor": editor, "reviewer": reviewer, "staff": staff, "outsider": outsider}
    tokens = {name: Token.objects.create(user=user).key for name, user in users.items()}
    clients = {role: client_for(role, users, tokens) for role in ROLES}
    present = set(project_routes())
    failures: list[str] = []
    checked = 0
    for route, spec in MATRIX.items():
        if route not in present:
            continue
        variants = [(spec.args, spec.who), *spec.variants]
        for args, who in variants:
            url = spec.url or fill(route, args, samples)
            for method in METHODS:
                level = who.get(method)
                for role in ROLES:
                    if spec.kind == "browser" and role == "bad_token":
                        continue
                    with transaction.atomic():
                        response = call(clients[role], method, url, spec.kind)
                        transaction.set_rollback(True)
                    checked += 1
                    gate = next((g for g in (ANYONE, SIGNED_IN) if g in who.values()), MEMBER)
                    problem = verdict(spec.kind, level, role, gate, response, who)
                    if problem:
                        failures.append(f"{method} {url} as {role}: {problem}")
    assert not failures, f"{len(failures)} of {checked} answers are wrong:\n" + "\n".join(failures)
    assert checked > 1000
