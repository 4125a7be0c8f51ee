"""``solidarity escalation backtest`` measures the escalation detector against CDC EARS
C2 on simulated series (and, with ``--real``, on real ones); ``escalation tune``
searches its parameters on another seed. See docs/escalation.md."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Backtest (or tune) the escalation detector on simulated and real series."
    # Simulates and reads files: no database, no keys needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        from solidarity.insights.escalation.backtest import (
            DEFAULT_SERIES,
            REPORT_SEED,
            TUNING_SEED,
        )
        from solidarity.insights.escalation.simulate import VARIANCES

        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        backtest = subcommands.add_parser(
            "backtest",
            help="Score the detector and EARS C2 on simulated monthly series, online.",
        )
        backtest.add_argument(
            "--series",
            type=int,
            default=DEFAULT_SERIES,
            help=f"How many simulated series (default {DEFAULT_SERIES}).",
        )
        backtest.add_argument(
            "--seed",
            type=int,
            default=REPORT_SEED,
            help=f"Seed of the simulation (default {REPORT_SEED}, the reported one).",
        )
        backtest.add_argument(
            "--json",
            action="store_true",
            help='Print one JSON object: {"methods": {NAME: {"x2": {"pod", "fpr", '
            '"median_delay"}, "x3": {...}}}} (anything else goes to stderr).',
        )
        backtest.add_argument(
            "--variance",
            choices=VARIANCES,
            default="phi",
            help="Over-dispersion of the simulated counts (default: variance phi × mean).",
        )
        backtest.add_argument(
            "--real",
            nargs="?",
            const="",
            metavar="DIR",
            help="Also run both detectors on real series built from the evaluation data "
            "in DIR (default: $SOLIDARITY_EVALDATA, or ../shared/evaldata).",
        )
        backtest.add_argument(
            "--chart",
            metavar="FILE.svg",
            help="With --real: draw the monthly real series and their alerts (needs matplotlib).",
        )
        tune = subcommands.add_parser(
            "tune", help="Search the detector's parameters on simulated series."
        )
        tune.add_argument("--series", type=int, default=400)
        tune.add_argument(
            "--seed",
            type=int,
            default=TUNING_SEED,
            help=f"Seed of the simulation (default {TUNING_SEED}: never the reported one).",
        )
        tune.add_argument(
            "--grid",
            choices=("coarse", "fine"),
            default="coarse",
            help="The coarse grid (first) or the fine one around its best (second).",
        )
        tune.add_argument("--top", type=int, default=20, help="How many trials to print.")

    def handle(self, *args, **options) -> None:
        if options["series"] < 4:
            raise CommandError("--series must be at least 4 (one of each kind of series).")
        if options["subcommand"] == "tune":
            self.tune(options)
        else:
            self.backtest(options)

    def backtest(self, options) -> None:
        from solidarity.insights.escalation import backtest

        as_json = options["json"]
        began = time.perf_counter()
        report = backtest.run(
            options["series"],
            options["seed"],
            variance=options["variance"],
            progress=None if as_json else lambda line: self.stderr.write(line),
        )
        elapsed = time.perf_counter() - began
        if as_json:
            self.stdout.write(json.dumps(report.as_json()))
        else:
            self.stdout.write(backtest.format_report(report))
            self.stdout.write(f"\nWall time: {elapsed:.1f} s")
        if options["real"] is not None:
            # with --json, stdout holds the JSON object alone: the rest goes to stderr
            self.real(
                options["real"] or None, options["chart"], self.stderr if as_json else self.stdout
            )
        elif options["chart"]:
            raise CommandError("--chart needs --real.")

    def real(self, given: str | None, chart_path: str | None, out) -> None:
        from solidarity.insights.escalation import real

        root = real.evaldata_dir(given)
        if root is None:
            where = given or f"${real.ENVIRONMENT_VARIABLE} or ../shared/evaldata"
            out.write(f"\nReal series skipped: no evaluation data at {where}.")
            return
        series, missing = real.load(root)
        for note in missing:
            out.write(note)
        if not series:
            out.write("\nReal series skipped: none could be built.")
            return
        results = [real.assess_series(one) for one in series]
        out.write(f"\nReal series from {root}:\n")
        out.write(real.format_results(results))
        if chart_path:
            out.write(real.chart(results, Path(chart_path)))

    def tune(self, options) -> None:
        from solidarity.insights.escalation import backtest

        began = time.perf_counter()
        trials = backtest.tune(
            options["series"],
            options["seed"],
            grid=options["grid"],
            progress=lambda line: self.stderr.write(line),
        )
        self.stdout.write(backtest.format_trials(trials, options["top"]))
        self.stdout.write(f"\n{len(trials)} trials, {time.perf_counter() - began:.0f} s")
