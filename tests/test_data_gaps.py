"""DATA_GAP findings: one per system and dataset, naming the activities that use it.

The OWID grid datasets have a climate figure only: adpe, pe and water are "no data" (docs/data.md).
"""

from __future__ import annotations

import pytest

STUDY = """\
study:
  id: gaps
  name: data gaps
  functional_unit: {description: one run}
systems:
  ai:
    name: AI
    activities:
      - {id: train, name: t, stage: C1, phase: training, tier: data_centre, exchanges: [{dataset: electricity.fr, amount: "2 kWh", source: s}]}
      - {id: serve, name: s, stage: C1, phase: inference, tier: data_centre, exchanges: [{dataset: electricity.fr, amount: "1 kWh", source: s}, {dataset: electricity.fr, amount: "1 kWh", source: s}, {dataset: electricity.de, amount: "1 kWh", source: s}]}
  reference:
    name: reference
    activities:
      - {id: office, name: o, stage: C1, phase: none, tier: other, exchanges: [{dataset: electricity.fr, amount: "3 kWh", source: s}]}
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory, library, data_dir):
    import lca

    path = tmp_path_factory.mktemp("gaps") / "gaps.yaml"
    path.write_text(STUDY)
    return lca.assess(path, data_dir=data_dir, library=library)


@pytest.fixture(scope="module")
def gaps(result):
    return [(f.system, f.message) for f in result.findings if f.code == "DATA_GAP"]


def test_one_finding_per_system_and_dataset_naming_each_activity_once(gaps):
    fr = "dataset electricity.fr@owid-2023 has no data for adpe, pe, water; these criteria are underestimated for"
    de = "dataset electricity.de@owid-2023 has no data for adpe, pe, water; these criteria are underestimated for"
    assert gaps == [("ai", f"train, serve: {fr} these 2 activities"),  # serve's two exchanges: one name
                    ("ai", f"serve: {de} this activity"),
                    ("reference", f"office: {fr} this activity")]


def test_past_ten_activities_the_others_are_counted():
    from lca.balance.datagaps import _gap

    message = _gap("ai", "x@y", [f"a{i}" for i in range(12_345)], ["pe"]).message
    assert message == ("a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 and 12,335 more: dataset x@y has no data for pe; "
                       "these criteria are underestimated for these 12,345 activities")


def test_the_datasets_file_is_named_as_in_the_repository_not_by_this_machines_path(result):
    from pathlib import Path

    import lca
    from lca.core.atomic import json_bytes

    row = result.datasets["electricity.fr@owid-2023"]
    assert row["file"] == "inventories/background/generated/electricity-countries.yaml"
    installed = str(Path(lca.__file__).resolve().parent.parent)  # the checkout, or site-packages
    assert installed not in json_bytes(result.to_dict()).decode()
