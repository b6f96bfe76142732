"""Engine tests on tiny systems whose results can be computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

import lca
from conftest import DATA

# tests/data/tiny.yaml, per functional unit (one run):
#   AI:  compute  1 MWh French electricity x 0.056 kgCO2e/kWh             =  56    kgCO2e
#        leak     10 kg methane, fossil x 29.8 (AR6 GWP100, ecoinvent 3.9)  = 297.8 kgCO2e (factor read below)
#                 2 kg cobalt x 1.56882e-5 kgSbe/kg (CML v4.8)              = 3.13764e-5 kgSbe
#        gpus     2 GPUs x 4380 h / (8760 h x 0.5 utilisation) = 2 GPU-lives x 150 kgCO2e = 300 kgCO2e
#   reference: 2000 kWh world electricity x 0.475                           = 950   kgCO2e


def _ch4_factor(library):
    flow = library.find_flow("Methane, fossil (air)")
    return next(cf.factor for cf in library.factors["gwp"] if cf.flow == flow.id)


def test_totals_match_hand_computation(tiny_result, library):
    ch4 = _ch4_factor(library)
    assert ch4 == pytest.approx(29.8, abs=0.05)
    ai = tiny_result.systems["ai"].total
    assert ai["gwp"] == pytest.approx(56 + 10 * ch4 + 300, rel=1e-6)
    assert ai["adpe"] == pytest.approx(2 * 1.56882e-5, rel=1e-6)
    assert tiny_result.systems["reference"].total["gwp"] == pytest.approx(950, rel=1e-6)


def test_net_is_ai_minus_reference(tiny_result, library):
    ch4 = _ch4_factor(library)
    assert tiny_result.net["gwp"] == pytest.approx(56 + 10 * ch4 + 300 - 950, rel=1e-6)
    assert tiny_result.net["adpe"] == pytest.approx(2 * 1.56882e-5, rel=1e-6)


@pytest.mark.parametrize("breakdown", ["by_stage", "by_phase", "by_tier", "by_activity"])
def test_breakdowns_sum_to_totals(tiny_result, breakdown):
    for system in tiny_result.systems.values():
        parts = getattr(system, breakdown)
        for crit, total in system.total.items():
            assert sum(p[crit] for p in parts.values()) == pytest.approx(total, rel=1e-9, abs=1e-15)


def test_every_breakdown_key_by_hand(tiny_result, library):
    """Each key of each breakdown against its hand value (sums hold by construction, keys do not).

    AI: compute (C1, training, data_centre) 1000 kWh FR x 0.056 = 56; leak (C2, none, other)
    10 kg CH4 x 29.8 = 298 and 2 kg cobalt; gpus (A+B1, training, data_centre) 300.
    Reference: compute (C1, none, data_centre) 2000 kWh world x 0.475 = 950.
    """
    ch4 = 10 * _ch4_factor(library)
    ai, ref = tiny_result.systems["ai"], tiny_result.systems["reference"]
    gwp = lambda part: {k: round(v["gwp"], 6) for k, v in part.items()}  # noqa: E731
    assert gwp(ai.by_stage) == pytest.approx({"C": 56 + ch4, "A+B": 300})
    assert gwp(ai.by_phase) == pytest.approx({"training": 356, "none": ch4})
    assert gwp(ai.by_tier) == pytest.approx({"data_centre": 356, "other": ch4})
    assert gwp(ai.by_activity) == pytest.approx({"compute": 56, "leak": ch4, "gpus": 300})
    assert gwp(ref.by_stage) == pytest.approx({"C": 950})
    assert gwp(ref.by_phase) == pytest.approx({"none": 950})
    assert gwp(ref.by_tier) == pytest.approx({"data_centre": 950})
    assert ai.by_stage["C"]["adpe"] == pytest.approx(2 * 1.56882e-5, rel=1e-6)  # the cobalt, in the leak (C2)


def test_breakdown_keys(tiny_result, library):
    ai = tiny_result.systems["ai"]
    assert ai.by_stage["C"]["gwp"] == pytest.approx(56 + 10 * _ch4_factor(library), rel=1e-6)
    assert ai.by_stage["A+B"]["gwp"] == pytest.approx(300, rel=1e-6)
    assert ai.by_phase["training"]["gwp"] == pytest.approx(356, rel=1e-6)
    assert ai.by_activity["gpus"]["gwp"] == pytest.approx(300, rel=1e-6)


def test_equipment_share_uses_allocation_by_use_time(tiny_result):
    gpu = next(e for e in tiny_result.systems["ai"].exchanges if e.activity == "gpus")
    assert gpu.amount == pytest.approx(2 * 4380 / (8760 * 0.5))
    assert gpu.target == "gpu.nvidia-a100-40gb@luccioni-2023"


def test_amortised_activity_is_scaled(library, data_dir, tmp_path):
    text = (DATA / "tiny.yaml").read_text().replace(
        "      - id: gpus\n", "      - id: gpus\n        amortised_over: 4\n")
    study = tmp_path / "amortised.yaml"
    study.write_text(text)
    result = lca.assess(study, data_dir=data_dir, library=library)
    assert result.systems["ai"].by_activity["gpus"]["gwp"] == pytest.approx(300 / 4, rel=1e-6)


def test_sub_activity_consumed_by_another(library, data_dir, tmp_path):
    # parent consumes 3 units of child; child = 10 kWh FR => 3 x 10 x 0.056 = 1.68 kgCO2e
    study = tmp_path / "nested.yaml"
    study.write_text("""
