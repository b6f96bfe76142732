"""Hand-typed IPCC defaults of inventories/background/target-systems.yaml, checked against a package.

bonsai_ipcc 0.5.3 (MIT, "Implementation of the IPCC Guidelines for National GHG Inventories") ships
the Guidelines' default parameters as CSV files (``bonsai_ipcc/data/<volume>/<chapter>/par_*.csv``,
columns year, region, ..., property ``def``, value, unit). Its wheel is fetched with
``pip download --no-deps`` and read as a zip (never installed: it pulls in heavy dependencies);
without it these checks are skipped, saying why.

Only the factors whose edition agrees are compared. bonsai_ipcc carries the 2019 Refinement for
steel and pig iron (``par_ef_co2_steel.csv``, ``par_ef_co2_pigiron.csv``, year 2019), which differ
from the IPCC 2006 Table 4.1 values the library cites; those are not compared. It has no energy
volume: the stationary and mobile combustion factors (IPCC 2006 Vol. 2) have no package check.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lca.core import units

PIN = "bonsai_ipcc==0.5.3"
DATA = "bonsai_ipcc/data/"


@pytest.fixture(scope="module")
def bonsai(tmp_path_factory):
    folder = Path(os.environ.get("AI_LCA_WHEELS") or tmp_path_factory.mktemp("wheels"))
    wheels = sorted(folder.glob("bonsai_ipcc-0.5.3-*.whl"))
    if not wheels:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder),
                               PIN], capture_output=True, text=True, timeout=300)
        wheels = sorted(folder.glob("bonsai_ipcc-0.5.3-*.whl"))
        if proc.returncode != 0 or not wheels:
            pytest.skip(f"{PIN} could not be downloaded: {proc.stderr.strip()[-300:]}")
    archive = zipfile.ZipFile(wheels[0])

    def default(path: str, **where) -> float:
        """The ``def`` value of the one row of ``path`` whose columns match ``where``."""
        rows = csv.DictReader(io.StringIO(archive.read(DATA + path).decode("utf-8-sig")))
        found = [r for r in rows if r["property"] == "def" and all(r[k] == v for k, v in where.items())]
        assert len(found) == 1, (path, where, found)
        return float(found[0]["value"])

    return default


def _flows_kg(library, ident: str) -> list[float]:
    ds, variant = library.dataset(ident)
    return [units.convert(units.parse_quantity(f.amount), "kg") for f in ds.variants[variant].flows]


def test_aluminium_anode_co2(library, bonsai):
    # IPCC 2006 Vol. 3 ch. 4 Table 4.10: prebake 1.6, Soderberg 1.7 t CO2 per t aluminium
    assert _flows_kg(library, "material.aluminium-primary-prebake") == [
        pytest.approx(bonsai("industry/metal/par_ef_co2_alu.csv", activity="prebake"))]
    assert _flows_kg(library, "material.aluminium-primary-soderberg") == [
        pytest.approx(bonsai("industry/metal/par_ef_co2_alu.csv", activity="soderberg"))]


def test_cement_clinker_factor_is_the_cao_content_and_dust_correction(library, bonsai):
    # IPCC 2006 Vol. 3 ch. 2 sec. 2.2.1.1 (Tier 1): 0.65 CaO x 44/56 = 0.5107 t CO2/t clinker, x 1.02
    # for cement kiln dust = 0.5209; the library writes the Guidelines' rounded 0.52
    cao = bonsai("industry/mineral/par_cao_in_clinker.csv")
    ckd = bonsai("industry/mineral/par_ckd_correc_fact.csv")
    assert (cao, ckd) == (0.65, 1.02)
    assert _flows_kg(library, "material.cement-clinker") == [pytest.approx(cao * 44 / 56 * ckd, abs=0.005)]


@pytest.mark.parametrize("ident, activity", [
    ("water.wastewater-anaerobic-reactor", "coll_treat_anaerob_a-reactors"),
    ("water.wastewater-untreated-stagnant-sewer", "coll_untreat_sewer-stagnant"),
])
def test_wastewater_methane_is_bo_times_mcf(library, bonsai, ident, activity):
    # IPCC 2006 Vol. 5 ch. 6, Table 6.2 (Bo 0.6 kg CH4/kg BOD) x Table 6.3 (MCF of the system)
    bo = bonsai("waste/wastewater/par_b0_bod.csv")
    mcf = bonsai("waste/wastewater/par_mcf_wwatertreat.csv", activity=activity)
    assert _flows_kg(library, ident) == [pytest.approx(bo * mcf)]


def test_effluent_n2o(library, bonsai):
    # IPCC 2006 Vol. 5 ch. 6, Table 6.11: 0.005 kg N2O-N per kg N discharged, x 44/28
    ef = bonsai("waste/wastewater/par_ef_n2o_wwaterdischarge.csv", wwaterdischarge_type="freshwater_aquatic_tier1")
    assert _flows_kg(library, "water.wastewater-effluent-nitrogen") == [pytest.approx(ef * 44 / 28)]


def test_direct_soil_n2o_ef1(library, bonsai):
    # IPCC 2006 Vol. 4 ch. 11 Table 11.1: EF1 = 0.01 kg N2O-N per kg N (bonsai_ipcc ships the 2019
    # Refinement's aggregated EF1, the same 0.01); the first flow is the direct emission, x 44/28
    ef1 = bonsai("agriculture/soils/par_ef1.csv", cultivation_type="N_unspec", moisture_regime="undefined")
    assert _flows_kg(library, "agriculture.synthetic-nitrogen-applied")[0] == pytest.approx(ef1 * 44 / 28)
