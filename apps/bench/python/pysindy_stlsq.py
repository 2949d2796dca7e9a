"""
pysindy's STLSQ re-implemented with numpy and scikit-learn, for the optional comparison row of
`npm run bench:dynamics` (kept beside the real-pysindy row of pysindy_fit.py, which runs only where
pysindy imports; this one needs numpy alone).

It follows pysindy's code path for `SINDy(optimizer=STLSQ(threshold, alpha, max_iter),
feature_library=PolynomialLibrary(degree)).fit(x, x_dot=x_dot)` (pysindy/optimizers/base.py
`BaseOptimizer.fit`, pysindy/optimizers/stlsq.py `STLSQ._reduce`, `_regress`,
`_sparse_coefficients`, `_no_change`; `_unbias`): the library columns as products of
combinations_with_replacement of the state columns; an initial np.linalg.lstsq guess; then per
iteration and per target sklearn's ridge_regression on that target's active columns, threshold
|c| >= threshold; stop when no coefficient was removed or the support did not change; finally the
unbias step, sklearn LinearRegression(fit_intercept=False) on each target's support.

Usage: python pysindy_stlsq.py DATA.json  ->  one JSON line on stdout
DATA.json: {"x": [[...]], "xdot": [[...]], "degree": 2, "threshold": 0.1, "alpha": 0.05,
            "maxIter": 20, "repeats": 20, "exponents": [[0,0,0], [1,0,0], ...]}
"""

import json
import sys
import time
import warnings
from itertools import chain, combinations_with_replacement

import numpy as np

try:
    from sklearn.linear_model import LinearRegression, ridge_regression

    BACKEND = "scikit-learn " + __import__("sklearn").__version__
except ImportError:  # numpy-only fallback with the same arithmetic as sklearn's 'cholesky' ridge solver
    LinearRegression = None
    BACKEND = "numpy only (scikit-learn missing)"

    def ridge_regression(x, y, alpha):
        import scipy.linalg

        a = x.T @ x
        a.flat[:: a.shape[0] + 1] += alpha
        return scipy.linalg.solve(a, x.T @ y, assume_a="pos")


def lstsq_fit(x, y):
    if LinearRegression is not None:
        return LinearRegression(fit_intercept=False).fit(x, y).coef_
    return np.linalg.lstsq(x, y, rcond=None)[0]


def polynomial_library(x, degree):
    """PolynomialLibrary(degree, include_bias=True, include_interaction=True).fit_transform(x)."""
    n = x.shape[1]
    combos = list(chain.from_iterable(combinations_with_replacement(range(n), d) for d in range(degree + 1)))
    theta = np.empty((x.shape[0], len(combos)))
    for k, comb in enumerate(combos):
        theta[:, k] = x[:, comb].prod(axis=1)
    return theta, combos


def stlsq(theta, y, threshold, alpha, max_iter):
    n_targets, n_features = y.shape[1], theta.shape[1]
    coef = np.linalg.lstsq(theta, y, rcond=None)[0].T  # BaseOptimizer.fit: initial guess
    history = [coef]
    ind = np.ones((n_targets, n_features), dtype=bool)
    n_selected = np.sum(ind)
    iters = 0
    optvar = np.zeros((n_targets, n_features))
    for _ in range(max_iter):
        if np.count_nonzero(ind) == 0:
            optvar = np.zeros((n_targets, n_features))
            break
        optvar = np.zeros((n_targets, n_features))
        for i in range(n_targets):
            if np.count_nonzero(ind[i]) == 0:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                coef_i = ridge_regression(theta[:, ind[i]], y[:, i], alpha)
            iters += 1
            c = np.zeros(n_features)
            c[ind[i]] = coef_i
            big = np.abs(c) >= threshold
            c[~big] = 0
            optvar[i] = c
            ind[i] = big
        history.append(optvar)
        last = history[-2].flatten() if len(history) > 1 else np.zeros(optvar.size)
        no_change = all(bool(a) == bool(b) for a, b in zip(optvar.flatten(), last))
        if np.sum(ind) == n_selected or no_change:
            break
    coef = optvar
    ind = np.abs(coef) > 1e-14
    out = np.zeros_like(coef)
    for i in range(n_targets):  # _unbias
        if np.any(ind[i]):
            out[i, ind[i]] = lstsq_fit(theta[:, ind[i]], y[:, i])
    return out, iters


def main():
    data = json.load(open(sys.argv[1]))
    x = np.asarray(data["x"], dtype=float)
    xdot = np.asarray(data["xdot"], dtype=float)
    args = (data["threshold"], data["alpha"], data["maxIter"])
    times = []
    for _ in range(data["repeats"] + 2):  # two warm-up fits
        t0 = time.perf_counter()
        theta, combos = polynomial_library(x, data["degree"])
        coef, iters = stlsq(theta, xdot, *args)
        times.append(time.perf_counter() - t0)
    times = times[2:]
    # Coefficients in liesym's column order (exponent vectors).
    index = {}
    for k, comb in enumerate(combos):
        e = [0] * x.shape[1]
        for v in comb:
            e[v] += 1
        index[tuple(e)] = k
    ordered = [[float(coef[i, index[tuple(e)]]) for e in data["exponents"]] for i in range(coef.shape[0])]
    print(
        json.dumps(
            {
                "backend": BACKEND,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "medianSeconds": float(np.median(times)),
                "minSeconds": float(np.min(times)),
                "repeats": len(times),
                "ridgeSolves": iters,
                "coefficients": ordered,
            }
        )
    )


if __name__ == "__main__":
    main()
