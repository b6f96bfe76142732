"""Parameters: values with sources, dataset attributes, and the parameter table of the result."""

from __future__ import annotations

import pytest

import lca
from lca.core.errors import InputError

STUDY = """
study: {{id: attr, name: Attribute parameter, functional_unit: {{description: one run}}}}
parameters:
  energy: {{value: "100 kWh", source: "a measurement"}}
  pue: {pue}
systems:
  ai:
    name: AI
    activities:
      - id: it
        name: IT equipment
        stage: C1
        phase: training
        tier: data_centre
        exchanges: [{{dataset: electricity.fr, amount: "energy", source: "a measurement"}}]
      - id: overhead
        name: Cooling and power supply
        stage: C2
        phase: training
        tier: data_centre
        exchanges: [{{dataset: electricity.fr, amount: "energy * (pue - 1)", source: "PUE definition"}}]
"""


def _write(tmp_path, pue: str):
    path = tmp_path / "attr.yaml"
    path.write_text(STUDY.format(pue=pue))
    return path


def test_parameter_from_dataset_attribute(tmp_path, data_dir, library):
    path = _write(tmp_path, "{dataset: datacentre.jean-zay, attribute: pue}")
    result = lca.assess(path, data_dir=data_dir, library=library)
    pue = library.attribute_quantity("datacentre.jean-zay", "pue").magnitude  # 1.2 (Luccioni et al. 2023)
    grid = library.impact(*library.dataset("electricity.fr"), "gwp").amount  # 0.056 kgCO2e/kWh
    assert pue == pytest.approx(1.2)
    # overhead = 100 kWh x (1.2 - 1) x 0.056 = 1.12 kgCO2e
    assert result.systems["ai"].by_activity["overhead"]["gwp"] == pytest.approx(100 * (pue - 1) * grid, rel=1e-6)
    row = result.to_dict()["parameters"]["pue"]
    assert row["value"] == pytest.approx(1.2)
    assert row["dataset"].startswith("datacentre.jean-zay@")
    assert "BLOOM" in row["source"] or "Luccioni" in row["source"]
    energy = result.to_dict()["parameters"]["energy"]
    assert energy == {"value": 100.0, "unit": "kWh", "source": "a measurement", "assumption": None, "line": 4}


@pytest.mark.parametrize("pue, field, message", [
    ("{dataset: datacentre.jean-zay, attribute: wue}", "parameters.pue.attribute", "has no attribute 'wue'"),
    ("{dataset: datacentre.jean-zy, attribute: pue}", "parameters.pue.dataset", "did you mean 'datacentre.jean-zay'"),
    ("{dataset: datacentre.jean-zay}", "parameters.pue", "needs both `dataset` and `attribute`"),
    ("{value: 1.2, dataset: datacentre.jean-zay, attribute: pue}", "parameters.pue", "either `value` or"),
])
def test_bad_attribute_parameters_are_located(tmp_path, library, pue, field, message):
    path = _write(tmp_path, pue)
    with pytest.raises(InputError) as info:
        lca.validate(path, library)
    problem = info.value.problems[0]
    assert problem.line == 5 and problem.field == field and message in problem.message, str(problem)


def test_report_lists_parameters_with_their_sources(tmp_path, data_dir, library):
    from lca.report import render_html

    path = _write(tmp_path, "{dataset: datacentre.jean-zay, attribute: pue}")
    html = render_html(lca.assess(path, data_dir=data_dir, library=library))
    section = html.split('id="parameters"')[1].split("</table>")[0]
    assert "<code>energy</code>" in section and "100 kWh" in section and "a measurement" in section
    assert "<code>pue</code>" in section and "1.2" in section and "attribute <code>pue</code>" in section


def test_report_shows_raw_materials_in_years_of_world_production(data_dir, library):
    from conftest import STUDIES
    from lca.report import render_html

    html = render_html(lca.assess(STUDIES / "ev-battery-minerals.yaml", data_dir=data_dir, library=library))
    table = html.split('id="raw-materials"')[1].split("</table>")[0]
    # 39.3 million cars x 8 kg cobalt = 314,400 t against 230,000 t mined in 2023: 1.367 years
    assert "Cobalt" in table and "1.367" in table
    assert "Manganese" in table and "0.01965" in table
