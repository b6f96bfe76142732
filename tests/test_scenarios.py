"""Scenarios: named parameter values and variants, all computed in one run and shown side by side;
the same from the command line and the API. Arithmetic in tests/data/scenarios.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError

DATA = Path(__file__).parent / "data"
STUDY = DATA / "scenarios.yaml"


@pytest.fixture(scope="module")
def scenario_result(library, data_dir):
    import lca

    return lca.assess(STUDY, data_dir=data_dir, library=library)


def test_every_scenario_in_one_run(scenario_result):
    section = scenario_result.extras["scenarios"]
    assert scenario_result.systems["ai"].total["gwp"] == pytest.approx(56.0, rel=1e-6)
    assert section["base"]["systems"]["ai"]["total"]["gwp"] == pytest.approx(56.0, rel=1e-6)
    big, dirty = section["rows"]["big"], section["rows"]["dirty"]
    assert big["systems"]["ai"]["total"]["gwp"] == pytest.approx(112.0, rel=1e-6)   # 2000 kWh x 0.056
    assert big["systems"]["ai"]["energy"] == pytest.approx(2000.0)
    assert dirty["systems"]["ai"]["total"]["gwp"] == pytest.approx(121.98375, rel=1e-6)  # 1500 x 0.0813225
    assert dirty["systems"]["ai"]["energy"] == pytest.approx(1500.0)
    assert dirty["variants"] == {"electricity.fr": "ademe-2011"} and dirty["parameters"] == {"pue": "1.5"}
    assert big["description"] == "twice the energy"


def test_one_scenario_and_overrides_through_the_api(library, data_dir):
    import lca

    dirty = lca.assess(STUDY, data_dir=data_dir, library=library, scenario="dirty")
    assert dirty.systems["ai"].total["gwp"] == pytest.approx(121.98375, rel=1e-6)
    assert "scenarios" not in dirty.extras  # one scenario asked: no side-by-side table
    # the command line's values win over the scenario's: 10 kWh x 1.5 x 0.0813225
    smaller = lca.assess(STUDY, data_dir=data_dir, library=library, scenario="dirty", overrides={"energy": "10 kWh"})
    assert smaller.systems["ai"].total["gwp"] == pytest.approx(1.2198375, rel=1e-6)
    # a named variant, deterministically: 1000 kWh x 0.0813225
    variant = lca.assess(STUDY, data_dir=data_dir, library=library, variants={"electricity.fr": "ademe-2011"})
    assert variant.systems["ai"].total["gwp"] == pytest.approx(81.3225, rel=1e-6)
    assert variant.extras["scenarios"]["base"]["variants"] == {"electricity.fr": "ademe-2011"}


def test_unknown_names_are_refused_not_ignored(library, data_dir):
    import lca

    with pytest.raises(InputError) as exc:
        lca.assess(STUDY, data_dir=data_dir, library=library, overrides={"energie": 5},
                   variants={"electricity.fr": "nowhere"})
    messages = [(p.field, p.message) for p in exc.value.problems]
    assert ("set.energie", "'energie' is not a study parameter (parameters: energy, pue)") in messages
    assert any(f == "variant.electricity.fr" and "has no variant 'nowhere'" in m for f, m in messages)
    with pytest.raises(InputError) as exc:
        lca.assess(STUDY, data_dir=data_dir, library=library, scenario="nope")
    assert "no scenario 'nope'" in exc.value.problems[0].message and "big, dirty" in exc.value.problems[0].message


@pytest.mark.parametrize("old, new, field, message", [
    ('parameters: {energy: "2 MWh"}', 'parameters: {energi: "2 MWh"}', "scenarios.big.parameters.energi",
     "'energi' is not a study parameter (parameters: energy, pue)"),
    ('parameters: {energy: "2 MWh"}', 'parameters: {energy: "2 kg"}', "scenarios.big.parameters.energy",
     "energy is in kWh"),
    ("variants: {electricity.fr: ademe-2011}", "variants: {electricity.fr: ademe-2012}",
     "scenarios.dirty.variants.electricity.fr", "has no variant 'ademe-2012'"),
    ("variants: {electricity.fr: ademe-2011}", "variants: {electricity.frr: ademe-2011}",
     "scenarios.dirty.variants.electricity.frr", "did you mean 'electricity.fr'"),
    ("  big:\n", "  base:\n", "scenarios.base", "names the study as written"),
])
def test_bad_scenarios_are_located(tmp_path, library, old, new, field, message):
    from lca.study import load_study, resolve

    path = tmp_path / "bad.yaml"
    path.write_text(STUDY.read_text().replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    assert any(p.field == field and message in p.message and p.line for p in exc.value.problems), exc.value.problems


def test_cli_set_variant_and_the_scenario_table(tmp_path, data_dir, capsys):
    from lca.cli import main

    code = main(["run", str(STUDY), "--out", str(tmp_path), "--format", "json,html", "--data-dir", str(data_dir),
                 "--set", "energy=2 MWh", "--variant", "electricity.fr=ademe-2011"])
    out = capsys.readouterr().out
    assert code == 0
    table = out.split("Scenarios (per functional unit")[1].splitlines()
    assert table[1].split()[1:3] == ["gwp", "(kgCO2e)"]  # the first value column is gwp
    gwp = {line.split()[0]: next(t for t in line.split()[1:] if t[0].isdigit()) for line in table[3:6]}
    # --set and --variant apply to every scenario: 2000 kWh x 0.0813225 = 162.6 kg; dirty x 1.5 = 243.97 kg (4 digits: 244)
    assert gwp == {"(as": "162.6", "big": "162.6", "dirty": "244"}
    html = (tmp_path / "scenarios-test.html").read_text()
    assert 'id="scenarios"' in html and "electricity.fr@ademe-2011" in html
    assert main(["run", str(STUDY), "--out", str(tmp_path), "--data-dir", str(data_dir), "--set", "energy"]) == 2
    assert "'energy': write --set NAME=VALUE" in capsys.readouterr().err


def test_problems_a_set_value_causes_in_the_study_say_so(tmp_path, data_dir, capsys):
    from lca.cli import main

    code = main(["run", str(STUDY), "--out", str(tmp_path), "--data-dir", str(data_dir), "--format", "json",
                 "--set", "energy=-5 MWh"])
    lines = capsys.readouterr().err.splitlines()
    assert code == 2 and "amount must be zero or more (got -5000)" in lines[0]  # -5 MWh in kWh, located in the file
    assert lines[-1] == 'lca run: with --set energy="-5 MWh" (the study as written may be valid)'


@pytest.mark.parametrize("args, message", [
    # the study's energy is "1000 kWh": a value in kg or a bare number says how to write it, with
    # the study's own value as the example
    (["--set", "energy=2 kg"], 'lca run: --set (set.energy): 2.0 kg has dimension [mass]'),
    (["--set", "energy=2"], 'energy is in kWh; write --set energy="1000 kWh"'),
    (["--set", "pue=1 kWh"], "pue is in a plain number; write --set pue=1\n"),
    # two values for one name: refused, not the last one silently taken
    (["--set", "energy=2 MWh", "--set", "energy=3 MWh"],
     "lca run: --set: 'energy' is given twice ('2 MWh' and '3 MWh'); give --set energy=... once"),
    (["--variant", "electricity.fr=owid-2023", "--variant", "electricity.fr=ademe-2011"],
     "lca run: --variant: 'electricity.fr' is given twice"),
    (["--variant", "electricity.fr@ademe-2011"],
     "lca run: --variant: 'electricity.fr@ademe-2011': write --variant DATASET=VARIANT"),
    (["--scenario", "nope"], "lca run: --scenario: no scenario 'nope' in"),
])
def test_bad_command_line_values_exit_2_naming_the_option(args, message, tmp_path, data_dir, capsys):
    from lca.cli import main

    code = main(["run", str(STUDY), "--out", str(tmp_path), "--data-dir", str(data_dir), "--format", "json", *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written
