"""Final energy as a result (lca.balance.energy), the verdict on an energy claim, and quantities in
the unit a reader expects (lca.core.quantities). The arithmetic is in tests/data/energy.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core import units
from lca.core.quantities import readable, scaled

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def energy_result(library, data_dir):
    import lca

    return lca.assess(DATA / "energy.yaml", data_dir=data_dir, library=library)


def test_energy_by_hand(energy_result):
    ai = energy_result.systems["ai"].energy
    assert ai.total == pytest.approx(1031.59)
    assert ai.by_activity == pytest.approx({"heating": 1000.0, "compute": 25.0, "transfer": 0.59, "gpus": 0.0,
                                            "site": 0.0, "power": 6.0})
    assert ai.by_phase == pytest.approx({"none": 1000.0, "training": 25.0, "data_acquisition": 0.59, "inference": 6.0})
    assert ai.by_tier == pytest.approx({"other": 1000.0, "data_centre": 31.0, "network": 0.59})
    assert ai.by_stage["C"] == pytest.approx(1031.59) and ai.not_counted == ()
    assert energy_result.systems["reference"].energy.total == pytest.approx(2000.0)
    payload = energy_result.to_dict()
    assert payload["energy"]["net"] == pytest.approx(-968.41) and payload["energy"]["unit"] == "kWh"
    assert payload["systems"]["ai"]["energy"]["by_activity"]["power"] == pytest.approx(6.0)
    transfer = next(e for e in payload["systems"]["ai"]["exchanges"] if e["activity"] == "transfer")
    assert transfer["energy"] == pytest.approx(0.59)  # 10 GB x 0.059 kWh/GB


def test_verdict_judges_a_claim_on_energy(energy_result):
    v = energy_result.extras["verdict"]
    e = v["criteria"]["energy"]
    assert (e["status"], e["cause"], e["unit"]) == ("holds", "net_negative", "kWh")
    assert e["net"] == pytest.approx(-968.41) and e["ai_service"] == pytest.approx(31.59)
    assert e["gross_gain"] == pytest.approx(1000.0)  # 2000 - 1000 of gas
    survives = v["claim_survives"]
    assert survives["criterion"] == "energy" and survives["basis"] == "claim"
    assert survives["claimed_gain"] == pytest.approx(1000.0)      # 50 % of 2000 kWh
    assert survives["surviving_share"] == pytest.approx(0.96841)  # 968.41 / 1000
    assert survives["with_ai_service_fraction"] == pytest.approx(0.484205)
    assert "claimed 50 %, 48.4 % with the AI service: 96.8 % of the claim survives" in v["summary"]


def test_energy_is_not_judged_without_an_energy_claim(tiny_result):
    # tiny: AI 1 MWh of French electricity, reference 2000 kWh of world electricity
    assert tiny_result.systems["ai"].energy.total == pytest.approx(1000.0)
    assert tiny_result.to_dict()["energy"]["net"] == pytest.approx(-1000.0)
    assert "energy" not in tiny_result.extras["verdict"]["criteria"]


def test_an_energy_dataset_without_energy_figure_is_listed_and_makes_it_cannot_tell(tmp_path, library, data_dir):
    import lca

    text = (DATA / "energy.yaml").read_text()
    video = ("      - id: video\n        name: Video\n        stage: C1\n        phase: inference\n"
             "        tier: terminal\n        exchanges:\n"
             "          - {dataset: service.video-streaming-hour, amount: \"2 hour\", assumption: test}\n")
    path = tmp_path / "video.yaml"
    path.write_text(text.replace("  reference:\n", video + "  reference:\n"))
    result = lca.assess(path, data_dir=data_dir, library=library)
    ai = result.systems["ai"].energy
    assert ai.total == pytest.approx(1031.59)  # the video hours add nothing known
    assert ai.not_counted == ("service.video-streaming-hour@carbon-trust-2021",)
    e = result.extras["verdict"]["criteria"]["energy"]
    assert (e["status"], e["cause"]) == ("cannot_tell", "data_gap_ai")


@pytest.mark.parametrize("text, value, unit", [
    ("336 h * 400 W", 134.4, "kWh"),          # 336 x 0.4 kW
    ("5 kW * 3600 s", 5.0, "kWh"),            # 18 MJ, written in watts: watt-hours
    ("1287 MWh", 1.287, "GWh"),
    ("3 MJ", 3.0, "MJ"),                      # written in joules: stays in joules
    ("4000 GJ", 4.0, "TJ"),
    ("2500 kgCO2e", 2.5, "tCO2e"),
    ("0.1 kg", 100.0, "g"),
    ("1500 W", 1.5, "kW"),
    ("200 * (1 year / (5 min)) * 100 byte", 2.1024, "GB"),  # 200 x 105,120 x 100 bytes
    ("0.85", 0.85, ""),
    ("6 year", 6.0, "year"),
    ("100 kWh/m**2/year", 100.0, "kWh/m²/year"),
])
def test_readable_quantities(text, value, unit):
    got = readable(units.parse_quantity(text))
    assert got[0] == pytest.approx(value) and got[1] == unit


def test_scaled_numbers():
    assert scaled(84_610.0, "kgCO2e") == pytest.approx((84.61, "tCO2e"))
    assert scaled(0.004345, "kgSbe") == (pytest.approx(4.345), "gSbe")
    assert scaled(0.0, "kWh") == (0.0, "kWh")
    assert scaled(12.0, "unit") == (12.0, "unit")


def test_parameter_table_in_the_readers_unit(tmp_path, library):
    from lca.study import load_study, parameter_table, resolve

    path = tmp_path / "p.yaml"
    path.write_text((DATA / "energy.yaml").read_text().replace(
        "  gpu_hours: {value: \"4380 h\", assumption: test}\n",
        "  gpu_hours: {value: \"4380 h\", assumption: test}\n  it: {value: \"gpu_hours * 400 W\", assumption: test}\n"))
    loaded = load_study(path)
    table = parameter_table(loaded, resolve(loaded, library).parameters, library)
    assert table["it"]["unit"] == "MWh" and table["it"]["value"] == pytest.approx(1.752)  # 4380 h x 0.4 kW


def test_cli_summary_has_final_energy_in_mwh(library, data_dir):
    import lca
    from lca.cli import summary_table

    text = summary_table(lca.assess(DATA / "tiny.yaml", data_dir=data_dir, library=library))
    row = next(line for line in text.splitlines() if line.startswith("Final energy"))
    assert row.split()[-4:] == ["MWh/FU", "1", "2", "-1"]  # 1000 kWh, 2000 kWh, net -1000 kWh
    gwp = next(line for line in text.splitlines() if line.startswith("Climate change"))
    assert gwp.split()[-4:] == ["kgCO2e/FU", "654", "950", "-296"]  # under a tonne: stays in kg


def _key_rows(html: str) -> list[str]:
    """The first page's key table, one string of cell texts per row."""
    import re

    table = html.split('id="verdict"')[1].split("</table>")[0] if 'id="verdict"' in html else \
        html.split('<table class="key">')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", "|", row) for row in table.split("<tbody>")[1].split("</tr>")[:-1]]


