"""Escalation monitoring: is the latest count of a series (country × violation family,
country × perpetrator type) above what its history predicts?

Plain Python, numpy, scipy and statsmodels, no Django (docs/escalation.md):

- ``detect``: ``assess(counts, ...)`` (the improved Farrington algorithm) and
  ``ears_c2(counts, ...)`` (the CDC EARS C2 rule) return an ``Assessment``;
- ``simulate``: monthly series with trend, seasonality, over-dispersion and
  injected increases;
- ``backtest``: both detectors on the same simulated series, online;
- ``real``: monthly (or yearly) counts from the evaluation data, and their alerts.
"""

from .detect import (
    DEFAULT_PARAMETERS,
    Assessment,
    InvalidCounts,
    Parameters,
    assess,
    ears_c2,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "Assessment",
    "InvalidCounts",
    "Parameters",
    "assess",
    "ears_c2",
]
