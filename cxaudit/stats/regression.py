"""Importance of predictors in a linear regression, from correlation matrices (numpy).

The arithmetic behind the key-driver analysis (``drivers.py``, docs/methodology-drivers.md):
every R² comes from a correlation matrix whose last row and column are the outcome, never
from refitting on raw rows. Functions take a stack of matrices (shape ``(..., m, m)``) so
the bootstrap replicates go through numpy together instead of through a Python loop.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

COLLINEAR = 1e-9
"""A standardised rating whose residual variance, given ratings already in the model, is at
most this adds nothing to R²: it is (numerically) a combination of them."""

VARIANCE_FLOOR = 1e-10
"""A column whose variance is at most this counts as constant. Answers are whole numbers, so
a column that varies at all has a variance of about 1/n or more."""

_CELLS = 1 << 22  # bootstrap weights held at once: replicates × rows (32 MiB of float64)
_ROWS = 8192  # rows whose cross products are formed at once


def correlations(data: Array) -> Array:
    """Pearson correlations of the columns of ``data`` (rows × columns, no missing values)."""
    centred = data - data.mean(axis=0)
    return normalise(centred.T @ centred / len(data))


def normalise(covariance: Array) -> Array:
    """Covariance matrices to correlation matrices.

    A constant column (possible in a bootstrap resample) is uncorrelated with everything:
    as a rating it then explains nothing, as the outcome it is explained by nothing.
    """
    variance = np.diagonal(covariance, axis1=-2, axis2=-1)
    varies = variance > VARIANCE_FLOOR
    scale = np.where(varies, 1 / np.sqrt(np.where(varies, variance, 1.0)), 0.0)
    result: Array = covariance * scale[..., :, None] * scale[..., None, :]
    size = covariance.shape[-1]
    result[..., np.arange(size), np.arange(size)] = 1.0
    return result


def subset_r2(corr: Array) -> Array:
    """R² of the outcome on every subset of the ratings: ``result[..., mask]``, where bit j
    of ``mask`` is set when rating j is in the model (``mask`` 0 is the empty model).

    Walks the subsets depth first, each step partialling one more rating out of the rest of
    the matrix (a Schur complement, the sweep operator without its bookkeeping): after the
    ratings of S are out, the outcome's remaining variance is 1 − R²(S). That is 2ᵏ − 1
    small steps instead of 2ᵏ matrix inversions, and a rating that is a combination of
    earlier ones (residual variance ≤ ``COLLINEAR``) is skipped: it adds nothing.
    """
    k = corr.shape[-1] - 1
    r2 = np.zeros((*corr.shape[:-2], 1 << k))

    def walk(matrix: Array, mask: int, first: int) -> None:
        for p in range(matrix.shape[-1] - 1):
            pivot = matrix[..., p, p]
            rest = matrix[..., p + 1 :, p + 1 :]
            column = matrix[..., p + 1 :, p]
            collinear = pivot <= COLLINEAR
            safe = np.where(collinear, 1.0, pivot)[..., None, None]
            partial = rest - column[..., :, None] * column[..., None, :] / safe
            partial = np.where(collinear[..., None, None], rest, partial)
            subset = mask | 1 << (first + p)
            r2[..., subset] = 1 - partial[..., -1, -1]
            walk(partial, subset, first + p + 1)

    walk(corr, 0, 0)
    return r2


def shapley_weights(k: int) -> Array:
    """Weight of a subset of size s not holding rating j: s!(k − s − 1)!/k!."""
    return np.array(
        [math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)]
    )


def shapley(r2: Array) -> Array:
    """Shapley decomposition of R² (``r2`` as from ``subset_r2``): rating j's share is its
    gain in R², R²(S ∪ j) − R²(S), averaged over every order of adding the ratings."""
    k = r2.shape[-1].bit_length() - 1
    masks = np.arange(1 << k)
    sizes = np.array([bin(mask).count("1") for mask in range(1 << k)])
    weights = shapley_weights(k)
    values = []
    for j in range(k):
        without = masks[(masks >> j) & 1 == 0]
        gains = r2[..., without | 1 << j] - r2[..., without]
        values.append(gains @ weights[sizes[without]])
    return np.stack(values, axis=-1)


def relative_weights(corr: Array) -> Array:
    """Johnson's (2000) relative weights of the ratings, for one correlation matrix.

    Λ = R^½ (R the ratings' correlations) links the ratings to their closest orthogonal
    versions Z; the outcome is regressed on Z (β = Λ⁻¹r) and each rating gets
    εⱼ = Σₖ Λⱼₖ² βₖ². Directions with eigenvalue ≤ ``COLLINEAR`` are dropped, so identical
    ratings split their weight.
    """
    ratings, outcome = corr[:-1, :-1], corr[:-1, -1]
    eigenvalues, vectors = np.linalg.eigh(ratings)
    keep = eigenvalues > COLLINEAR
    root = (vectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ vectors.T
    inverse_root = (vectors[:, keep] / np.sqrt(eigenvalues[keep])) @ vectors[:, keep].T
    beta = inverse_root @ outcome
    weights: Array = (root**2) @ (beta**2)
    return weights


def bootstrap_correlations(data: Array, *, replicates: int, seed: int) -> Array:
    """Correlation matrices of ``replicates`` resamples of the rows (with replacement).

    A resample is a vector of counts (how often each row was drawn), so its moments are a
    matrix product of the counts with each row's values and cross products, in blocks that
    bound memory whatever the number of rows. Same data, replicates and seed: same result.
    """
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    n, m = data.shape
    centred = data - data.mean(axis=0)
    rows, cols = np.triu_indices(m)
    rng = np.random.default_rng(seed)
    batch = max(1, min(replicates, _CELLS // n))
    counts = np.empty((batch, n))
    result = np.empty((replicates, m, m))
    for start in range(0, replicates, batch):
        size = min(batch, replicates - start)
        for i in range(size):
            counts[i] = np.bincount(rng.integers(0, n, n), minlength=n)
        sums = np.zeros((size, m))
        products = np.zeros((size, len(rows)))
        for low in range(0, n, _ROWS):
            block = centred[low : low + _ROWS]
            weights = counts[:size, low : low + _ROWS]
            sums += weights @ block
            products += weights @ (block[:, rows] * block[:, cols])
        means = sums / n
        covariance = np.empty((size, m, m))
        covariance[:, rows, cols] = products / n
        covariance[:, cols, rows] = products / n
        covariance -= means[:, :, None] * means[:, None, :]
        result[start : start + size] = normalise(covariance)
    return result


def percentile_interval(samples: npt.NDArray[Any], level: float = 0.95) -> tuple[Array, Array]:
    """Percentile bootstrap interval along the first axis (numpy's linear interpolation)."""
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
