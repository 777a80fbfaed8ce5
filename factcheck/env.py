"""Reading configuration from the environment, failing loudly on a bad value.

Every setting the project reads from the environment goes through one of these helpers,
so that a typo in production stops the process with one sentence naming the variable
instead of a traceback wall three imports later.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def fail(message: str) -> NoReturn:
    """Stop the process with one clear sentence (no traceback)."""
    sys.stderr.write(f"factcheck: configuration error: {message}\n")
    raise SystemExit(2)


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    fail(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        fail(f"{name} must be a whole number; got {value!r}.")
