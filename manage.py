#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        # An unreachable database: one sentence naming the setting, not a traceback wall.
        first_line = (
            str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        )
        sys.stderr.write(
            "factcheck: could not connect to the database named by DATABASE_URL "
            f"({first_line}). Is the server running and the URL right?\n"
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
