"""Is the latest count of a series above what its history predicts?

``assess(counts, ...)`` answers for one series of counts per period (months by
default) with the improved Farrington algorithm (Farrington et al. 1996; Noufaily et
al. 2013), structured like R's ``surveillance::farringtonFlexible`` (not a port):

1. The baseline is every period from ``years_back`` years (plus ``half_window``
   periods) before the assessed one up to ``guard_periods`` periods before it.
2. A quasi-Poisson regression with a log link is fitted to the baseline: an intercept,
   a linear trend, and a seasonal factor with ``seasonal_levels`` levels. The first
   level is the window of ``2 * half_window + 1`` periods centred on the assessed
   period's position in each past year; the rest of each year is cut into
   ``seasonal_levels - 1`` consecutive blocks.
3. Past outbreaks are down-weighted: a baseline period whose standardised Anscombe
   residual exceeds ``reweight_threshold`` gets a weight proportional to the inverse of
   its squared residual, and the model is fitted again (``reweight_rounds`` times).
4. The trend stays if its p-value is at most ``trend_p_value`` and if it does not
   predict more than the largest count of the baseline (otherwise the model is fitted
   without it); it is tried only on a baseline of ``trend_min_years`` years or more.
5. The expected count is the model's prediction for the assessed period; the upper
   bound is the ``1 - alpha`` quantile of a negative binomial distribution with that
   mean and the estimated dispersion ``phi`` (variance ``phi * mean``; Poisson when
   ``phi`` is 1).
6. An alert needs a count above the upper bound **and** at least ``min_count`` (so that
   going from 1 to 2 is never an alert).

``ears_c2(counts, ...)`` is the CDC EARS C2 rule, the baseline of the backtest.

Plain Python, numpy, scipy and statsmodels: no Django, so that the management command,
a scheduled job or a notebook can call it on any series of counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy import stats

from .glm import fit_poisson

Status = Literal["assessed", "not_enough_history"]
MAX_COUNT = 1e12  # larger counts are taken for an error (and would overflow)


class InvalidCounts(ValueError):
    """The counts cannot be a series of event counts (negative, missing, fractional…)."""


@dataclass(frozen=True)
class Parameters:
    """The detector's settings. The defaults are the tuned ones (docs/escalation.md)."""

    years_back: int = 3  # b: how many past years the baseline reaches back
    half_window: int = 2  # w: periods either side of the same period in past years
    seasonal_levels: int = 3  # levels of the seasonal factor (1: no seasonality)
    guard_periods: int = 2  # most recent periods left out of the baseline
    alpha: float = 0.005  # the upper bound is the 1 - alpha quantile
    reweight_threshold: float | None = 2.58  # None: no down-weighting of past outbreaks
    reweight_rounds: int = 3  # 1: Farrington's single re-fit; more: re-weight again
    trend_p_value: float = 1.0  # keep the trend when its p-value is at most this (1: always)
    trend_cap: bool = True  # drop the trend when it predicts above the baseline's maximum
    trend_min_years: int = 3  # fit a trend only on a baseline spanning this many years
    min_count: int = 3  # an alert needs at least this many events in the period
    min_years: int = 2  # years of history needed before the assessed period


DEFAULT_PARAMETERS = Parameters()


@dataclass(frozen=True)
class Assessment:
    """What a detector says about one period of one series.

    ``expected`` and ``upper`` are ``None`` when there is not enough history. An alert
    means ``count > upper`` and ``count >= min_count``.
    """

    status: Status
    alert: bool
    count: int
    expected: float | None
    upper: float | None
    reason: str
    method: str = "farrington_flexible"
    dispersion: float | None = None
    trend: bool = False
    baseline_periods: int = 0

    @property
    def enough_history(self) -> bool:
        return self.status == "assessed"


@dataclass(frozen=True)
class Baseline:
    """The regression's prediction for one period, before any threshold."""

    expected: float
    dispersion: float
    trend: bool
    periods: int
    max_count: int


