"""The dashboard's tests run in a zone west of UTC, so a local day is not a UTC day."""

from __future__ import annotations

import pytest

from tests.dashboard.desk import ZONE, Desk, build


@pytest.fixture(autouse=True)
def _newsroom_zone(settings):
    settings.TIME_ZONE = ZONE


@pytest.fixture
def desk(demo_article, editor, reviewer, reviewer2) -> Desk:
    return build(demo_article, editor, reviewer, reviewer2)
