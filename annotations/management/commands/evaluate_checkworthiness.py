"""Rank each transcript's sentences with the app's scorer; print the lab's measures (issue 14).

    python manage.py evaluate_checkworthiness --transcripts DIR [--leave-one-out] [--model PATH]

MAP is the mean over transcripts of each one's average precision (CLEF CheckThat! 2019
Task 1). The last line is ``MAP 0.xxx``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.checkworthiness.model import DEFAULT_ARTIFACT, Model


class Command(BaseCommand):
    help = "Print MAP, P@5 and P@10 of the check-worthiness ranking on labelled transcripts."

    def add_arguments(self, parser):
        parser.add_argument("--transcripts", type=Path, required=True)
        parser.add_argument(
            "--leave-one-out",
            action="store_true",
            help="retrain without each transcript in turn and rank it with that model",
        )
        parser.add_argument("--model", type=Path, default=DEFAULT_ARTIFACT)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        from annotations.checkworthiness import training

        try:
            transcripts = training.load_transcripts(options["transcripts"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if options["leave_one_out"]:
            if len(transcripts) < 2:
                raise CommandError("--leave-one-out needs at least two transcripts")
            scores = training.leave_one_out(transcripts, seed=options["seed"])
        else:
            scores = training.evaluate(transcripts, Model.load(options["model"]))
        for name, ap in scores.per_transcript:
            self.stdout.write(f"{name} AP {ap:.3f}")
        self.stdout.write("\n".join(scores.lines()))
