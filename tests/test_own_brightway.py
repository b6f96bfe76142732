"""A study using the practitioner's own Brightway project (an "ecoinvent-like" one built for the
tests, tests/brightway_user.py): hand-computed scores, their methods and criteria, their
uncertainty, located errors, provenance, and their files left byte-identical."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from brightway_user import ACID_METHOD, DATABASE, GWP_METHOD, PROJECT, build_user_project, tree_hashes
from conftest import ROOT

MIXED = textwrap.dedent("""\
    study:
      id: mixed
      name: Mixed study
      functional_unit: {description: one run, quantity: 1, unit: run}
    background:
      brightway_project: ecoinvent-like
    __BACKGROUND__
    systems:
      ai:
        name: AI solution
        activities:
          - id: compute
            name: Computing electricity
            stage: C1
            phase: training
            tier: data_centre
            exchanges:
              - brightway: {database: ecoinvent-like-3.10-cutoff, name: "market for electricity, low voltage", location: FR}
                amount: "1000 kWh"
                assumption: test
              - {dataset: electricity.fr, amount: "100 kWh", assumption: test}
          - id: shipping
            name: Shipping
            stage: C1
            phase: none
            tier: other
            exchanges:
              - brightway: {database: ecoinvent-like-3.10-cutoff, code: lorry}
                amount: "50 t*km"
                assumption: test
              - {flow: "Methane, fossil (air)", amount: "1 kg", assumption: test}
              - brightway: {database: ecoinvent-like-3.10-cutoff, name: steel production}
                amount: "2 kg"
                assumption: test
      reference:
        name: Reference
        activities:
          - id: compute
            name: Computing electricity
            stage: C1
            phase: none
            tier: data_centre
            exchanges:
              - brightway: {database: ecoinvent-like-3.10-cutoff, name: "market for electricity, low voltage", location: DE}
                amount: "2 MWh"
                assumption: test
    """)

THEIR_METHODS = """\
  methods:
    gwp: ["IPCC 2021", "climate change", "GWP 100a"]
  criteria:
    acidification:
      method: ["EF v3.1", "acidification", "accumulated exceedance (AE)"]
      name: Acidification (EF 3.1)"""


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory):
    """The user's own Brightway directory (a fresh Python writes it; never our data directory)."""
    return build_user_project(tmp_path_factory.mktemp("their") / "brightway")


@pytest.fixture(scope="module")
def mixed(user_dir, data_dir, tmp_path_factory):
    """The mixed study with their methods and criterion, assessed once for the tests that only read it."""
    return _assess(_study(tmp_path_factory.mktemp("mixed")), user_dir, data_dir)


def _study(tmp_path, background: str = THEIR_METHODS, replace: dict | None = None):
    text = MIXED.replace("__BACKGROUND__\n", background + "\n" if background else "")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "mixed.yaml"
    path.write_text(text)
    return path


def _assess(path, user_dir, data_dir, **kw):
    import lca
    from lca.engine.user_background import BrightwayOptions

    return lca.assess(path, data_dir=data_dir, brightway=BrightwayOptions(directory=user_dir), **kw)


