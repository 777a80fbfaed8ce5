"""Personas and shared fixtures. Every test runs on real PostgreSQL; nothing is mocked.

Personas (STYLE.md): an editor, a second editor, a reviewer, a second reviewer, an
admin and an outsider (logged in, no role).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_TEXT_PATH = (
    Path(__file__).resolve().parent.parent / "annotations" / "demo" / "defector-escape.txt"
)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _live_listener_stops(django_db_setup, django_db_blocker):
    """The live hub's LISTEN connection (annotations.live) is closed before the test
    database is dropped: PostgreSQL refuses to drop a database someone is connected to."""
    yield
    from annotations.live import hub

    hub.stop()


@pytest.fixture(autouse=True)
def _archive_storage(settings, tmp_path_factory):
    """Source snapshots (WARC files) go to a temporary folder, never the checkout's var/."""
    storages = dict(settings.STORAGES)
    storages["archive"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.getbasetemp() / "archive")},
    }
    settings.STORAGES = storages


@pytest.fixture(autouse=True)
def _newsroom_scale_and_roles(request):
    """Tests that truncate tables (live_server) lose the seeded scale and roles: restore."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from annotations.roles import ensure_scale_and_roles

    ensure_scale_and_roles()


def _make_user(django_user_model, username: str, groups: list[str], **extra):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username, password=f"{username}-pass", email=f"{username}@newsroom.test", **extra
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return _make_user(django_user_model, "ed", ["editor"])


@pytest.fixture
def editor2(db, django_user_model):
    return _make_user(django_user_model, "ed2", ["editor"])


@pytest.fixture
def reviewer(db, django_user_model):
    return _make_user(django_user_model, "rev", ["reviewer"])


@pytest.fixture
def reviewer2(db, django_user_model):
    return _make_user(django_user_model, "rev2", ["reviewer"])


@pytest.fixture
def staff(db, django_user_model):
    return _make_user(django_user_model, "boss", [], is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db, django_user_model):
    return _make_user(django_user_model, "nobody", [])


@pytest.fixture
def demo_text() -> str:
    return DEMO_TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture
def demo_article(editor, demo_text):
    from annotations.services.articles import article_load

    return article_load(user=editor, text=demo_text, outlet="CNN")


@pytest.fixture
def draft(demo_article, editor):
    """A draft claim with everything approval needs (verdict, explanation, a source)."""
    from tests.factories import make_claim

    return make_claim(demo_article, editor)


@pytest.fixture
def in_review(draft, editor):
    from annotations.services.workflow import claim_submit

    return claim_submit(claim=draft, user=editor)


@pytest.fixture
def verdicts(db):
    from annotations.models import Verdict

    return {v.slug: v for v in Verdict.objects.all()}


# --- Browser tests ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.exit(
            f"The browser tests need Chromium at {CHROMIUM}: run `make test` (it installs "
            "Debian's chromium as root) or `sudo apt-get install chromium`.",
            returncode=3,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def login(live_server, context):
    """Log a persona into the browser context without typing (fast, and not under test)."""
    from django.conf import settings
    from django.test import Client

    def _login(user, ctx=None):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        (ctx or context).add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return _login


#: Reported to the console by the page itself (see `context`), so a violation in a frame,
#: a swapped-in partial or an htmx eval shows up the same way as one while loading.
_CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def _watch_csp(ctx) -> list[str]:
    """Collect every Content-Security-Policy violation reported in `ctx`'s pages."""
    violations: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            violations.append(text)

    ctx.add_init_script(_CSP_REPORTER)
    ctx.on("console", on_console)
    return violations


@pytest.fixture
def context(context):
    """pytest-playwright's context, failing the test on any Content-Security-Policy violation.

    Every browser test runs with the CSP on (settings.CONTENT_SECURITY_POLICY); Chromium
    logs each violation to the console and fires `securitypolicyviolation`. Both are
    collected for every page of the context; any one fails the test at teardown.
    """
    violations = _watch_csp(context)
    yield context
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def new_context(browser, browser_context_args):
    """Make more browser contexts (a second person), each checked for CSP violations like
    `context`, and closed at teardown."""
    made: list[tuple[object, list[str]]] = []

    def _new_context():
        ctx = browser.new_context(**browser_context_args)
        made.append((ctx, _watch_csp(ctx)))
        return ctx

    yield _new_context
    violations = [v for _, found in made for v in found]
    for ctx, _ in made:
        ctx.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
