"""Simulated monthly series for the backtest: trend, seasonality, over-dispersion,
and (in half of them) an injected increase near the end.

Each series (all draws from one ``numpy.random.Generator`` seeded with ``seed``):

- length: 5 to 8 years of months (uniform over 5, 6, 7, 8);
- level ``m``: log-uniform between 0.5 and 30 events a month (most real series of
  attacks per country and family are small: the US Press Freedom Tracker's categories
  average 0.1 to 2 a month before 2020);
- trend: a log-linear change of -10 % to +10 % a year, the level ``m`` being reached
  in the middle of the series;
- seasonality: one yearly harmonic on the log scale, amplitude 0 to 0.5, random phase;
- over-dispersion: negative binomial counts with mean ``mu`` and variance
  ``phi * mu`` (the quasi-Poisson form, as in Noufaily et al.'s simulations), ``phi``
  uniform between 1.2 and 3 for each series; with ``variance="fixed_size"`` instead,
  variance ``mu + mu^2 / r`` with ``r = m / (phi - 1)`` (the same ratio at the level
  ``m``, growing with the mean: harder, a sensitivity check);
- past surges: the history before the evaluation window holds surges of its own, as
  real series do (about one every 3 years: a Poisson number with mean the years of
  history over 3), each 1 to 3 months long at 2 to 5 times the expected mean. They
  are what the detector's down-weighting of past outbreaks is for; ``past_surges=
  False`` leaves them out;
- the increase: series ``i`` with ``i % 4 == 2`` get a ×2 increase, ``i % 4 == 3`` a ×3
  one, the others none. It lasts 1 to 3 months and lies entirely within the last
  ``evaluation_periods`` months; during it the counts are drawn with ``factor`` times
  the expected mean (same ``phi``, or same ``r``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EVALUATION_PERIODS = 24
LEVEL_RANGE = (0.5, 30.0)
TREND_RANGE = 0.10  # per year, log scale
SEASONAL_AMPLITUDE = 0.5
DISPERSION_RANGE = (1.2, 3.0)


@dataclass(frozen=True)
class SimulatedSeries:
    counts: np.ndarray  # observed counts, one per month
    expected: np.ndarray  # the mean without the increase
    level: float
    dispersion: float  # phi: the variance-to-mean ratio (at the level m if "fixed_size")
    factor: int  # 1 (no increase), 2 or 3
    outbreak_start: int  # -1 when there is none
    outbreak_length: int  # 0 when there is none
    evaluation_start: int  # first period assessed in the backtest

    @property
    def outbreak(self) -> np.ndarray:
        """True for the periods of the increase."""
        mask = np.zeros(len(self.counts), dtype=bool)
        if self.outbreak_length:
            mask[self.outbreak_start : self.outbreak_start + self.outbreak_length] = True
        return mask


def factor_of(index: int) -> int:
    """Series 0, 1 (mod 4) have no increase, 2 a doubling, 3 a tripling."""
    return {0: 1, 1: 1, 2: 2, 3: 3}[index % 4]


VARIANCES = ("phi", "fixed_size")


def simulate(
    n_series: int,
    seed: int,
    *,
    evaluation_periods: int = EVALUATION_PERIODS,
    variance: str = "phi",
    past_surges: bool = True,
) -> list[SimulatedSeries]:
    if variance not in VARIANCES:
        raise ValueError(f"variance must be one of {VARIANCES}, not {variance!r}.")
    rng = np.random.default_rng(seed)
    series = []
    for index in range(n_series):
        years = int(rng.integers(5, 9))
        length = 12 * years
        level = float(np.exp(rng.uniform(np.log(LEVEL_RANGE[0]), np.log(LEVEL_RANGE[1]))))
        trend = rng.uniform(-TREND_RANGE, TREND_RANGE)
        amplitude = rng.uniform(0, SEASONAL_AMPLITUDE)
        phase = rng.uniform(0, 2 * np.pi)
        dispersion = rng.uniform(*DISPERSION_RANGE)
        duration = int(rng.integers(1, 4))
        evaluation_start = length - evaluation_periods
        start = int(rng.integers(evaluation_start, length - duration + 1))
        months = np.arange(length)
        expected = level * np.exp(
            trend * (months - (length - 1) / 2) / 12
            + amplitude * np.cos(2 * np.pi * months / 12 + phase)
        )
        factor = factor_of(index)
        mean = expected.copy()
        surges = int(rng.poisson(evaluation_start / 12 / 3))
        for _ in range(surges):
            length_of_surge = int(rng.integers(1, 4))
            begin = int(rng.integers(0, evaluation_start - length_of_surge + 1))
            size_of_surge = rng.uniform(2, 5)
            if past_surges:
                mean[begin : begin + length_of_surge] *= size_of_surge
        if factor > 1:
            mean[start : start + duration] *= factor
        if variance == "phi":
            size = mean / (dispersion - 1.0)
        else:
            size = np.full(length, level / (dispersion - 1.0))
        counts = rng.negative_binomial(size, size / (size + mean))
        series.append(
            SimulatedSeries(
                counts=counts.astype(np.int64),
                expected=expected,
                level=level,
                dispersion=float(dispersion),
                factor=factor,
                outbreak_start=start if factor > 1 else -1,
                outbreak_length=duration if factor > 1 else 0,
                evaluation_start=evaluation_start,
            )
        )
    return series
