"""What tests that start processes of the app (a worker, the production server) share."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """DATABASE_URL for a process of the app, naming the test database this run created."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    # The embedded server gives its socket directory as OPTIONS["host"], not HOST.
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""
    name = quote(db["NAME"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    # A socket directory goes in the host, percent-encoded (dj-database-url reads it back).
    return f"postgres://{auth}{quote(host, safe='')}{port}/{name}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # not a test, despite its name
