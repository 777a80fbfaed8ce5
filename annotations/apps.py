from typing import Any

from django.apps import AppConfig
from django.core import checks


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Fact checks"

    def ready(self) -> None:
        checks.register(search_config_check)


def search_config_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Claim search in another language than the one its index was built for still finds
    the right claims, but reads every claim: say so at start-up."""
    from django.conf import settings

    from annotations.models import SEARCH_CONFIG_INDEXED

    config = settings.FACTCHECK_SEARCH_CONFIG
    if config == SEARCH_CONFIG_INDEXED:
        return []
    return [
        checks.Warning(
            f"FACTCHECK_SEARCH_CONFIG is {config!r} but the claims' search index is built for "
            f"{SEARCH_CONFIG_INDEXED!r}: claim search works, without its index.",
            hint="Set annotations.models.SEARCH_CONFIG_INDEXED to the same configuration and "
            "run makemigrations and migrate to rebuild the index.",
            id="annotations.W001",
        )
    ]
