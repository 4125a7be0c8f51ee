"""Both detectors on real series: counts per period built from the evaluation data
(read where it lies, never copied), and the alerts each would have raised.

- US Press Freedom Tracker (``us_press_freedom_tracker/incidents_2014_2021.csv``):
  monthly counts per category (a multi-valued column: an incident counts in each of
  its categories) for the United States. The tracker's coverage starts in 2017 (three
  incidents are dated earlier): leading years with fewer than ``MIN_EVENTS_A_YEAR``
  incidents in all are left out.
- Colombian social leaders killed (``colombia_social_leaders_killed/...csv``):
  monthly counts of killings, June 2016 to October 2017: 17 months, too short for the
  Farrington baseline (two years needed), long enough for EARS C2.
- CPJ journalists killed (``cpj_journalists_killed/cpj_killed_1992_2022.csv``): the
  export has the year only, so these series are yearly (``periods_per_year=1``, no
  seasonality): per country all killings (the family), and per country × source of
  fire (the perpetrator type).

A series is assessed only with ``MIN_SERIES_EVENTS`` events or more in all. Nothing
here names a person: the series are counts per country, category and period.
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .detect import DEFAULT_PARAMETERS, Assessment, Parameters, assess, ears_c2

ENVIRONMENT_VARIABLE = "SOLIDARITY_EVALDATA"
MIN_SERIES_EVENTS = 20
MIN_EVENTS_A_YEAR = 10

US_TRACKER = Path("us_press_freedom_tracker") / "incidents_2014_2021.csv"
COLOMBIA = Path("colombia_social_leaders_killed") / "lideres_sociales_2016_2017.csv"
CPJ = Path("cpj_journalists_killed") / "cpj_killed_1992_2022.csv"

# Yearly series have one period a year: the baseline reaches 10 years back, needs 5,
# and leaves no year out (no window, no guard); the rest as for months.
YEARLY_PARAMETERS = replace(
    DEFAULT_PARAMETERS, years_back=10, half_window=0, guard_periods=0, min_years=5
)


@dataclass(frozen=True)
class RealSeries:
    source: str
    name: str  # "United States × Physical Attack"
    dimension: str  # "violation family" or "perpetrator type"
    periods: tuple[str, ...]  # "2020-05" or "2012"
    counts: np.ndarray
    periods_per_year: int


@dataclass
class SeriesResult:
    series: RealSeries
    assessments: dict[str, list[Assessment]] = field(default_factory=dict)

    def alerts(self, method: str) -> list[tuple[str, Assessment]]:
        return [
            (period, a)
            for period, a in zip(self.series.periods, self.assessments[method], strict=True)
            if a.alert
        ]

    def assessed(self, method: str) -> int:
        return sum(1 for a in self.assessments[method] if a.enough_history)


def evaldata_dir(given: str | None = None) -> Path | None:
    """The folder given, or $SOLIDARITY_EVALDATA, or ../shared/evaldata beside the
    repository; ``None`` when none of them exists."""
    candidates = [given] if given else []
    if not given:
        if os.environ.get(ENVIRONMENT_VARIABLE):
            candidates.append(os.environ[ENVIRONMENT_VARIABLE])
        candidates.append(str(Path(__file__).resolve().parents[5] / "shared" / "evaldata"))
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _monthly(
    source: str, dimension: str, events: Iterable[tuple[str, str]], first: str, last: str
) -> list[RealSeries]:
    """One monthly series per key of ``(month, key)`` events, from ``first`` to ``last``."""
    months = _months(first, last)
    position = {m: i for i, m in enumerate(months)}
    by_key: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(months), dtype=np.int64))
    for month, key in events:
        if month in position:
            by_key[key][position[month]] += 1
    return [
        RealSeries(source, key, dimension, tuple(months), counts, 12)
        for key, counts in sorted(by_key.items())
        if counts.sum() >= MIN_SERIES_EVENTS
    ]


def us_tracker(root: Path) -> list[RealSeries]:
    with open(root / US_TRACKER, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if len(r.get("date") or "") >= 7]
    per_year = Counter(r["date"][:4] for r in rows)
    first_year = min(y for y, n in per_year.items() if n >= MIN_EVENTS_A_YEAR)
    events = []
    for row in rows:
        if row["date"][:4] < first_year:
            continue
        for category in (row.get("categories") or "").split(","):
            if category.strip():
                events.append((row["date"][:7], f"United States × {category.strip()}"))
    last = max(r["date"][:7] for r in rows)
    return _monthly(
        "US Press Freedom Tracker", "violation family", events, f"{first_year}-01", last
    )


def colombia(root: Path) -> list[RealSeries]:
    with open(root / COLOMBIA, encoding="utf-8", newline="") as handle:
        months = [r["Fecha"][:7] for r in csv.DictReader(handle) if len(r.get("Fecha") or "") >= 7]
    events = [(m, "Colombia × killing (social leaders)") for m in months]
    return _monthly(
        "Colombian social leaders killed", "violation family", events, min(months), max(months)
    )


def cpj(root: Path) -> list[RealSeries]:
    with open(root / CPJ, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("year") or "").strip()]
    years = sorted({int(float(r["year"])) for r in rows})
    labels = tuple(str(y) for y in range(years[0], years[-1] + 1))
    index = {label: i for i, label in enumerate(labels)}
    family: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(labels), dtype=np.int64))
    perpetrator: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(labels), dtype=np.int64))
    for row in rows:
        country = (row.get("country") or "").strip()
        if not country:
            continue
        i = index[str(int(float(row["year"])))]
        family[f"{country} × killing"][i] += 1
        for fire in {f.strip() for f in (row.get("sourcesOfFire") or "").split(",")}:
            if fire and fire.lower() not in ("unknown", "unknown fire"):
                perpetrator[f"{country} × {fire}"][i] += 1
    out = []
    for dimension, table in (("violation family", family), ("perpetrator type", perpetrator)):
        out += [
            RealSeries("CPJ journalists killed", key, dimension, labels, counts, 1)
            for key, counts in sorted(table.items())
            if counts.sum() >= MIN_SERIES_EVENTS
        ]
    return out


LOADERS: dict[str, tuple[Path, Callable[[Path], list[RealSeries]]]] = {
    "US Press Freedom Tracker": (US_TRACKER, us_tracker),
    "Colombian social leaders killed": (COLOMBIA, colombia),
    "CPJ journalists killed": (CPJ, cpj),
}


def load(root: Path) -> tuple[list[RealSeries], list[str]]:
    """Every series that can be built from ``root``, and a note for each missing file."""
    series, missing = [], []
    for name, (path, loader) in LOADERS.items():
        if (root / path).is_file():
            series += loader(root)
        else:
            missing.append(f"{name}: {root / path} is missing, skipped.")
    return series, missing


def assess_series(series: RealSeries, parameters: Parameters | None = None) -> SeriesResult:
    """Every period of the series assessed by both detectors, online."""
    if parameters is None:
        parameters = DEFAULT_PARAMETERS if series.periods_per_year > 1 else YEARLY_PARAMETERS
    result = SeriesResult(series)
    n = len(series.counts)
    result.assessments["farrington_flexible"] = [
        assess(
            series.counts,
            period_index=t,
            periods_per_year=series.periods_per_year,
            parameters=parameters,
        )
        for t in range(n)
    ]
    result.assessments["ears_c2"] = [ears_c2(series.counts, period_index=t) for t in range(n)]
    return result


def format_results(results: list[SeriesResult]) -> str:
    methods = ("farrington_flexible", "ears_c2")
    lines = [
        f"{'source':<34}{'series':<48}{'periods':>8}"
        + "".join(f"{m + ' assessed/alerts':>34}" for m in methods)
    ]
    for r in results:
        cells = "".join(f"{f'{r.assessed(m)}/{len(r.alerts(m))}':>34}" for m in methods)
        lines.append(f"{r.series.source:<34}{r.series.name:<48}{len(r.series.counts):>8}{cells}")
    lines += ["", "Alerts (period: count, expected, upper bound; method):"]
    for r in results:
        by_period: dict[str, list[str]] = defaultdict(list)
        for m in methods:
            for period, a in r.alerts(m):
                by_period[period].append(f"{m} {a.count} vs {a.expected:.1f} (> {a.upper:.1f})")
        if by_period:
            lines.append(f"  {r.series.source} — {r.series.name}:")
            for period in sorted(by_period):
                lines.append(f"    {period}: " + "; ".join(by_period[period]))
    return "\n".join(lines)


def chart(results: list[SeriesResult], path: Path) -> str:
    """An SVG chart of the monthly series with their expected counts, upper bounds and
    alerts (matplotlib, imported here: it is not a dependency of the project)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no chart drawn (pip install matplotlib)."
    monthly = [r for r in results if r.series.periods_per_year == 12]
    if not monthly:
        return "No monthly series: no chart drawn."
    matplotlib.rcParams["svg.hashsalt"] = "escalation"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: a smaller file
    figure, axes = plt.subplots(len(monthly), 1, figsize=(10, 2.0 * len(monthly)), sharex=False)
    axes = np.atleast_1d(axes)
    for ax, r in zip(axes, monthly, strict=True):
        x = np.arange(len(r.series.counts))
        ours = r.assessments["farrington_flexible"]
        ears = r.assessments["ears_c2"]
        ax.bar(x, r.series.counts, color="#bbbbbb", width=0.9, label="count")
        upper = [a.upper if a.enough_history else np.nan for a in ours]
        expected = [a.expected if a.enough_history else np.nan for a in ours]
        ax.plot(x, expected, color="#1f77b4", lw=1, label="expected (Farrington)")
        ax.plot(x, upper, color="#1f77b4", lw=1, ls="--", label="upper bound")
        mine = [t for t, a in enumerate(ours) if a.alert]
        theirs = [t for t, a in enumerate(ears) if a.alert]
        top = max(1, int(r.series.counts.max()))
        ax.plot(
            mine,
            [top * 1.08] * len(mine),
            "v",
            color="#d62728",
            ms=5,
            label="alert: farrington_flexible",
        )
        ax.plot(
            theirs, [top * 1.18] * len(theirs), "v", color="#ff7f0e", ms=5, label="alert: ears_c2"
        )
        ax.set_ylim(0, top * 1.3)
        ax.set_yscale("linear")
        ax.set_title(f"{r.series.name} ({r.series.source})", fontsize=9, loc="left")
        ticks = [t for t, p in enumerate(r.series.periods) if p.endswith("-01")]
        ax.set_xticks(ticks, [r.series.periods[t][:4] for t in ticks], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    axes[0].legend(fontsize=7, ncol=5, loc="upper left", bbox_to_anchor=(0, 1.45))
    figure.tight_layout()
    if path.suffix.lower() == ".png":
        figure.savefig(path, format="png", dpi=80)
    else:
        figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return f"Chart written to {path}."