study: {id: nested, name: Nested, functional_unit: {description: x}}
systems:
  ai:
    name: AI
    activities:
      - {id: parent, name: Parent, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{activity: child, amount: 3}]}
      - {id: child, name: Child, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.fr, amount: "10 kWh", assumption: test}]}
""")
    result = lca.assess(study, data_dir=data_dir, library=library)
    assert result.systems["ai"].total["gwp"] == pytest.approx(1.68, rel=1e-6)
    assert result.systems["ai"].by_activity["child"]["gwp"] == pytest.approx(1.68, rel=1e-6)
    assert result.systems["ai"].by_activity["parent"]["gwp"] == 0
    assert result.net is None


def test_warm_run_reuses_project(library, data_dir, tiny_result):
    again = lca.assess(DATA / "tiny.yaml", data_dir=data_dir, library=library)
    assert again.provenance["brightway_project"] == tiny_result.provenance["brightway_project"]
    assert np.isclose(again.systems["ai"].total["gwp"], tiny_result.systems["ai"].total["gwp"])


def test_changed_background_rebuilds_project(data_dir, tmp_path, tiny_result):
    """Editing a background value gives a new project with the new value; the old one is untouched."""
    import shutil

    from conftest import ROOT

    root = tmp_path / "inventories"
    shutil.copytree(ROOT / "inventories" / "methods", root / "methods")
    shutil.copytree(ROOT / "inventories" / "background", root / "background")
    elec = root / "background" / "generated" / "electricity-countries.yaml"
    text = elec.read_text()
    assert '"475 gCO2e/kWh"' in text
    elec.write_text(text.replace('"475 gCO2e/kWh"', '"500 gCO2e/kWh"', 1))
    changed = lca.load_library(root)
    result = lca.assess(DATA / "tiny.yaml", data_dir=data_dir, library=changed)
    assert result.provenance["brightway_project"] != tiny_result.provenance["brightway_project"]
    assert result.systems["reference"].total["gwp"] == pytest.approx(2000 * 0.5, rel=1e-6)


def test_notebook_view_of_a_result(tiny_result):
    rows = {r["criterion"]: r for r in tiny_result.summary_rows()}
    assert rows["gwp"]["ai"] == pytest.approx(654.0, rel=1e-6)
    assert rows["gwp"]["net"] == pytest.approx(-296.0, rel=1e-6)
    html = tiny_result._repr_html_()
    assert "<td>654</td><td>950</td><td>-296</td>" in html
    assert "Tiny hand-checkable study" in html


def test_a_criterion_the_reference_does_not_touch_is_exactly_zero(library, data_dir):
    # reference: 281952 kWh of US grid (owid-2023: 369.5 gCO2e/kWh, PE "no data") = 104181.26 kgCO2e, PE 0
    # AI: (10320.4 + 3760.82) kWh x 0.3695 = 5203.011 kgCO2e; PE only from the ademe variant:
    #     3760.82 kWh x 11.358 MJ/kWh = 42715.39 MJ
    result = lca.assess(DATA / "pe-gap-reference.yaml", data_dir=data_dir, library=library)
    ref, ai = result.systems["reference"].total, result.systems["ai"].total
    assert ref["pe"] == 0.0
    assert ref["gwp"] == pytest.approx(281952 * 0.3695, rel=1e-6)
    assert ai["gwp"] == pytest.approx(14081.22 * 0.3695, rel=1e-6)
    assert ai["pe"] == pytest.approx(3760.82 * 11.358, rel=1e-6)