def test_mixed_study_gives_the_hand_computed_scores(mixed):
    result = mixed
    ai, ref = result.systems["ai"].total, result.systems["reference"].total
    # gwp, their IPCC method on their activities, ours on the library dataset and the study's flow:
    # AI = 1000 kWh x 0.109 (FR market: 0.1 x 1 + 0.9 x 0.01) + 100 kWh x 0.056 (electricity.fr)
    #      + 50 tkm x (0.1 + 0.001 x 30, their CH4 factor) + 1 kg CH4 x 29.8 (ours) + 2 kg steel x 2
    #    = 109 + 5.6 + 6.5 + 29.8 + 4 = 154.9; reference = 2000 kWh x 0.802 = 1604 kgCO2e
    assert ai["gwp"] == pytest.approx(154.9, rel=1e-6)
    assert ref["gwp"] == pytest.approx(1604.0, rel=1e-6)
    # acidification, a criterion of theirs: SO2 0.0002 kg/kWh (FR), 0.0016 (DE) x 1.31 mol H+-Eq/kg
    assert ai["acidification"] == pytest.approx(1000 * 0.0002 * 1.31, rel=1e-6)  # 0.262
    assert ref["acidification"] == pytest.approx(2000 * 0.0016 * 1.31, rel=1e-6)  # 4.192
    # adpe, unmapped: our CML factor on their cobalt (same biosphere3 UUID): 2 kg x 0.01 kg x 1.56882e-05
    assert ai["adpe"] == pytest.approx(2 * 0.01 * 1.56882e-05, rel=1e-6)
    assert result.net["gwp"] == pytest.approx(154.9 - 1604.0, rel=1e-6)
    assert result.criteria["acidification"].unit == "mol H+-Eq"
    assert result.criteria["acidification"].name == "Acidification (EF 3.1)"
    by_target = {e.target: e for e in result.systems["ai"].exchanges}
    lorry = by_target[f"{DATABASE}:lorry"]
    assert lorry.kind == "brightway" and lorry.unit == "t*km" and lorry.values["gwp"] == pytest.approx(6.5, rel=1e-6)
    # the raw materials read their inventory: 2 kg steel x 0.01 kg cobalt
    cobalt = [m for m in result.extras["raw_materials"]["systems"]["ai"] if m["name"].lower().startswith("cobalt")]
    assert cobalt and cobalt[0]["amount_kg"] == pytest.approx(0.02, rel=1e-6)


def test_each_number_says_which_database_and_method_it_came_from(mixed):
    result = mixed
    lorry = result.datasets[f"{DATABASE}:lorry"]
    assert lorry["per_unit"]["gwp"] == pytest.approx(0.13, rel=1e-6)
    assert lorry["sources"]["gwp"]["method"] == list(GWP_METHOD)
    assert lorry["sources"]["gwp"]["database"] == DATABASE
    assert lorry["sources"]["gwp"]["database_version"] == "3.10 (test data)"
    assert lorry["sources"]["acidification"]["method"] == list(ACID_METHOD)
    assert lorry["sources"]["adpe"]["method"] == ["ai-lca", "adpe"]
    assert "IPCC 2021 / climate change / GWP 100a" in lorry["sources"]["gwp"]["source"]
    # our library's dataset keeps its own source, and has no data on their criterion
    assert result.datasets["electricity.fr@owid-2023"]["sources"]["acidification"] is None
    codes = {f.code for f in result.findings}
    assert {"DATA_GAP", "FLOW_NOT_CHARACTERISED"} <= codes
    provenance = result.provenance["brightway"]
    assert provenance["project"] == PROJECT
    assert provenance["databases"][DATABASE]["version"] == "3.10 (test data)"
    assert provenance["methods"] == {"gwp": list(GWP_METHOD), "acidification": list(ACID_METHOD)}
    json.dumps(result.to_dict())  # the JSON result carries it all


def test_without_a_mapping_their_activities_use_our_factors(tmp_path, user_dir, data_dir):
    result = _assess(_study(tmp_path, background=""), user_dir, data_dir)
    # lorry with our CH4 factor: 50 x (0.1 + 0.001 x 29.8) = 6.49 (not 6.5); AI total 154.89
    lorry = next(e for e in result.systems["ai"].exchanges if e.target == f"{DATABASE}:lorry")
    assert lorry.values["gwp"] == pytest.approx(6.49, rel=1e-6)
    assert result.systems["ai"].total["gwp"] == pytest.approx(154.89, rel=1e-6)
    assert "acidification" not in result.criteria


def test_the_report_names_database_version_method_and_the_licence(mixed):
    from lca.report import render_html

    html = render_html(mixed)
    assert "ecoinvent-like-3.10-cutoff (version 3.10 (test data)) in your Brightway project" in html
    assert "method IPCC 2021 / climate change / GWP 100a" in html
    assert 'id="own-brightway"' in html and "a reader without the same databases" in html
    assert "Acidification (EF 3.1)" in html


