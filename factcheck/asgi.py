"""ASGI entry point (`make serve`: gunicorn with uvicorn workers)."""

import os

#: Under ASGI each request runs its sync code in a thread of its own, so Django's persistent
#: connections are never reused there: every request would open a PostgreSQL connection.
#: The ASGI app keeps a pool per process instead (DATABASE_POOL_SIZE in settings; set it to
#: 0 to turn the pool off, e.g. behind a PgBouncer in transaction mode).
os.environ.setdefault("DATABASE_POOL_SIZE", "5")

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_asgi_application()
