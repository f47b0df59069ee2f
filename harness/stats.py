"""Summaries of measured timings, the same way in every benchmark and test."""

from __future__ import annotations

import math


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) of `values` by the nearest-rank-on-index rule (NaN if empty):
    with few samples a reported p95 is an observed value, never an interpolation."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def p50_p95(values) -> tuple[float, float]:
    return percentile(values, 50), percentile(values, 95)
