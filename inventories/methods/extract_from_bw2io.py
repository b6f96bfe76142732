"""Development-time extraction of characterisation factors and biosphere3 flows from bw2io.

Run once by a maintainer (bw2io installed, no network needed):

    python inventories/methods/extract_from_bw2io.py
    python inventories/methods/extract_from_bw2io.py --wheel bw2io-0.9.17-py3-none-any.whl

(the second form reads the released wheel as a zip file, without installing bw2io).

It reads bw2io's bundled ``lcia_39_ecoinvent.zip`` (the ecoinvent 3.9 LCIA implementation) and
``ecoinvent elementary flows 3.9.xml`` and writes, for the methods listed in ``METHODS``, one
YAML file per criterion plus ``flows-biosphere3.yaml`` with the names, compartments, units and
UUIDs of every flow they use. ai-lca does not need bw2io at run time.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BW2IO_SOURCE = "bw2io 0.9.17, data/lcia/lcia_39_ecoinvent.zip (ecoinvent 3.9 LCIA implementation)"

# criterion id -> (bw2io method name, criterion name, unit, primary source, year, order[, scale])
# ``scale`` converts the method's unit to the criterion's (water: m3 of the method -> litres).
METHODS = {
    "gwp": (("IPCC 2021", "climate change", "global warming potential (GWP100)"),
            "Climate change (GWP100, IPCC AR6)", "kgCO2e",
            "IPCC AR6 WG1 (2021), Chapter 7 Table 7.SM.7, as implemented in ecoinvent 3.9 LCIA", 2021, 1),
    "adpe": (("CML v4.8 2016", "material resources: metals/minerals",
              "abiotic depletion potential (ADP): elements (ultimate reserves)"),
             "Abiotic depletion, minerals and metals (ADPe, ultimate reserves)", "kgSbe",
             "CML-IA v4.8 (2016), Leiden University; van Oers et al. 2002, as implemented in ecoinvent 3.9 LCIA",
             2016, 2),
    "pe": (("Cumulative Energy Demand (CED)", "total", "energy content (HHV)"),
           "Primary energy (cumulative energy demand, HHV)", "MJ",
           "Frischknecht et al. 2007, Implementation of LCIA methods, ecoinvent report 3, as in ecoinvent 3.9 LCIA",
           2007, 3),
    "water": (("ReCiPe 2016 v1.03, midpoint (H)", "water use", "water consumption potential (WCP)"),
              "Water consumption (water consumption potential)", "L",
              "Huijbregts et al. 2017, ReCiPe2016 (RIVM report 2016-0104a), water consumption potential (WCP, "
              "m3 consumed), as implemented in ecoinvent 3.9 LCIA (water evaporated to air); factors x 1000 "
              "for litres", 2016, 4, 1000),
}

UNIT_NAMES = {"kg": "kg", "MJ": "MJ", "m3": "m**3", "kBq": "kBq", "m2*year": "m**2*year", "m2": "m**2"}


def _flow_table(xml_path: Path) -> dict[str, dict]:
    ns = {"e": "http://www.EcoInvent.org/EcoSpold02"}
    table = {}
    for el in ET.parse(xml_path).getroot().findall("e:elementaryExchange", ns):
        comp = el.find("e:compartment", ns)
        table[el.get("id")] = {
            "unit": el.find("e:unitName", ns).text,
            "compartment": comp.find("e:compartment", ns).text,
            "subcompartment": comp.find("e:subcompartment", ns).text,
        }
    return table


def _bw2io_files(argv: list[str]):
    """(LCIA zip file, elementary flows XML file) from the installed bw2io or from ``--wheel PATH``."""
    import io

    if len(argv) == 2 and argv[0] == "--wheel":
        wheel = zipfile.ZipFile(argv[1])
        version = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        if "Version: 0.9.17" not in wheel.read(version).decode():
            raise SystemExit("the factors are pinned to bw2io 0.9.17")
        return (io.BytesIO(wheel.read("bw2io/data/lcia/lcia_39_ecoinvent.zip")),
                io.BytesIO(wheel.read("bw2io/data/lci/ecoinvent elementary flows 3.9.xml")))
    import bw2io

    root = Path(bw2io.__file__).parent / "data"
    return root / "lcia" / "lcia_39_ecoinvent.zip", root / "lci" / "ecoinvent elementary flows 3.9.xml"


def main(argv: list[str] | None = None) -> int:
    lcia, xml = _bw2io_files(sys.argv[1:] if argv is None else argv)
    methods = json.loads(zipfile.ZipFile(lcia).read("data.json"))
    by_name = {tuple(m["name"]): m for m in methods}
    xml_flows = _flow_table(xml)
    flows: dict[str, dict] = {}
    for crit, (name, label, unit, source, year, order, *scale) in METHODS.items():
        scale = scale[0] if scale else 1
        method = by_name[name]
        factors = []
        for ex in method["exchanges"]:
            uuid = ex["input"][1]
            meta = xml_flows[uuid]
            cats = list(ex["categories"])
            flows[uuid] = {
                "id": uuid, "name": ex["name"], "categories": cats,
                "unit": UNIT_NAMES.get(meta["unit"], meta["unit"]),
                "type": "natural resource" if cats[0] == "natural resource" else "emission",
            }
            factors.append({"flow": uuid, "name": f"{ex['name']} ({', '.join(cats)})",
                            "factor": ex["amount"] * scale if scale != 1 else ex["amount"]})
        doc = {
            "criterion": {"id": crit, "name": label, "unit": unit,
                          "source": f"{source}; factors read from {BW2IO_SOURCE}, method {' / '.join(name)}",
                          "year": year},
            "order": order,
            "factors": sorted(factors, key=lambda f: f["name"]),
        }
        (HERE / f"{crit}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110))
    doc = {"source": f"ecoinvent 3.9 elementary flows (biosphere3), read from bw2io 0.9.17 "
                     f"'ecoinvent elementary flows 3.9.xml' and {BW2IO_SOURCE}",
           "flows": sorted(flows.values(), key=lambda f: (f["name"], f["categories"]))}
    (HERE / "flows-biosphere3.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110))
    print(f"wrote {len(METHODS)} methods and {len(flows)} flows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
