"""Compute the matching vectors that are missing: `python manage.py embed_known_checks`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from annotations.services.matching import EmbeddingProgress, embedding_progress, embeddings_fill


class Command(BaseCommand):
    help = (
        'Compute the e5 vectors "Checked before?" matches by, for known checks that have '
        "none (new or reworded by an import) and for our published checks whose words "
        "changed. Batches of 32 commit one by one, so it can be stopped and run again; the "
        "web server does the same in the background after an import or an approval. Until "
        "a check has its vector it is matched by its words alone."
    )

    def handle(self, *args, **options):
        before = embedding_progress()
        self.stdout.write(f"{before.done:,} of {before.total:,} known checks have their vector.")
        computed = embeddings_fill(progress=self._progress)
        after = embedding_progress()
        self.stdout.write(
            f"{computed:,} vectors computed; {after.done:,} of {after.total:,} known checks "
            "have their vector."
        )

    def _progress(self, progress: EmbeddingProgress) -> None:
        if progress.pending == 0 or progress.done % 320 < 32:
            self.stderr.write(f"vectors: {progress.done:,} of {progress.total:,}")