def assess(
    counts: Sequence[int] | np.ndarray,
    *,
    period_index: int | None = None,
    min_count: int | None = None,
    periods_per_year: int = 12,
    parameters: Parameters = DEFAULT_PARAMETERS,
    engine: str = "numpy",
) -> Assessment:
    """Assess one period of a series of counts against its history.

    ``counts`` holds one non-negative whole number per period, oldest first, with no
    gap (a period with no event is a 0). ``period_index`` is the period to assess (by
    default the last); only the periods before it are its history. ``min_count``
    overrides ``parameters.min_count``. ``periods_per_year`` is 12 for months (52 for
    weeks, 1 for years: then there is no seasonality). ``engine`` is ``"numpy"`` (our
    IRLS) or ``"statsmodels"`` (its GLM): the same numbers.

    Raises ``InvalidCounts`` (a ``ValueError``) with a sentence saying what is wrong
    for an empty series, a negative, missing, infinite or fractional count, or a
    ``period_index`` outside the series. A history too short gives an ``Assessment``
    with ``status="not_enough_history"`` and no alert.
    """
    y, current = _checked(counts, period_index, periods_per_year)
    if parameters.guard_periods >= periods_per_year:
        raise InvalidCounts(
            f"guard_periods ({parameters.guard_periods}) must be fewer than the periods "
            f"in a year ({periods_per_year}): set it to 0 for yearly counts."
        )
    if min_count is not None:
        if min_count < 1:
            raise InvalidCounts(f"min_count must be at least 1, not {min_count}.")
        parameters = replace(parameters, min_count=int(min_count))
    count = int(y[current])
    baseline = fit_baseline(y, current, parameters, periods_per_year, engine=engine)
    if isinstance(baseline, str):
        return Assessment("not_enough_history", False, count, None, None, baseline)
    upper = float(upper_bound(baseline.expected, baseline.dispersion, parameters.alpha))
    alert = count > upper and count >= parameters.min_count
    return Assessment(
        "assessed",
        alert,
        count,
        baseline.expected,
        upper,
        _reason(count, baseline, upper, parameters, periods_per_year),
        dispersion=baseline.dispersion,
        trend=baseline.trend,
        baseline_periods=baseline.periods,
    )


def _reason(
    count: int, baseline: Baseline, upper: float, parameters: Parameters, periods_per_year: int
) -> str:
    expected = f"{baseline.expected:.1f} expected from {baseline.periods} past periods"
    if baseline.max_count == 0:
        expected = f"no event in the {baseline.periods} past periods of the baseline"
    bound = f"an alert needs more than {upper:.0f} and at least {parameters.min_count}"
    if count > upper and count >= parameters.min_count:
        return f"Alert: {count} this period, {expected}; {bound}."
    if count > upper:
        return (
            f"No alert: {count} this period is above the upper bound of {upper:.0f} "
            f"({expected}) but below the minimum of {parameters.min_count} events."
        )
    return f"No alert: {count} this period, {expected}; {bound}."


def _checked(
    counts: Sequence[int] | np.ndarray, period_index: int | None, periods_per_year: int
) -> tuple[np.ndarray, int]:
    """The counts as an integer array, and the index of the assessed period."""
    if isinstance(counts, str | bytes):
        raise InvalidCounts("The counts must be a sequence of numbers, not a text.")
    try:
        raw = np.asarray(counts)
        if raw.dtype.kind in "USVb":
            raise TypeError
        values = raw.astype(float)
    except (TypeError, ValueError) as error:
        raise InvalidCounts("The counts must be whole numbers, one per period.") from error
    if values.ndim != 1:
        raise InvalidCounts("The counts must be a flat sequence, one number per period.")
    if values.size == 0:
        raise InvalidCounts("The series is empty: there is no period to assess.")
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidCounts(f"Period {int(np.argmax(bad))} has no count (NaN or infinite).")
    if (values < 0).any():
        raise InvalidCounts(f"Period {int(np.argmax(values < 0))} has a negative count.")
    if (values > MAX_COUNT).any():
        position = int(np.argmax(values > MAX_COUNT))
        raise InvalidCounts(f"Period {position} has a count too large to be events: above 1e12.")
    if (values != np.round(values)).any():
        position = int(np.argmax(values != np.round(values)))
        raise InvalidCounts(f"Period {position} has a count that is not a whole number.")
    if not isinstance(periods_per_year, int | np.integer) or periods_per_year < 1:
        raise InvalidCounts("periods_per_year must be a whole number of at least 1.")
    n = values.size
    if period_index is None:
        current = n - 1
    else:
        if not isinstance(period_index, int | np.integer) or not -n <= period_index < n:
            raise InvalidCounts(f"period_index {period_index!r} is outside the {n} periods.")
        current = int(period_index) % n
    return values.astype(np.int64), current


