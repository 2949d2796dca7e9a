"""
pysindy itself on the Lorenz data of `npm run bench:dynamics`, for the optional real-pysindy row.

Times `SINDy(optimizer=STLSQ(threshold, alpha, max_iter), feature_library=PolynomialLibrary(degree))
.fit(x, t=dt, x_dot=x_dot)` with the derivatives given (so pysindy's differentiation is not run),
fitting a fresh model each time; the median over `repeats` fits after two warm-up fits. STLSQ's
other options are pysindy's defaults (normalize_columns=False, unbias=True, ridge_kw=None,
initial_guess=None); PolynomialLibrary's too (include_interaction=True, include_bias=True).

Usage: python pysindy_fit.py DATA.json  ->  one JSON line on stdout
DATA.json: the same file as pysindy_stlsq.py's, plus "dt".
Exit status 3 (and a message on stderr) when pysindy cannot be imported.
"""

import json
import sys
import time

import numpy as np

try:
    import pysindy
except Exception as e:  # noqa: BLE001 - any import failure means "no real-pysindy row"
    print(f"pysindy not importable: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(3)


def main():
    data = json.load(open(sys.argv[1]))
    x = np.asarray(data["x"], dtype=float)
    xdot = np.asarray(data["xdot"], dtype=float)
    dt = float(data["dt"])

    def model():
        return pysindy.SINDy(
            optimizer=pysindy.STLSQ(threshold=data["threshold"], alpha=data["alpha"], max_iter=data["maxIter"]),
            feature_library=pysindy.PolynomialLibrary(degree=data["degree"]),
        )

    times = []
    fitted = None
    for _ in range(data["repeats"] + 2):  # two warm-up fits
        m = model()
        t0 = time.perf_counter()
        m.fit(x, t=dt, x_dot=xdot)
        times.append(time.perf_counter() - t0)
        fitted = m
    times = times[2:]
    coef = fitted.coefficients()
    # Coefficients in liesym's column order (exponent vectors).
    index = {tuple(int(p) for p in row): k for k, row in enumerate(fitted.feature_library.powers_)}
    ordered = [[float(coef[i, index[tuple(e)]]) for e in data["exponents"]] for i in range(coef.shape[0])]
    import sklearn

    print(
        json.dumps(
            {
                "pysindy": pysindy.__version__,
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "medianSeconds": float(np.median(times)),
                "minSeconds": float(np.min(times)),
                "repeats": len(times),
                "coefficients": ordered,
            }
        )
    )


if __name__ == "__main__":
    main()
