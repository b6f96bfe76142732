"""``lca data search``: text, kind, geography and source filters, combined; counts checkable with grep.

Each expected set below can be recounted from the YAML files of inventories/background, e.g.
``grep -rn "geography: FRA" inventories/background``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lca.library import search
from lca.library.search import Query


def ids(library, **kw) -> list[str]:
    return search.matching_ids(library, Query(**kw))


def _written(library, *codes: str) -> set[str]:
    """The datasets whose geography, as written in the YAML, is one of ``codes`` or a subdivision of one."""
    return {i for i, ds in library.datasets.items() if ds.geography and
            (ds.geography in codes or ds.geography.split("-")[0] in codes)}


def test_geography_is_exact_and_case_insensitive(library):
    # grep "geography: FRA": electricity-countries.yaml (electricity.fr), electricity-cloud-regions.yaml
    # (electricity.gcp-europe-west9), datacentre.yaml (datacentre.jean-zay), and the target systems'
    # French heat pumps and cars (the library grows: the count is taken from the datasets themselves)
    found = set(ids(library, geography="fra"))
    assert {"electricity.fr", "electricity.gcp-europe-west9", "datacentre.jean-zay"} <= found
    assert found == set(ids(library, geography="FRA")) == _written(library, "FRA")
    assert set(ids(library, geography="FR")) == found  # France's alpha-2 finds what its alpha-3 does


def test_a_country_code_matches_its_subdivisions(library):
    # US-AK ... US-WY (the 50 states and DC, grep -c "geography: US-" electricity-subnational.yaml:
    # 51) and USA (the US average, the GPT-3 training site, cloud regions, AI providers' data
    # centres, target systems) are one country in ISO alpha-2 and alpha-3: either form finds them
    # all (it found the states or USA alone, a state's grid missing from a search for USA)
    found = set(ids(library, geography="US"))
    assert found == set(ids(library, geography="USA")) == _written(library, "US", "USA")
    assert len(_written(library, "US")) == 51
    assert {"electricity.us-ca", "electricity.us", "electricity.gpt3-training-site"} <= found
    # China: CHN (electricity.cn, one cloud region) and its 30 provinces CN-AH ... CN-ZJ
    china = set(ids(library, geography="CHN"))
    assert china == set(ids(library, geography="cn")) == _written(library, "CN", "CHN")
    assert len(_written(library, "CN")) == 30 and "electricity.cn" in china
    assert ids(library, geography="US-CA") == ["electricity.us-ca"]  # a subdivision matches itself only


def test_text_matches_ids_names_descriptions_and_sources_id_hits_first(library):
    # "tpu": tpu.google-v2, -v3, -v4, -v5e, -v5p (equipment.yaml), tpu.google-v6e and server.tpu-v6e-host
    # (hardware-devices.yaml) in their ids; others mention TPUs only in a description or source
    found = ids(library, text="tpu")
    titled = {"tpu.google-v2", "tpu.google-v3", "tpu.google-v4", "tpu.google-v5e", "tpu.google-v5p",
              "tpu.google-v6e", "server.tpu-v6e-host"}
    assert set(found[:len(titled)]) == titled
    # every word must occur: "tpu v5" leaves the two v5 chips in their ids
    assert ids(library, text="TPU v5")[:2] == ["tpu.google-v5e", "tpu.google-v5p"]


def test_source_is_a_substring_of_a_value_source(library):
    # the World Nuclear Association life-cycle comparison is the source CodeCarbon names for 5
    # technologies (grep -c "world-nuclear.org" target-systems-electricity-generation.yaml)
    found = ids(library, source="WORLD-NUCLEAR.ORG")
    assert len(found) == 5 and all(i.startswith("electricity.generation-") for i in found)
    # The Shift Project's 1byte model is cited in network.yaml by network.fixed and network.mobile
    assert ids(library, source="Shift Project") == ["network.fixed", "network.mobile"]


def test_filters_combine(library):
    assert ids(library, text="jean zay", kind="datacentre", geography="FRA") == ["datacentre.jean-zay"]
    assert ids(library, kind="electricity", geography="FRA", source="EcoLogits") == ["electricity.fr"]
    assert ids(library, kind="network", geography="FRA") == []
    # no filter at all: every dataset
    assert len(ids(library)) == len(library.datasets)


def test_results_are_the_list_entries(library):
    from lca.library import catalog

    [entry] = search.search_datasets(library, Query("jean-zay"))
    assert entry == catalog.dataset_entry(library, library.datasets["datacentre.jean-zay"])


@pytest.mark.parametrize("kw, field", [({"kind": "spaceship"}, "kind"), ({"geography": " "}, "geography"),
                                       ({"source": ""}, "source")])
def test_bad_filters_are_refused(library, kw, field):
    from lca.core.errors import InputError

    with pytest.raises(InputError) as err:
        ids(library, **kw)
    assert err.value.problems[0].field == field


def run_search(*args, data_dir):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "lca.cli", "data", "search", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_cli_json_and_text(data_dir):
    proc = run_search("jean", "zay", "--kind", "datacentre", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert [e["id"] for e in json.loads(proc.stdout)] == ["datacentre.jean-zay"]
    proc = run_search("--geography", "fra", "--source", "ecologits", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2].startswith("electricity.fr ") and "1 dataset;" in proc.stdout


def test_cli_nothing_matches_says_so_exit_0(data_dir):
    proc = run_search("quantum-flux-capacitor", "--kind", "equipment", "--json", data_dir=data_dir)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []
    assert "no dataset matches text 'quantum-flux-capacitor', kind equipment" in proc.stderr
    proc = run_search("--kind", "spaceship", data_dir=data_dir)
    assert proc.returncode == 2 and "unknown kind 'spaceship'" in proc.stderr
    # an option's problem names the command and the option, not a file and a line ("--kind:1: kind:")
    assert proc.stderr.startswith("lca data search: --kind: unknown kind 'spaceship'; use one of electricity,")
    proc = run_search("--geography", " ", data_dir=data_dir)
    assert proc.returncode == 2 and proc.stderr.startswith("lca data search: --geography: --geography is empty")


def test_data_search_does_not_import_the_engine():
    code = ("import sys; from lca.cli import main; main(['data', 'search', 'jean-zay']); "
            "print([m for m in sys.modules if m.startswith(('lca.engine', 'bw2calc', 'bw2data'))])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_cli_one_match_is_one_dataset_not_datasets(data_dir):
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "data", "search", "--geography", "US-CA"],
                          capture_output=True, text=True, env={**os.environ, "AI_LCA_DATA_DIR": str(data_dir)})
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1].startswith("1 dataset; "), proc.stdout
