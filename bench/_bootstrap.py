"""What every benchmark that touches Django starts with, written once.

`django_setup(database_name)` puts the repository and `bench/` on the path, sets the
settings module, names the throwaway database and sets Django up. `throwaway_database()`
creates that database (migrated, with the rating scale and roles the migrations seed),
turns the query log off, and drops the database at the end, even on failure, so a
benchmark never writes into the `make run` data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(database_name: str) -> None:
    for path in (ROOT, ROOT / "bench"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("TEST_DATABASE_NAME", f"{database_name}_{os.getpid()}")

    import django

    django.setup()


@contextmanager
def throwaway_database() -> Iterator[None]:
    from django.conf import settings
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    settings.DEBUG = False  # no query log growing with every request
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()


def editor(username: str):
    """A user in the editor group: the services refuse writes from anyone without a role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=username)
    user.groups.add(Group.objects.get(name="editor"))
    return user
