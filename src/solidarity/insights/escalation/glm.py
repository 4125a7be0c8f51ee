"""A weighted Poisson regression (log link) fitted by iteratively reweighted least
squares, with the quasi-Poisson dispersion estimate: what the Farrington family of
outbreak detectors needs, and nothing more.

Two engines give the same numbers:

- ``"numpy"`` (the default): our own IRLS, about ten times faster than statsmodels on
  the small designs used here (60 to 100 rows, 2 to 6 columns), which is what makes
  the 1,000-series backtest take seconds rather than minutes;
- ``"statsmodels"``: ``statsmodels.api.GLM`` with the Poisson family, the prior
  weights as ``var_weights`` and Pearson's X² scale. The test suite checks that both
  agree.

The quasi-Poisson model has the Poisson mean and a variance ``phi * mu``; ``phi`` is
estimated by Pearson's statistic over the residual degrees of freedom, with the prior
weights, and floored at 1 by the caller (Farrington et al. 1996).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ITERATIONS = 50
TOLERANCE = 1e-8
# A fitted mean is never taken below this: a seasonal level with no event in the
# baseline drives its coefficient towards minus infinity, and the fit must still end.
MU_FLOOR = 1e-10
ETA_FLOOR = float(np.log(MU_FLOOR))


@dataclass(frozen=True)
class PoissonFit:
    coefficients: np.ndarray
    mu: np.ndarray  # fitted means of the rows
    cov_unscaled: np.ndarray  # (X'WX)^-1 (pseudo-inverse); times phi for the covariance
    hat: np.ndarray  # leverages (diagonal of the hat matrix)
    pearson_dispersion: float  # sum w (y - mu)^2 / mu / (n - p), not floored
    converged: bool


def fit_poisson(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, *, engine: str = "numpy"
) -> PoissonFit:
    """Fit ``log E[y] = X b`` by weighted Poisson maximum likelihood."""
    if engine == "statsmodels":
        return _fit_statsmodels(X, y, weights)
    if engine != "numpy":
        raise ValueError(f"Unknown engine {engine!r}: 'numpy' or 'statsmodels'.")
    return _fit_numpy(X, y, weights)


def _fit_numpy(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> PoissonFit:
    n, p = X.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    mu = y + 0.1  # R's starting values for the Poisson family
    eta = np.log(mu)
    deviance_old = np.inf
    converged = False
    beta = np.zeros(p)
    for _ in range(MAX_ITERATIONS):
        working = w * mu
        z = eta + (y - mu) / mu
        root = np.sqrt(working)
        beta, *_ = np.linalg.lstsq(X * root[:, None], z * root, rcond=None)
        eta = np.maximum(X @ beta, ETA_FLOOR)
        mu = np.exp(eta)
        deviance = 2.0 * float(np.sum(w * (_ylogy(y, mu) - (y - mu))))
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < TOLERANCE:
            converged = True
            break
        deviance_old = deviance
    working = w * mu
    cov = np.linalg.pinv((X.T * working) @ X)
    hat = np.einsum("ij,jk,ik->i", X, cov, X) * working
    residual_df = max(n - np.linalg.matrix_rank(X), 1)
    pearson = float(np.sum(w * (y - mu) ** 2 / mu) / residual_df)
    return PoissonFit(beta, mu, cov, hat, pearson, converged)


def _ylogy(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """``y * log(y / mu)``, zero where y is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)


def _fit_statsmodels(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> PoissonFit:
    import warnings

    import statsmodels.api as sm

    model = sm.GLM(y, X, family=sm.families.Poisson(), var_weights=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # perfect fits and empty levels: handled below
        result = model.fit(scale="X2", maxiter=MAX_ITERATIONS, tol=TOLERANCE)
    mu = np.maximum(np.asarray(result.fittedvalues, dtype=float), MU_FLOOR)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    working = w * mu
    cov = np.linalg.pinv((X.T * working) @ X)
    hat = np.einsum("ij,jk,ik->i", X, cov, X) * working
    return PoissonFit(
        np.asarray(result.params, dtype=float),
        mu,
        cov,
        hat,
        float(result.scale),
        bool(result.converged),
    )