def test_monte_carlo_draws_their_uncertainty_shared_by_both_systems(tmp_path, user_dir, data_dir):
    from lca.engine.user_background import BrightwayOptions, with_user_background
    from lca.study import load_study
    from lca.uncertainty.model import build_model
    from lca.uncertainty.montecarlo import run_monte_carlo
    import lca

    library = lca.load_library()
    loaded, library = with_user_background(load_study(_study(tmp_path)), library,
                                           BrightwayOptions(directory=user_dir), iterations=300, seed=5,
                                           data_dir=data_dir)
    model = build_model(loaded, library, data_dir)
    assert [i.kind for i in model.inputs] == ["brightway"]
    mc = run_monte_carlo(model, 300, seed=5)
    gwp = model.criteria.index("gwp")
    ai, ref = mc.system("ai")[:, gwp], mc.system("reference")[:, gwp]
    # their coal CO2 X (lognormal, median 1 kg/kWh, gsd e^0.1) is in both systems: reference =
    # 2000 kWh x (0.8 X + 0.002) = 1600 X + 4; AI = 1000 kWh x (0.1 X + 0.009) + 5.6 + 6.5 + 29.8
    # + 2 kg steel x S (their normal, mean 2, sd 0.2) = 100 X + 50.9 + 2 S: the same X in both
    x = (ref - 4.0) / 1600
    assert np.std(np.log(x)) == pytest.approx(0.1, rel=0.15)
    assert np.median(x) == pytest.approx(1.0, abs=0.03)
    steel = (ai - 100 * x - 50.9) / 2
    assert np.mean(steel) == pytest.approx(2.0, abs=0.05) and np.std(steel) == pytest.approx(0.2, rel=0.15)
    assert abs(np.corrcoef(x, steel)[0, 1]) < 0.2  # two distributions of theirs, drawn independently
    # the same seed gives the same draws of their data
    again, _ = with_user_background(load_study(_study(tmp_path)), lca.load_library(),
                                    BrightwayOptions(directory=user_dir), iterations=300, seed=5, data_dir=data_dir)
    np.testing.assert_array_equal(again.brightway.draws, loaded.brightway.draws)


def test_their_uncertainty_and_ours_are_sampled_together(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, replace={'{dataset: electricity.fr, amount: "100 kWh", assumption: test}':
                                     '{dataset: electricity.fr, amount: "100 kWh", assumption: test, '
                                     'uncertainty: {distribution: lognormal, gsd: 1.5}}'})
    result = _assess(path, user_dir, data_dir, iterations=200, seed=3)
    kinds = sorted(i["kind"] for i in result.extras["uncertainty"]["inputs"])
    assert kinds == ["brightway", "exchange"]
    sobol = {r["name"]: r["ST"] for r in result.extras["sensitivity"]["gwp"]}
    assert sobol[f"brightway:{PROJECT}"] > 0.5  # 1500 X dominates the net's spread
    assert result.provenance["brightway"]["monte_carlo_draws"] == 200


def test_their_files_are_byte_identical_after_runs(tmp_path, user_dir, data_dir):
    from lca.pipeline import validate

    before = tree_hashes(user_dir)
    result = _assess(_study(tmp_path), user_dir, data_dir, iterations=20)  # no seed: a fresh one, for theirs too
    assert result.provenance["brightway"]["draw_seed"] is not None and result.extras["uncertainty"]["seed"]
    from lca.engine.user_background import BrightwayOptions

    validate(_study(tmp_path), brightway=BrightwayOptions(directory=user_dir))
    assert tree_hashes(user_dir) == before
    assert len(before) > 10  # the project's files were really there to compare


# ---------------------------------------------------------------- located errors
def _problems(path, user_dir, data_dir, **kw):
    from lca.core.errors import InputError

    with pytest.raises(InputError) as caught:
        _assess(path, user_dir, data_dir, **kw)
    return caught.value.problems


def _line_of(path, text):
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_an_activity_matching_nothing_is_located_with_candidates(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, replace={"name: steel production}": "name: \"steel production, converter\"}"})
    (p,) = _problems(path, user_dir, data_dir)
    assert p.line == _line_of(path, "steel production, converter")
    assert p.field == "systems.ai.activities[1].exchanges[2].brightway"
    assert "no activity of 'ecoinvent-like-3.10-cutoff' matches name 'steel production, converter'" in p.message
    assert "candidates: 'steel production' [GLO]" in p.message and "code 'steel'" in p.message


