"""Benchmark the targets/budget/industry stages against alternatives, side by side.

1. Divisor apportionment (Webster) of the very-short tier's 10,325 units among 30
   allies: gbad's heap-based sequential method vs the textbook loop that scans every
   ally for the largest priority at each seat (same answer required).
2. The least-cost MILP of the default scenario (30 allies x 5 tiers): gbad's
   ``least_cost_targets`` (highspy) vs the same model in PuLP solved by CBC.
3. The whole default industry stage (14 delivery simulations), timed once.

Run: ``.venv/bin/python bench/bench_targets.py``
"""

from __future__ import annotations

import time

import numpy as np
import pulp

from gbad.budget import compute_budget
from gbad.industry import compute_industry
from gbad.reference import load_reference
from gbad.scenario import Scenario
from gbad.targets import compute_targets, webster
from gbad.targets.optimise import least_cost_targets


def textbook_webster(weights: list[float], house: int) -> list[int]:
    seats = [0] * len(weights)
    for _ in range(house):
        k = max(range(len(weights)), key=lambda i: (weights[i] / (seats[i] + 0.5), weights[i]))
        seats[k] += 1
    return seats


def best_of(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


#: CBC is stopped after this long (it may not prove optimality on the big-M model).
CBC_LIMIT_S = 60


def pulp_least_cost(cost, base, totals, budget) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    """The same two-phase model as ``least_cost_targets``, in PuLP, solved by CBC."""
    n, m = cost.shape

    def build(phase: int, max_short: float):  # type: ignore[no-untyped-def]
        prob = pulp.LpProblem(f"least_cost_{phase}", pulp.LpMinimize)
        x = {
            (i, t): pulp.LpVariable(
                f"x_{i}_{t}", lowBound=int(base[i, t]), upBound=int(totals[t]), cat="Integer"
            )
            for i in range(n)
            for t in range(m)
        }
        s = {t: pulp.LpVariable(f"s_{t}", lowBound=0) for t in range(m)}
        if phase == 1:
            prob += pulp.lpSum(s.values())
        else:
            prob += pulp.lpSum(cost[i, t] * x[i, t] for i in range(n) for t in range(m))
            prob += pulp.lpSum(s.values()) <= max_short + 1e-6
        for t in range(m):
            prob += pulp.lpSum(x[i, t] for i in range(n)) + s[t] == int(totals[t])
        for i in range(n):
            floor = float((cost[i] * base[i]).sum())
            prob += pulp.lpSum(cost[i, t] * x[i, t] for t in range(m)) <= float(budget[i]) + floor
        prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=CBC_LIMIT_S, gapRel=0.0))
        return prob, x, s

    _, _, s1 = build(1, 0.0)
    short = float(sum(v.value() or 0.0 for v in s1.values()))
    p2, x, _ = build(2, short)
    status = pulp.LpStatus[p2.status]
    value = float(
        sum(cost[i, t] * ((x[i, t].value() or 0) - base[i, t]) for i in range(n) for t in range(m))
    )
    return value, status


def main() -> None:
    ref, sc = load_reference(), Scenario()
    t = compute_targets(ref, sc)
    vs = t.table[t.table["tier"] == "very-short"]
    weights, house = t.shares.tolist(), int(vs["target"].sum())
    a = webster(weights, house).seats.tolist()
    b = textbook_webster(weights, house)
    assert a == b, "the two Webster implementations disagree"
    tg = best_of(lambda: webster(weights, house))
    tt = best_of(lambda: textbook_webster(weights, house))
    print(
        f"webster {house} seats x {len(weights)} allies: gbad {tg:.4f} s, textbook loop "
        f"{tt:.4f} s, ratio {tg / tt:.3f} (identical seats)"
    )

    budget = compute_budget(ref, sc, t)
    # rebuild the least-cost instance exactly as the budget stage does
    from gbad.budget.costs import system_costs

    sysc = system_costs(ref.systems)
    piv = budget.costs.set_index(["iso3", "tier"])
    tiers = list(t.tiers["tier"])
    iso3 = list(budget.countries["iso3"])
    years = sc.horizon_year - sc.base_year
    life = piv["system"].map(sysc["capex_musd"]).fillna(0.0) + years * piv["system"].map(
        sysc["opex_musd_per_year"]
    ).fillna(0.0)
    cost = np.array([[float(life.get((i, x), 0.0)) for x in tiers] for i in iso3])
    base = np.array([[int(piv.at[(i, x), "baseline"]) for x in tiers] for i in iso3])
    totals = t.tiers["collective_target"].to_numpy()
    bud = np.clip(budget.countries["budget_to_horizon_musd"].to_numpy(dtype=float), 0, None)
    res = least_cost_targets(cost, base, totals, bud)
    t_h = best_of(lambda: least_cost_targets(cost, base, totals, bud), 1)
    t0 = time.perf_counter()
    pulp_cost, status = pulp_least_cost(cost, base, totals, bud)
    t_p = time.perf_counter() - t0
    print(
        f"least-cost MILP {len(iso3)}x{len(tiers)}: gbad/highspy {t_h:.3f} s (cost "
        f"{res.cost_musd:,.0f}), PuLP/CBC {t_p:.3f} s (cost {pulp_cost:,.0f}, {status}, "
        f"limit {CBC_LIMIT_S} s), "
        f"ratio {t_h / t_p:.3f}"
    )

    t0 = time.perf_counter()
    compute_industry(ref, sc, t, budget)
    print(f"industry stage (default scenario, 14 simulations): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