def test_first_page_shows_the_energy_the_claim_is_on(energy_result, monkeypatch):
    # the claim is on final energy: the key table carries it with the verdict's numbers
    # (net 1031.59 - 2000 = -968.41 kWh; AI service 31.59 kWh = 3.159 % of the 1000 kWh gain enabled)
    from lca.report import render_html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    rows = _key_rows(render_html(energy_result.to_dict()))
    energy = [r for r in rows if "Final energy" in r]
    assert len(energy) == 1 and rows[-1] == energy[0]
    cells = [c for c in energy[0].split("|") if c.strip()]
    assert cells[1:] == ["−968.4 kWh", "holds", "31.59 kWh", "3.16 % of the gain", "96.8 %"], cells


def test_first_page_energy_row_when_not_judged_and_footprint_only(tiny_result, tmp_path, library, data_dir,
                                                                   monkeypatch):
    import lca
    from lca.report import render_html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # tiny: no claim on energy; net 1000 - 2000 = -1000 kWh, not judged (never "None")
    row = next(r for r in _key_rows(render_html(tiny_result.to_dict())) if "Final energy" in r)
    cells = [c for c in row.split("|") if c.strip()]
    assert cells[1:3] == ["−1\u202f000 kWh", "not judged"] and "None" not in row, cells
    # footprint only (the reference removed): the AI solution's 1031.59 kWh
    import yaml

    doc = yaml.safe_load((DATA / "energy.yaml").read_text())
    del doc["claim"], doc["systems"]["reference"]
    path = tmp_path / "alone.yaml"
    path.write_text(yaml.safe_dump(doc))
    payload = lca.assess(path, data_dir=data_dir, library=library).to_dict()
    row = next(r for r in _key_rows(render_html(payload)) if "Final energy" in r)
    assert "1\u202f032 kWh" in row, row