def test_an_ambiguous_activity_is_located_with_every_candidate(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, replace={'low voltage", location: DE}': 'low voltage"}'})
    (p,) = _problems(path, user_dir, data_dir)
    assert p.field == "systems.reference.activities[0].exchanges[0].brightway"
    assert p.line == _line_of(path, 'low voltage"}')
    assert "2 activities of 'ecoinvent-like-3.10-cutoff' match" in p.message
    assert "[DE]" in p.message and "[FR]" in p.message and "code 'market-de'" in p.message
    assert "add `location`, `reference product` or `unit`" in p.message


def test_an_amount_of_the_wrong_dimension_is_located(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, replace={'amount: "50 t*km"': 'amount: "50 kg"'})
    (p,) = _problems(path, user_dir, data_dir)
    assert p.field == "systems.ai.activities[1].exchanges[0].amount"
    assert p.line == _line_of(path, '"50 kg"')
    assert "expected t·km" in p.message or "expected t*km" in p.message or "write it in t*km" in p.message


def test_an_activity_in_a_unit_we_do_not_know_is_refused(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, replace={"{database: ecoinvent-like-3.10-cutoff, code: lorry}":
                                     "{database: ecoinvent-like-3.10-cutoff, code: odd}"})
    (p,) = _problems(path, user_dir, data_dir)
    assert p.field == "systems.ai.activities[1].exchanges[0].brightway"
    assert "is per 'widget fortnight', a unit ai-lca does not know" in p.message and "kilowatt hour" in p.message


def test_an_unknown_method_is_located_with_similar_ones(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, background=THEIR_METHODS.replace('"GWP 100a"', '"GWP 20a"'))
    (p,) = _problems(path, user_dir, data_dir)
    assert p.field == "background.methods.gwp" and p.line == _line_of(path, "GWP 20a")
    assert "no method ['IPCC 2021', 'climate change', 'GWP 20a'] in project 'ecoinvent-like'" in p.message
    assert "['IPCC 2021', 'climate change', 'GWP 100a']" in p.message


def test_methods_in_the_wrong_place_are_refused(tmp_path, user_dir, data_dir):
    wrong = THEIR_METHODS.replace("    gwp: [", "    gpw: [").replace("    acidification:\n", "    gwp:\n")
    problems = _problems(_study(tmp_path, background=wrong), user_dir, data_dir)
    messages = {p.field: p.message for p in problems}
    assert "'gpw' is not one of our criteria (gwp, adpe, pe, water)" in messages["background.methods.gpw"]
    assert "'gwp' is one of our criteria" in messages["background.criteria.gwp.method"]


def test_a_method_in_another_unit_cannot_stand_for_ours(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, background=THEIR_METHODS.replace('["IPCC 2021", "climate change", "GWP 100a"]',
                                                             '["EF v3.1", "acidification", "accumulated exceedance (AE)"]'))
    (p,) = _problems(path, user_dir, data_dir)
    assert p.field == "background.methods.gwp"
    assert "is in 'mol H+-Eq', which is not kgCO2e" in p.message


@pytest.mark.parametrize("case", ["no project", "no directory", "damaged", "unknown database"])
def test_an_unreadable_project_is_located(tmp_path, user_dir, data_dir, case):
    from lca.core.errors import BrightwayMatchError, BrightwayProjectError

    directory, replace = user_dir, {}
    if case == "no project":
        replace = {"brightway_project: ecoinvent-like": "brightway_project: ecoinvent-3.9"}
    elif case == "no directory":
        directory = tmp_path / "nowhere"
    elif case == "damaged":
        directory = tmp_path / "damaged"
        directory.mkdir()
        (directory / "projects.db").write_bytes(b"not a database" * 100)
    else:
        replace = {"{database: ecoinvent-like-3.10-cutoff, code: lorry}": "{database: ecoinvent-3.9-cutoff, code: lorry}"}
    path = _study(tmp_path, replace=replace)
    with pytest.raises((BrightwayProjectError, BrightwayMatchError)) as caught:
        _assess(path, directory, data_dir)
    (p,) = caught.value.problems
    expected = {"no project": "no Brightway project 'ecoinvent-3.9' in", "no directory": "there is no Brightway directory",
                "damaged": "cannot read", "unknown database": "no database 'ecoinvent-3.9-cutoff' in project"}[case]
    assert expected in p.message
    if case == "unknown database":
        assert p.field == "systems.ai.activities[1].exchanges[0].brightway"
        assert "'ecoinvent-like-3.10-cutoff'" in p.message  # the databases it has
    else:
        assert p.field == "background.brightway_project" and p.line == 6
        if case == "no project":
            assert "'ecoinvent-like'" in p.message  # the projects there are