def seasonal_levels(
    offsets: np.ndarray, periods_per_year: int, half_window: int, levels: int
) -> np.ndarray:
    """The seasonal level (0 to ``levels - 1``) of periods ``offsets`` away from the
    assessed one: 0 within ``half_window`` of its position in the year, then blocks."""
    position = np.mod(offsets, periods_per_year)
    in_window = (position <= half_window) | (position >= periods_per_year - half_window)
    rest = periods_per_year - 2 * half_window - 1
    if levels <= 1 or rest <= 0:
        return np.zeros(offsets.shape, dtype=int)
    blocks = min(levels - 1, rest)
    block = 1 + ((position - half_window - 1) * blocks) // rest
    return np.where(in_window, 0, block).astype(int)


def fit_baseline(
    y: np.ndarray,
    current: int,
    parameters: Parameters,
    periods_per_year: int = 12,
    *,
    engine: str = "numpy",
) -> Baseline | str:
    """The expected count and dispersion for period ``current`` of the checked integer
    array ``y``, from the periods before it; or a sentence saying why there is not
    enough history."""
    f = periods_per_year
    needed = parameters.min_years * f
    if parameters.guard_periods >= f:
        return f"guard_periods ({parameters.guard_periods}) must be fewer than {f}."
    if current < needed:
        unit = {12: "months", 1: "years"}.get(f, "periods")
        return f"Not enough history: {current} {unit} before this one, {needed} needed."
    start = max(0, current - parameters.years_back * f - parameters.half_window)
    end = current - parameters.guard_periods
    response = y[start:end].astype(float)
    periods = end - start
    top = int(response.max())
    if top == 0:
        return Baseline(0.0, 1.0, False, periods, 0)
    offsets = np.arange(start, end) - current
    level = seasonal_levels(offsets, f, parameters.half_window, parameters.seasonal_levels)
    columns = [np.ones(periods)]
    columns += [(level == k).astype(float) for k in np.unique(level) if k != 0]
    seasonal = np.column_stack(columns)
    with_trend = parameters.trend_p_value > 0 and periods >= parameters.trend_min_years * f
    if with_trend:
        design = np.column_stack([seasonal, offsets / f])
        expected, dispersion, p_value = _fit(design, response, parameters, engine, trend=True)
        keep = p_value <= parameters.trend_p_value and not (parameters.trend_cap and expected > top)
        if keep:
            return Baseline(expected, dispersion, True, periods, top)
    expected, dispersion, _ = _fit(seasonal, response, parameters, engine, trend=False)
    return Baseline(expected, dispersion, False, periods, top)


def _fit(
    design: np.ndarray, response: np.ndarray, parameters: Parameters, engine: str, *, trend: bool
) -> tuple[float, float, float]:
    """Fit, down-weight past outbreaks, fit again: (prediction at the assessed period,
    dispersion floored at 1, p-value of the trend or 1)."""
    fit = fit_poisson(design, response, engine=engine)
    rounds = parameters.reweight_rounds if parameters.reweight_threshold is not None else 0
    for _ in range(rounds):
        dispersion = max(fit.pearson_dispersion, 1.0)
        residuals = anscombe_residuals(response, fit.mu, fit.hat, dispersion)
        weights = outbreak_weights(residuals, parameters.reweight_threshold)
        fit = fit_poisson(design, response, weights, engine=engine)
    dispersion = max(fit.pearson_dispersion, 1.0)
    # the assessed period: offset 0, seasonal level 0, so only the intercept counts
    expected = float(math.exp(fit.coefficients[0]))
    p_value = 1.0
    if trend:
        variance = dispersion * fit.cov_unscaled[-1, -1]
        if variance > 0:
            z = abs(fit.coefficients[-1]) / math.sqrt(variance)
            p_value = float(2 * stats.norm.sf(z))
    return expected, dispersion, p_value


