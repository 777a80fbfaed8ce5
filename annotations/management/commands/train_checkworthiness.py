"""Train the check-worthiness scorer and write its artifact (issue 14).

    python manage.py train_checkworthiness [--transcripts DIR] [--out PATH] [--subset N] [--seed S]

Prints the leave-one-transcript-out figures on the same transcripts (unless
``--no-evaluate``), then writes the model trained on all of them.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.checkworthiness.model import DEFAULT_ARTIFACT


class Command(BaseCommand):
    help = "Train the check-worthiness model on CheckThat! 2019 transcripts; print its figures."

    def add_arguments(self, parser):
        parser.add_argument("--transcripts", type=Path, help="folder of .tsv transcripts")
        parser.add_argument("--out", type=Path, default=DEFAULT_ARTIFACT, help="artifact path")
        parser.add_argument("--subset", type=int, help="train on N transcripts chosen by --seed")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--c", type=float, help="inverse regularisation strength")
        parser.add_argument(
            "--no-evaluate", action="store_true", help="skip the leave-one-out figures"
        )

    def handle(self, *args, **options):
        from annotations.checkworthiness import training

        folder = options["transcripts"] or training.default_transcripts()
        try:
            transcripts = training.load_transcripts(
                folder, subset=options["subset"], seed=options["seed"]
            )
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        c = options["c"] if options["c"] is not None else training.DEFAULT_C
        meta: dict[str, object] = {
            "command": "train_checkworthiness"
            + (f" --subset {options['subset']}" if options["subset"] else "")
            + f" --seed {options['seed']} --c {c}",
        }
        if not options["no_evaluate"] and len(transcripts) > 1:
            started = time.monotonic()
            scores = training.leave_one_out(transcripts, c=c, seed=options["seed"])
            self.stdout.write(f"leave-one-transcript-out ({time.monotonic() - started:.0f} s):")
            for name, ap in scores.per_transcript:
                self.stdout.write(f"  {name} AP {ap:.3f}")
            meta["leave_one_out"] = {
                "MAP": round(scores.map, 4),
                "P@5": round(scores.p5, 4),
                "P@10": round(scores.p10, 4),
            }
        model = training.train(transcripts, c=c, seed=options["seed"], meta=meta)
        options["out"].parent.mkdir(parents=True, exist_ok=True)
        model.save(options["out"])
        size = options["out"].stat().st_size
        self.stdout.write(
            f"wrote {options['out']} ({size / 1024:.0f} KB; {len(model.words)} word terms, "
            f"{len(model.chars)} char terms) from {len(transcripts)} transcripts"
        )
        if "leave_one_out" in meta:
            self.stdout.write("\n".join(scores.lines()))