def test_a_brightway_exchange_needs_a_project(tmp_path, data_dir):
    from lca.core.errors import InputError
    from lca.pipeline import validate

    path = _study(tmp_path, background="", replace={"background:\n  brightway_project: ecoinvent-like\n": ""})
    with pytest.raises(InputError) as caught:
        validate(path)
    assert len(caught.value.problems) == 4  # every brightway: exchange
    assert all("needs your Brightway project" in p.message for p in caught.value.problems)


def test_the_command_line_names_project_and_methods(tmp_path, user_dir, data_dir):
    path = _study(tmp_path, background="", replace={"background:\n  brightway_project: ecoinvent-like\n": ""})
    out = tmp_path / "out"
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "lca.cli", "run", str(path), "--out", str(out), "--format", "json", "--quiet",
            "--brightway-project", PROJECT, "--brightway-dir", str(user_dir),
            "--brightway-method", "gwp", *GWP_METHOD, "--brightway-criterion", "acidification", *ACID_METHOD]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads((out / "mixed.json").read_text())
    assert payload["systems"]["ai"]["total"]["gwp"] == pytest.approx(154.9, rel=1e-6)
    assert payload["systems"]["reference"]["total"]["acidification"] == pytest.approx(4.192, rel=1e-6)
    assert payload["criteria"]["acidification"]["name"] == " / ".join(ACID_METHOD)
    bad = subprocess.run(args[:-len(ACID_METHOD)] + ["no such method"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert bad.returncode == 2
    assert "lca run: --brightway-criterion: no method ['no such method']" in bad.stderr


def test_export_writes_their_activities_as_proxies_with_the_same_scores(tmp_path, user_dir, data_dir):
    """``lca export`` into (a copy of) their project: the exported study computes the same there."""
    import shutil

    import lca
    from lca.engine.bw import brightway, brightway_at
    from lca.engine.export import export_study
    from lca.engine.user_background import BrightwayOptions, with_user_background
    from lca.study import load_study, resolve

    copy = tmp_path / "copy"
    shutil.copytree(user_dir, copy)
    loaded, library = with_user_background(load_study(_study(tmp_path)), lca.load_library(),
                                           BrightwayOptions(directory=copy), data_dir=data_dir)
    try:
        summary = export_study(resolve(loaded, library), library, copy, PROJECT)
        bd, bc = brightway_at(copy)
        bd.projects.set_current(PROJECT)
        scores = {}
        for system in ("ai", "reference"):
            db, code = summary.functional_units[system]
            calc = bc.LCA({bd.get_node(database=db, code=code): 1}, ("ai-lca", "acidification"))
            calc.lci()
            calc.lcia()
            scores[system] = calc.score
    finally:
        brightway(data_dir)  # back to the session's own directory
    assert scores["ai"] == pytest.approx(0.262, rel=1e-6) and scores["reference"] == pytest.approx(4.192, rel=1e-6)


def test_the_report_says_when_the_project_records_no_version(mixed):
    from dataclasses import replace

    from lca.report import render_html

    provenance = dict(mixed.provenance)
    provenance["brightway"] = {**provenance["brightway"], "databases": {DATABASE: {"number": 7}}}
    html = render_html(replace(mixed, provenance=provenance))
    assert f"<code>{DATABASE}</code> (no version recorded, 7 activities)" in html
