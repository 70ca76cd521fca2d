"""The greedy sequence of sited units: each year's layout is a subset of the next."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from gbad.siting import greedy_sequence


def _covered(a: np.ndarray, w: np.ndarray, sites: list[int]) -> float:
    return float(w[a[:, sites].any(axis=1)].sum()) if sites else 0.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_sites=st.integers(2, 7))
def test_greedy_sequence_equals_plain_greedy(seed: int, n_sites: int) -> None:
    # The lazy greedy (Minoux 1978) picks what plain greedy picks, step by step.
    rng = np.random.default_rng(seed)
    a = rng.random((25, n_sites + 2)) < 0.3
    w = rng.random(25)
    existing = np.array([0])
    chosen = np.arange(2, n_sites + 2)
    order = greedy_sequence(sparse.csr_array(a), w, existing, chosen)
    assert sorted(order) == chosen.tolist()
    standing = [0]
    for j in order:
        gains = {
            k: _covered(a, w, [*standing, k]) - _covered(a, w, standing)
            for k in chosen
            if k not in standing
        }
        assert gains[j] >= max(gains.values()) - 1e-12
        standing.append(j)


def test_prefixes_cover_no_less_than_any_other_first_site() -> None:
    a = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
    w = np.array([1.0, 1.0, 1.5, 0.2])
    order = greedy_sequence(sparse.csr_array(a), w, np.array([], dtype=int), np.arange(3))
    assert order == [0, 1, 2]
    for k in range(1, 4):
        best = max(_covered(a, w, list(c)) for c in itertools.combinations(range(3), k))
        assert _covered(a, w, order[:k]) >= best - 1e-12 or k == 1
