"""``solidarity intake evaluate FILE`` scores the extraction on HRDsAttack articles;
``intake agreement [CSV]`` measures the agreement between the dataset's annotators."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from solidarity.intake.agreement import DEFAULT_CSV, agreement
from solidarity.intake.hrdsattack import article_text, publication_date
from solidarity.intake.scoring import format_scores, score

PROGRESS_EVERY = 25


def load_extraction() -> tuple[Callable[..., Any], Callable[[Any], dict[str, Any]]]:
    """``extract`` and ``to_annotation``, imported when needed."""
    try:
        from solidarity.intake.extraction import extract, to_annotation
    except ImportError as error:
        raise CommandError(f"The extraction cannot be imported: {error}") from error
    return extract, to_annotation


def read_articles(path: str) -> list[tuple[Any, dict[str, Any], dict[str, Any]]]:
    """``(id, sample, gold annotation)`` of each article of an HRDsAttack JSON file."""
    try:
        with open(path, encoding="utf-8") as handle:
            items = json.load(handle)
    except FileNotFoundError as error:
        raise CommandError(f"No such file: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(items, list):
        raise CommandError(f"{path} should hold a list of articles in the HRDsAttack format.")
    articles = []
    for number, item in enumerate(items, start=1):
        try:
            sample = item["sample"]
            gold = item["annotations"][0]["annotation"]
            if not isinstance(sample, dict) or not isinstance(gold, dict):
                raise TypeError
        except (KeyError, IndexError, TypeError) as error:
            raise CommandError(
                f"{path}: article {number} is not in the HRDsAttack format "
                '(expected {"sample": {...}, "annotations": [{"annotation": {...}}]}).'
            ) from error
        articles.append((sample.get("Input.GLOBALEVENTID"), sample, gold))
    return articles


class Command(BaseCommand):
    help = "Evaluate the intake extraction on HRDsAttack articles, or measure annotator agreement."
    # Reads files and runs the extraction: no database, no keys needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        evaluate = subcommands.add_parser(
            "evaluate",
            help="Extract an incident from each article of an HRDsAttack JSON file "
            "and print the per-field scores against its annotation.",
        )
        evaluate.add_argument("file", help="A file in the HRDsAttack JSON format (dev.json).")
        evaluate.add_argument(
            "--predictions",
            metavar="OUT.jsonl",
            help='Write one JSON line per article: {"id": GLOBALEVENTID, "annotation": {...}}.',
        )
        evaluate.add_argument("--limit", type=int, help="Only the first N articles.")
        evaluate.add_argument("--json", action="store_true", help="Print the scores as JSON.")
        agreement_parser = subcommands.add_parser(
            "agreement",
            help="Score each of the three annotators of the raw AMT batch against the others "
            "and print the mean: the human ceiling.",
        )
        agreement_parser.add_argument(
            "csv",
            nargs="?",
            default=str(DEFAULT_CSV),
            help=f"The raw AMT results (default {DEFAULT_CSV}).",
        )
        agreement_parser.add_argument(
            "--json", action="store_true", help="Print the scores as JSON."
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "evaluate":
            self.evaluate(
                options["file"], options["predictions"], options["limit"], options["json"]
            )
        else:
            self.agreement(options["csv"], options["json"])

    def evaluate(
        self, path: str, predictions_path: str | None, limit: int | None, as_json: bool
    ) -> None:
        articles = read_articles(path)
        if limit is not None:
            articles = articles[: max(limit, 0)]
        extract, to_annotation = load_extraction()
        predictions_file = None
        if predictions_path:
            try:
                predictions_file = open(predictions_path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"Cannot write {predictions_path}: {error}") from error
        pairs = []
        failures = 0
        elapsed = 0.0
        try:
            for number, (event_id, sample, gold) in enumerate(articles, start=1):
                text = article_text(sample)
                published = publication_date(sample.get("Input.publish_date"))
                started = time.perf_counter()
                try:
                    predicted = to_annotation(extract(text, published=published))
                except Exception as error:  # one article must not stop the evaluation
                    failures += 1
                    predicted = {}
                    self.stderr.write(f"Article {event_id}: extraction failed: {error!r}")
                elapsed += time.perf_counter() - started
                pairs.append((gold, predicted))
                if predictions_file is not None:
                    line = {"id": event_id, "annotation": predicted}
                    predictions_file.write(json.dumps(line, ensure_ascii=False, default=str))
                    predictions_file.write("\n")
                if number % PROGRESS_EVERY == 0 and number < len(articles):
                    self.stderr.write(f"{number}/{len(articles)} articles")
        finally:
            if predictions_file is not None:
                predictions_file.close()
        scores = score(pairs)
        speed = len(pairs) / elapsed if elapsed > 0 else None
        if as_json:
            result = {**scores.to_dict(), "articles_per_second": speed, "failures": failures}
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(format_scores(scores, articles_per_second=speed))
            if failures:
                self.stdout.write(f"\nExtraction failed on {failures} article(s); see above.")
        if predictions_path:
            self.stderr.write(f"Predictions written to {predictions_path}")

    def agreement(self, path: str, as_json: bool) -> None:
        if not Path(path).is_file():
            raise CommandError(f"No such file: {path}")
        try:
            scores = agreement(path)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        if as_json:
            self.stdout.write(json.dumps(scores.to_dict(), indent=2))
        else:
            self.stdout.write(
                "Mean over the ordered pairs of annotators (one as gold, the other as "
                "prediction):\n"
            )
            self.stdout.write(format_scores(scores))
