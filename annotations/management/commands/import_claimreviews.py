"""Import known checks from a file: `python manage.py import_claimreviews FILE [--user NAME]`."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.services.errors import ServiceError
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import EmbeddingProgress, embedding_progress, embeddings_fill


class Command(BaseCommand):
    help = (
        "Import fact-checks published elsewhere (known checks) from FILE: schema.org "
        "ClaimReview JSON-LD (one object, an array or a @graph), an HTML page embedding it, "
        "or Google Fact Check Tools claims:search results. The file is one transaction: "
        "every item is checked first, and one bad item stops the import with its number, "
        "URL and fault, writing nothing. A URL already known is updated, never duplicated. "
        "Prints the counts (created, updated, unchanged); exit status 1 on bad input. "
        "Then computes the matching vectors the new or reworded checks lack, with progress "
        "(--no-vectors leaves that to `embed_known_checks` or to a worker: the import enqueues the "
        "vector fill job; until then they are matched by their words)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .json / .jsonld file or a saved page.")
        parser.add_argument(
            "--user",
            help="Record the import as this person's (they need edit rights); by default "
            "nobody: an operator at the shell.",
        )
        parser.add_argument("--items", action="store_true", help="Also print one line per item.")
        parser.add_argument(
            "--no-vectors",
            action="store_true",
            help="Do not compute the matching vectors now.",
        )

    def handle(self, *args, file: Path, user: str | None, items: bool, no_vectors: bool, **options):
        importer = None
        if user:
            User = get_user_model()
            try:
                importer = User.objects.get(username=user)
            except User.DoesNotExist:
                raise CommandError(f"There is no user named {user!r}.") from None
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None
        try:
            report = known_checks_import(data=data, user=importer)
        except ServiceError as exc:
            raise CommandError(f"{file}: {exc.message}") from None
        if items:
            for item in report.items:
                self.stdout.write(f"{item.index}\t{item.result}\t{item.id}\t{item.url}")
        self.stdout.write(
            f"{file}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.duplicates} duplicates in the file, "
            f"{report.ignored} other JSON-LD objects ignored."
        )
        if no_vectors:
            return
        # The import has committed: its checks are searchable by their words already.
        computed = embeddings_fill(progress=self._progress)
        progress = embedding_progress()
        self.stdout.write(
            f"{computed:,} matching vectors computed; {progress.done:,} of "
            f"{progress.total:,} known checks have theirs."
        )

    def _progress(self, progress: EmbeddingProgress) -> None:
        if progress.pending == 0 or progress.done % 320 < 32:
            self.stderr.write(f"vectors: {progress.done:,} of {progress.total:,}")
