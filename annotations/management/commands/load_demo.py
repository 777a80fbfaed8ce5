"""Load the demo newsroom: users editor, reviewer, admin, the demo article and a few known
checks (other fact-checkers' ClaimReviews, invented for the demo) with their vectors.

Idempotent: running it twice changes nothing the second time. Refuses to run with DEBUG
off, because it sets known passwords.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.models import Article
from annotations.services.articles import article_load
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import embeddings_fill

DEMO_ARTICLE = Path(__file__).resolve().parents[2] / "demo" / "defector-escape.txt"
#: "Checked before?" has something to find for the article's claims (publisher: "Example
#: Checks (demo data)", addresses under example.org).
DEMO_KNOWN_CHECKS = DEMO_ARTICLE.with_name("known-checks.jsonld")
DEMO_URL = "https://edition.cnn.com/2017/11/22/asia/north-korea-defector-video/index.html"
DEMO_USERS = [
    # username, password, groups, is_staff
    ("editor", "editor-demo-pass", ["editor"], False),
    ("editor2", "editor2-demo-pass", ["editor"], False),
    ("reviewer", "reviewer-demo-pass", ["reviewer"], False),
    ("admin", "admin-demo-pass", ["editor", "reviewer"], True),
]


class Command(BaseCommand):
    help = "Load demo users, the demo article and demo known checks (DEBUG only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo sets well-known passwords and runs only with DEBUG on (DEBUG=1)."
            )
        with transaction.atomic():
            users = self._users()
            if not Article.objects.filter(url=DEMO_URL).exists():
                article_load(
                    user=users["editor"],
                    text=DEMO_ARTICLE.read_text(encoding="utf-8"),
                    url=DEMO_URL,
                    outlet="CNN",
                    byline="Ben Westcott, Yoonjung Seo and Joshua Berlinger",
                )
            known_checks_import(data=DEMO_KNOWN_CHECKS.read_bytes(), user=None)
        embeddings_fill()
        self.stdout.write("Demo data loaded. Log in at http://127.0.0.1:8000/ as:")
        for username, password, groups, is_staff in DEMO_USERS:
            role = "admin" if is_staff else " and ".join(groups)
            self.stdout.write(f"  {username:<9} password {password:<20} ({role})")

    def _users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, password, groups, is_staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_staff, "is_superuser": is_staff}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            users[username] = user
        return users
