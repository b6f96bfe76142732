"""A small "ecoinvent-like" Brightway project of a practitioner's own, built for tests.

No licensed data: the activities, amounts and the two methods below are test values (only the
biosphere3 UUIDs of CO2, methane and cobalt are real, so that our own methods recognise them).
The project is written by a separate Python process with ``BRIGHTWAY2_DIR`` pointing at a
temporary directory, so the test process's Brightway state is never switched to it.

Activities of ``ecoinvent-like-3.10-cutoff`` (per unit of their reference product):

| code | name [location] | unit | direct flows | inputs |
| --- | --- | --- | --- | --- |
| coal-de | electricity production, hard coal [DE] | kilowatt hour | CO2 1 kg (lognormal, gsd e^0.1), SO2 2 g | |
| nuclear-fr | electricity production, nuclear [FR] | kilowatt hour | CO2 0.01 kg | |
| market-fr | market for electricity, low voltage [FR] | kilowatt hour | | 0.1 kWh coal-de, 0.9 kWh nuclear-fr |
| market-de | market for electricity, low voltage [DE] | kilowatt hour | | 0.8 kWh coal-de, 0.2 kWh nuclear-fr |
| lorry | transport, freight, lorry [RER] | ton kilometer | CO2 0.1 kg, CH4 1 g | |
| steel | steel production [GLO] | kilogram | CO2 2 kg (normal, sd 0.2 kg), cobalt 10 g | |
| odd | service in an odd unit [GLO] | widget fortnight | CO2 1 kg | |

Hence per kWh: market-fr CO2 0.1 x 1 + 0.9 x 0.01 = 0.109 kg, SO2 0.0002 kg; market-de CO2
0.8 + 0.002 = 0.802 kg, SO2 0.0016 kg.

Methods (test factors): ``("IPCC 2021", "climate change", "GWP 100a")`` in kg CO2-Eq, CO2 1 and
CH4 30 (ours, from ecoinvent's IPCC 2021, has CH4 fossil 29.8: the tests tell them apart);
``("EF v3.1", "acidification", "accumulated exceedance (AE)")`` in mol H+-Eq, SO2 1.31.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

PROJECT = "ecoinvent-like"
DATABASE = "ecoinvent-like-3.10-cutoff"
BIOSPHERE = "ecoinvent-3.10-biosphere"
GWP_METHOD = ("IPCC 2021", "climate change", "GWP 100a")
ACID_METHOD = ("EF v3.1", "acidification", "accumulated exceedance (AE)")
CO2 = "349b29d1-3e58-4c66-98b9-9d1a076efd2e"
CH4 = "0795345f-c7ae-410c-ad25-1845784c75f5"
COBALT = "d0779a5e-6969-4144-954e-ceb81fb83f15"
SO2 = "test-flow-sulfur-dioxide"  # not a biosphere3 UUID: our methods do not know this flow

SCRIPT = r'''
import math, sys, warnings
warnings.filterwarnings("ignore")
import bw2data as bd

P, DB, BIO = sys.argv[1], sys.argv[2], sys.argv[3]
CO2, CH4, COBALT, SO2 = sys.argv[4:8]
bd.projects.set_current(P)
bd.Database(BIO).write({
    (BIO, CO2): {"name": "Carbon dioxide, fossil", "categories": ("air",), "unit": "kilogram", "type": "emission"},
    (BIO, CH4): {"name": "Methane, fossil", "categories": ("air",), "unit": "kilogram", "type": "emission"},
    (BIO, COBALT): {"name": "Cobalt", "categories": ("natural resource", "in ground"), "unit": "kilogram",
                    "type": "natural resource"},
    (BIO, SO2): {"name": "Sulfur dioxide", "categories": ("air",), "unit": "kilogram", "type": "emission"},
})

def act(code, name, location, product, unit, exchanges):
    return (DB, code), {"name": name, "location": location, "reference product": product, "unit": unit,
                        "type": "process", "exchanges": [
                            {"input": (DB, code), "amount": 1.0, "type": "production"}] + exchanges}

def bio(code, amount, **unc):
    return {"input": (BIO, code), "amount": amount, "type": "biosphere", **unc}

def tech(code, amount):
    return {"input": (DB, code), "amount": amount, "type": "technosphere"}

hv, lv = "electricity, high voltage", "electricity, low voltage"
bd.Database(DB).write(dict([
    act("coal-de", "electricity production, hard coal", "DE", hv, "kilowatt hour",
        [bio(CO2, 1.0, **{"uncertainty type": 2, "loc": 0.0, "scale": 0.1}), bio(SO2, 0.002)]),
    act("nuclear-fr", "electricity production, nuclear", "FR", hv, "kilowatt hour", [bio(CO2, 0.01)]),
    act("market-fr", "market for electricity, low voltage", "FR", lv, "kilowatt hour",
        [tech("coal-de", 0.1), tech("nuclear-fr", 0.9)]),
    act("market-de", "market for electricity, low voltage", "DE", lv, "kilowatt hour",
        [tech("coal-de", 0.8), tech("nuclear-fr", 0.2)]),
    act("lorry", "transport, freight, lorry", "RER", "transport, freight, lorry", "ton kilometer",
        [bio(CO2, 0.1), bio(CH4, 0.001)]),
    act("steel", "steel production", "GLO", "steel", "kilogram",
        [bio(CO2, 2.0, **{"uncertainty type": 3, "loc": 2.0, "scale": 0.2}), bio(COBALT, 0.01)]),
    act("odd", "service in an odd unit", "GLO", "service", "widget fortnight", [bio(CO2, 1.0)]),
]))
meta = bd.databases[DB]
meta["version"] = "3.10 (test data)"
bd.databases[DB] = meta
bd.databases.flush()
gwp = bd.Method(("IPCC 2021", "climate change", "GWP 100a"))
gwp.register(unit="kg CO2-Eq", description="test factors")
gwp.write([((BIO, CO2), 1.0), ((BIO, CH4), 30.0)])
acid = bd.Method(("EF v3.1", "acidification", "accumulated exceedance (AE)"))
acid.register(unit="mol H+-Eq", description="test factors")
acid.write([((BIO, SO2), 1.31)])
'''


def build_user_project(bw_dir: Path, extra: str = "") -> Path:
    """Write the project into ``bw_dir`` (created) with a fresh Python; ``extra`` is more code to run."""
    bw_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, BRIGHTWAY2_DIR=str(bw_dir))
    proc = subprocess.run([sys.executable, "-c", SCRIPT + extra, PROJECT, DATABASE, BIOSPHERE, CO2, CH4, COBALT,
                           SO2], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return bw_dir


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (relative path -> digest): their data, byte for byte."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
