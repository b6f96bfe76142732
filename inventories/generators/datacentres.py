"""Data centres of AI providers as EcoLogits models them: PUE and on-site WUE.

    python inventories/generators/datacentres.py [--wheels DIR] [--out DIR]

Reads EcoLogits (pinned, see _common.PINS) ``data/video_models.json`` ``provider_configurations``:
per AI provider, the data-centre location (ISO 3166 alpha-3), PUE and WUE (litres of water
consumed on site per kWh of IT energy) that EcoLogits assumes. Only providers with one value per
field are shipped (a min-max range is EcoLogits' way to mix two clouds; it names no single site).

These datasets carry attributes only, like the other datacentre.* datasets: a study multiplies its
IT energy by ``pue`` for the facility's electricity and by ``wue`` for the on-site water (the
off-site water is the electricity's own ``water`` value).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, dump_datasets, header, num, open_package

SCRIPT = "datacentres.py"
VIDEO = "ecologits/data/video_models.json"


def generate(wheels=None) -> dict[str, str]:
    """Write the AI providers' data centres (PUE, WUE) from the pinned EcoLogits data."""
    el = open_package("ecologits", wheels)
    configs = el.json(VIDEO)["provider_configurations"]
    datasets = []
    for provider in sorted(configs):
        conf = configs[provider]
        pue, wue = conf["datacenter_pue"], conf["datacenter_wue"]
        if isinstance(pue, dict) or isinstance(wue, dict):
            continue
        key = f"provider_configurations.{provider}"
        datasets.append({
            "id": f"datacentre.ai-provider-{provider}", "kind": "datacentre",
            "name": f"Data centre of the AI provider {provider}, as EcoLogits 0.11.3 assumes it", "unit": "kWh",
            "covers": "C2", "geography": conf["datacenter_location"],
            "description": ("Attributes only: multiply a study's IT energy by pue (facility electricity) and by wue "
                            "(on-site water consumed, litres per kWh of IT energy). EcoLogits gives the figures "
                            "without their original source in this file."),
            "default": "ecologits-0.11.3",
            "variants": {"ecologits-0.11.3": {
                "label": f"{el.label}, provider configuration {provider}",
                "attributes": {
                    "pue": {"value": num(pue), "source": el.cite(VIDEO, f"{key}.datacenter_pue"),
                            "note": "year not stated in the file"},
                    "wue": {"value": f"{num(wue)} L/kWh", "source": el.cite(VIDEO, f"{key}.datacenter_wue"),
                            "note": "on-site water per kWh of IT energy; year not stated in the file"},
                },
                "impacts": {"gwp": "no data", "adpe": "no data", "pe": "no data", "water": "no data"}}},
        })
    return {"datacentres-ai-providers.yaml": dump_datasets(datasets, header(SCRIPT, [el], [
        "Data centres of AI providers (PUE, on-site WUE) as EcoLogits assumes them."]))}


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