def anscombe_residuals(
    y: np.ndarray, mu: np.ndarray, hat: np.ndarray, dispersion: float
) -> np.ndarray:
    """Standardised Anscombe residuals of a quasi-Poisson fit (Farrington et al. 1996)."""
    raw = 1.5 * (np.cbrt(y) ** 2 - np.cbrt(mu) ** 2) / mu ** (1 / 6)
    room = 1.0 - hat
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(room > 1e-8, raw / np.sqrt(dispersion * np.abs(room)), 0.0)


def outbreak_weights(residuals: np.ndarray, threshold: float) -> np.ndarray:
    """Weights ``gamma / r^2`` above the threshold and ``gamma`` elsewhere, summing to
    the number of periods (Farrington et al. 1996; threshold 2.58 in Noufaily et al.)."""
    high = residuals > threshold
    raw = np.where(high, 1.0 / np.where(high, residuals, 1.0) ** 2, 1.0)
    return raw * (len(residuals) / raw.sum())


def upper_bound(expected, dispersion, alpha: float):
    """The ``1 - alpha`` quantile of a negative binomial with this mean and variance
    ``dispersion * expected`` (a Poisson quantile when the dispersion is 1); 0 for an
    expected count of 0. Takes numbers or arrays of the same shape."""
    mean = np.asarray(expected, dtype=float)
    phi = np.asarray(dispersion, dtype=float)
    positive = np.maximum(mean, 1e-300)
    poisson = phi <= 1.0 + 1e-9
    nb_phi = np.where(poisson, 2.0, phi)
    quantile = np.where(
        poisson,
        stats.poisson.ppf(1 - alpha, positive),
        stats.nbinom.ppf(1 - alpha, positive / (nb_phi - 1.0), 1.0 / nb_phi),
    )
    quantile = np.where(mean > 0, quantile, 0.0)
    return float(quantile) if quantile.ndim == 0 else quantile


# --- the baseline: CDC EARS C2 ------------------------------------------------------

EARS_BASELINE = 7
EARS_LAG = 2
EARS_SIGMAS = 3.0


def ears_c2(
    counts: Sequence[int] | np.ndarray,
    *,
    period_index: int | None = None,
    min_count: int = 1,
) -> Assessment:
    """CDC EARS C2: the mean and standard deviation of the 7 periods ending 2 periods
    before the assessed one (periods t-9 to t-3); an alert when the count exceeds
    mean + 3 sd. ``min_count`` (1 by default, the published rule) adds a minimum."""
    y, current = _checked(counts, period_index, 12)
    count = int(y[current])
    if current < EARS_BASELINE + EARS_LAG:
        return Assessment(
            "not_enough_history",
            False,
            count,
            None,
            None,
            f"Not enough history: {current} periods before this one, "
            f"{EARS_BASELINE + EARS_LAG} needed.",
            method="ears_c2",
        )
    window = y[current - EARS_LAG - EARS_BASELINE : current - EARS_LAG].astype(float)
    mean = float(window.mean())
    upper = mean + EARS_SIGMAS * float(window.std(ddof=1))
    alert = count > upper and count >= min_count
    verdict = "Alert" if alert else "No alert"
    return Assessment(
        "assessed",
        alert,
        count,
        mean,
        upper,
        f"{verdict}: {count} this period, mean {mean:.1f} of periods t-9 to t-3; "
        f"an alert needs more than {upper:.1f}.",
        method="ears_c2",
        baseline_periods=EARS_BASELINE,
    )
