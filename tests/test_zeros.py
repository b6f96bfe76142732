"""No silent zeros (lca.balance.zeros): an undeclared zero is a data-gap finding naming the exchange."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError

DATA = Path(__file__).parent / "data"


def _codes(result, code):
    return [f for f in result.findings if f.code == code]


def test_uncharacterised_flows_and_zero_totals_are_named(tiny_result):
    # tiny's leak: 10 kg of fossil methane (characterised by gwp only) and 2 kg of cobalt (adpe only);
    # water (the fourth criterion) characterises neither
    unchar = {f.message.split(" (")[0]: f.message for f in _codes(tiny_result, "DATA_GAP_UNCHARACTERISED")}
    assert set(unchar) == {"leak: flow 'Methane, fossil'", "leak: flow 'Cobalt'"}
    assert "for adpe, pe, water: it counts 0" in unchar["leak: flow 'Methane, fossil'"]
    assert "line 25" in unchar["leak: flow 'Methane, fossil'"]
    assert "for gwp, pe, water: it counts 0" in unchar["leak: flow 'Cobalt'"]
    # ai totals 0 MJ of pe and 0 L of water (French electricity's default and the A100 have no pe or water
    # data, the flows none); the reference (world electricity, no adpe, pe or water data) totals 0 on those
    totals = {(f.system, f.message.split(" is exactly")[0]) for f in _codes(tiny_result, "DATA_GAP_ZERO_TOTAL")}
    assert totals == {("ai", "the total on pe"), ("ai", "the total on water"), ("reference", "the total on adpe"),
                      ("reference", "the total on pe"), ("reference", "the total on water")}
    ai_pe = next(f.message for f in _codes(tiny_result, "DATA_GAP_ZERO_TOTAL") if f.system == "ai" and " pe " in f.message)
    assert "compute: Electricity, France" in ai_pe and "gpus: NVIDIA A100" in ai_pe


def _assess(tmp_path, library, data_dir, old: str, new: str):
    import lca

    path = tmp_path / "zeros.yaml"
    path.write_text((DATA / "tiny.yaml").read_text().replace(old, new, 1))
    return lca.assess(path, data_dir=data_dir, library=library)


def test_a_declared_zero_is_not_a_finding(tmp_path, library, data_dir):
    declared = ('{flow: "Methane, fossil (air)", amount: "10 kg", assumption: test, '
                'zero: {adpe: "a gas leak extracts no metal", pe: "the leak is not an energy use", '
                'water: "a gas leak consumes no water"}}')
    result = _assess(tmp_path, library, data_dir, '{flow: "Methane, fossil (air)", amount: "10 kg", assumption: test}',
                     declared)
    messages = [f.message for f in _codes(result, "DATA_GAP_UNCHARACTERISED")]
    assert len(messages) == 1 and "Cobalt" in messages[0]  # methane's zeros are declared
    ai_pe = next(f.message for f in _codes(result, "DATA_GAP_ZERO_TOTAL") if f.system == "ai" and " pe " in f.message)
    assert "Methane" not in ai_pe and "Cobalt" in ai_pe


def test_a_zero_total_fully_declared_is_not_a_finding(tmp_path, library, data_dir):
    result = _assess(tmp_path, library, data_dir,
                     '{dataset: electricity.world, amount: "2000 kWh", assumption: test}',
                     '{dataset: electricity.world, amount: "2000 kWh", assumption: test, '
                     'zero: {adpe: "the reference is compared on climate only", pe: "idem", water: "idem"}}')
    assert not [f for f in _codes(result, "DATA_GAP_ZERO_TOTAL") if f.system == "reference"]


def test_zero_names_a_known_criterion(tmp_path, library):
    from lca.study import load_study, resolve

    path = tmp_path / "bad.yaml"
    path.write_text((DATA / "tiny.yaml").read_text().replace(
        'amount: "2000 kWh", assumption: test}', 'amount: "2000 kWh", assumption: test, zero: {co2: "x"}}'))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    assert [(p.field, p.message) for p in exc.value.problems] == [
        ("systems.reference.activities[0].exchanges[0].zero.co2", "unknown criterion 'co2'; use one of gwp, adpe, pe, water")]


def _refused(tmp_path, library, old: str, new: str):
    from lca.study import load_study, resolve

    path = tmp_path / "wrong-zero.yaml"
    text = (DATA / "tiny.yaml").read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    return [(p.field, p.line, p.message) for p in exc.value.problems]


def test_a_zero_declared_on_a_contributing_dataset_is_refused(tmp_path, library):
    # electricity.world (IEA 2019) has 0.475 kgCO2e/kWh: 2000 kWh of it contribute 950 kgCO2e, not 0
    problems = _refused(tmp_path, library, 'amount: "2000 kWh", assumption: test}',
                        'amount: "2000 kWh", assumption: test, zero: {gwp: "no emissions"}}')
    assert problems == [("systems.reference.activities[0].exchanges[0].zero.gwp", 41,
                         "declared as contributing nothing to gwp, but dataset electricity.world@iea-2019 has 0.475 "
                         "kgCO2e per kWh on gwp, so this input contributes to gwp; remove `gwp` from `zero`")]


def test_a_zero_declared_on_a_characterised_flow_is_refused(tmp_path, library):
    # methane is characterised on gwp (IPCC AR6): 10 kg of it are not 0 kgCO2e
    factor = next(cf.factor for cf in library.factors["gwp"] if cf.flow == library.find_flow("Methane, fossil (air)").id)
    problems = _refused(tmp_path, library, '{flow: "Methane, fossil (air)", amount: "10 kg", assumption: test}',
                        '{flow: "Methane, fossil (air)", amount: "10 kg", assumption: test, '
                        'zero: {gwp: "x", pe: "a leak is not an energy use"}}')
    assert problems == [("systems.ai.activities[1].exchanges[0].zero.gwp", 25,
                         f"declared as contributing nothing to gwp, but flow 'Methane, fossil (air)' has a "
                         f"characterisation factor of {factor:g} kgCO2e per kg on gwp, so this input contributes to "
                         f"gwp; remove `gwp` from `zero`")]  # pe: methane has no factor there, the zero is right


def test_a_zero_declared_on_a_dataset_whose_flows_count_is_refused(tmp_path, library):
    problems = _refused(tmp_path, library, '{dataset: electricity.world, amount: "2000 kWh", assumption: test}',
                        '{dataset: heat.natural-gas-boiler, amount: "2000 kWh", assumption: test, zero: {gwp: "x"}}')
    assert [(f, m.split(", so")[0]) for f, _, m in problems] == [
        ("systems.reference.activities[0].exchanges[0].zero.gwp", "declared as contributing nothing to gwp, but dataset "
         "heat.natural-gas-boiler@ipcc-2006 has flows characterised on gwp (Carbon dioxide, fossil; Methane, fossil; "
         "Dinitrogen monoxide)")]


def test_a_zero_total_names_the_first_five_undeclared_zeros_and_counts_the_rest():
    # 8 inputs all 0 on pe; the 2nd declares its zero: 7 undeclared, the first 5 named (a0, a2..a5),
    # "and 2 more" (a6, a7)
    from types import SimpleNamespace as NS

    from lca.balance.zeros import _zero_totals

    inputs = [(NS(id=f"a{i}"), NS(label="grid", field=f"x[{i}]", line=10 + i, zero={"pe": "why"} if i == 1 else {}))
              for i in range(8)]
    result = NS(total={"pe": 0.0}, exchanges=[NS(values={"pe": 0.0}) for _ in inputs])
    [finding] = _zero_totals("ai", result, inputs, NS(criteria={"pe": None}))
    assert "(a0: grid (x[0], line 10); a2: grid (x[2], line 12); a3" in finding.message
    assert "a5: grid (x[5], line 15) and 2 more)" in finding.message and "a6" not in finding.message
