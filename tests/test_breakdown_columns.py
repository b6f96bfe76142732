"""Contributions are computed for a whole system at once (lca.engine.compute.attribute) and the
breakdowns summed by group (lca.balance.breakdown, np.add.at): every number must be the one the
plain per-exchange loop gives, bit for bit, not merely close (a breakdown sums to the total
exactly because both add the same numbers in the same order)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA, STUDIES

STUDY_FILES = [DATA / "tiny.yaml", DATA / "local-datasets.yaml", STUDIES / "demo-office-heating.yaml",
               STUDIES / "ev-battery-minerals.yaml", "zero-amount"]

# 0 kg of a flow whose gwp factor is -1: 1 x 0 x -1 is -0.0, written 0.0 (as the loop's `+ 0.0` did)
ZERO_AMOUNT = """\
study:
  id: zero-amount
  name: A zero amount of a flow with a negative factor
  functional_unit: {description: one run}
systems:
  ai:
    name: AI
    activities:
      - id: main
        name: Main
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {dataset: electricity.fr, amount: "2 kWh", assumption: test}
          - {flow: "Carbon dioxide, to soil or biomass stock (soil)", amount: "0 kg", assumption: test}
"""


def test_group_sums_add_each_row_in_order_as_a_loop_does():
    from lca.balance.breakdown import _group_sums

    rng = np.random.default_rng(7)
    # magnitudes from 1e-8 to 1e16 with both signs: the order of the additions changes the result
    values = rng.choice([1e16, -1e16, 1.0, 3.3, -2.7e-8, 0.1], size=(4000, 3)) * rng.random((4000, 3))
    codes = rng.integers(0, 5, size=4000)
    plain = [[0.0] * 3 for _ in range(5)]
    for code, row in zip(codes.tolist(), values.tolist()):
        for j, v in enumerate(row):
            plain[code][j] += v
    assert _group_sums(codes, 5, values).tolist() == plain  # exactly
    # the data does tell orders apart: adding the rows backwards gives other numbers
    backwards = [[0.0] * 3 for _ in range(5)]
    for code, row in zip(codes.tolist()[::-1], values.tolist()[::-1]):
        for j, v in enumerate(row):
            backwards[code][j] += v
    assert backwards != plain
    assert _group_sums(codes[:0], 2, values[:0]).tolist() == [[0.0] * 3, [0.0] * 3]


@pytest.fixture(scope="module", params=STUDY_FILES, ids=lambda p: getattr(p, "stem", p))
def computed(request, library, data_dir, tmp_path_factory):
    from lca.engine.compute import compute_study
    from lca.study import load_study, resolve

    path = request.param
    if path == "zero-amount":
        path = tmp_path_factory.mktemp("zero") / "zero-amount.yaml"
        path.write_text(ZERO_AMOUNT)
    resolved = resolve(load_study(path), library)
    lib = resolved.library or library
    return resolved, lib, compute_study(resolved, lib, data_dir)


def test_each_contribution_is_supply_times_amount_times_score_per_unit(computed):
    from lca.engine.compute import _per_unit

    resolved, _, out = computed
    m = out.matrices
    cumulative = m.cumulative_scores()
    for s, (key, system) in enumerate(resolved.systems.items()):
        con = out.contributions[key]
        plain = []
        for act in system.activities:
            x = float(m.supply[s][m.column((m.foreground, f"{key}/{act.id}"))])
            for inp in act.inputs:
                if inp.kind != "activity":
                    unit = _per_unit(m, resolved, inp, cumulative)
                    plain.append([x * float(inp.amount) * v + 0.0 for v in unit])
        assert con.values.tolist() == plain  # exactly, and no -0.0 (0.0 == -0.0, so compare the signs too)
        assert np.signbit(con.values).tolist() == np.signbit(np.array(plain, dtype=float)).tolist()
        assert not np.signbit(con.values[con.values == 0.0]).any()
        for j, c in enumerate(out.criteria):
            assert out.totals[key][c] == sum(row[j] for row in plain) + 0.0


def test_the_breakdowns_and_energy_are_the_sums_of_a_plain_loop(computed):
    from lca.balance.breakdown import system_results
    from lca.balance.energy import exchange_energies

    resolved, lib, out = computed
    energy_of = exchange_energies(lib)
    for key, result in system_results(resolved, out, lib).items():
        acts = {a.id: a for a in resolved.systems[key].activities}
        groups: dict[str, dict] = {"stage": {}, "phase": {}, "tier": {}, "activity": {a: {} for a in acts}}
        energy: dict[str, dict] = {"stage": {}, "phase": {}, "tier": {}, "activity": dict.fromkeys(acts, 0.0)}
        total, not_counted = 0.0, []
        for ex in result.exchanges:  # one per contribution, in order: the loop the code had
            act = acts[ex.activity]
            kwh = energy_of(ex.kind, ex.target, ex.supply, ex.amount)
            assert ex.energy == kwh
            if kwh is None and ex.target not in not_counted:
                not_counted.append(ex.target)
            total += kwh or 0.0
            for group, name in (("stage", act.stage), ("phase", act.phase), ("tier", act.tier), ("activity", act.id)):
                row = groups[group].setdefault(name, {})
                for c, v in ex.values.items():
                    row[c] = row.get(c, 0.0) + v
                energy[group][name] = energy[group].get(name, 0.0) + (kwh or 0.0)
        for name in acts:  # an activity with no input of its own: zero everywhere
            groups["activity"][name] = groups["activity"][name] or dict.fromkeys(out.criteria, 0.0)
        assert result.by_stage == groups["stage"] and list(result.by_stage) == list(groups["stage"])
        assert result.by_phase == groups["phase"] and list(result.by_phase) == list(groups["phase"])
        assert result.by_tier == groups["tier"] and list(result.by_tier) == list(groups["tier"])
        assert result.by_activity == groups["activity"] and list(result.by_activity) == list(acts)
        e = result.energy
        assert (e.by_stage, e.by_phase, e.by_tier, e.by_activity) == (
            energy["stage"], energy["phase"], energy["tier"], energy["activity"])
        assert e.total == total + 0.0 and e.not_counted == tuple(not_counted)
