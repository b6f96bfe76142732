"""ICT hardware read from the field's packages: server CPUs, AI accelerators and their hosts.

    python inventories/generators/hardware.py [--wheels DIR] [--out DIR]

Reads (pinned versions, see _common.PINS):

- BoaviztAPI ``data/crowdsourcing/cpu_specs.csv`` (die sizes, TDP, cores; TechPowerUp per row)
  and ``data/factors.yml`` (``cpu``: embodied impact per mm2 of die plus a fixed part): one
  dataset per server CPU (AMD EPYC, Intel Xeon Scalable and Max lines) with a known die size.
  The figure is BoaviztAPI's CPU manufacture model, ``die_size x die_impact + impact``, to 6
  significant digits, with that arithmetic in the value's note. Lifetime: BoaviztAPI's default CPU
  archetype (``data/archetypes/components/cpu.csv``).
- EcoLogits ``data/video_models.json`` ``hardware_configurations``: per-accelerator and per-host
  embodied impacts (GWP, ADPe, PE) of the servers EcoLogits assumes (DGX H800, DGX H200, TPU v6e),
  as variants ``ecologits-0.11.3`` of the GPU/TPU datasets and of the host datasets.

Hand-written datasets that these variants join (BoaviztAPI model runs, vendor figures) come from
``curated/hardware.yaml``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, dump_datasets, header, load_curated, num, open_package, overlay, parse_float

SCRIPT = "hardware.py"
CPU_SPECS = "boaviztapi/data/crowdsourcing/cpu_specs.csv"
FACTORS = "boaviztapi/data/factors.yml"
CPU_ARCHETYPE = "boaviztapi/data/archetypes/components/cpu.csv"
VIDEO = "ecologits/data/video_models.json"
TERMINALS = "boaviztapi/data/archetypes/user_terminal.csv"

# BoaviztAPI factors.yml device -> (dataset id, archetype device_type, words for labels, default type)
DEVICES = {
    "SMARTPHONE": ("terminal.smartphone", "smartphone", "smartphone", None),
    "LAPTOP": ("terminal.laptop", "laptop", "laptop", "pro"),
    "DESKTOP": ("terminal.desktop", "desktop", "desktop", "pro"),
    "MONITOR": ("terminal.monitor", "monitor", "monitor", None),
    "TABLET": ("terminal.tablet", "tablet", "tablet", None),
    "TELEVISION": ("terminal.tv", "television", "television", "perso"),
    "BOX": ("terminal.internet-box", "box", "internet box", None),
    "EXTERNAL_HDD": ("terminal.external-hdd", "external_hdd", "external hard-disk drive", None),
    "EXTERNAL_SSD": ("terminal.external-ssd", "external_ssd", "external solid-state drive", None),
    "USB_STICK": ("terminal.usb-stick", "usb_stick", "USB stick", None),
    "VR_HEADSET": ("terminal.vr-headset", "vr_headset", "virtual-reality headset", "oled"),
    "VR_CONTROLLER": ("terminal.vr-controller", "vr_controller", "virtual-reality controller", None),
}
DEVICE_NAMES = {"terminal.external-hdd": "External hard-disk drive", "terminal.external-ssd": "External solid-state drive",
                "terminal.usb-stick": "USB stick", "terminal.vr-headset": "Virtual-reality headset",
                "terminal.vr-controller": "Virtual-reality controller"}
TYPE_WORDS = {"pro": "professional use", "perso": "personal use", "lcd": "LCD display", "oled": "OLED display"}
TERMINAL_DESCRIPTION = (
    "Embodied impacts as BoaviztAPI uses them for its terminals' \"embedded\" figures (ADEME's manufacturing "
    "stage: raw materials, production, assembly; whether distribution and end of life are inside is not stated "
    "in the BoaviztAPI data). ADEME gives fossil resource use (ADPf), not primary energy: `pe` is \"no data\" for "
    "the ADEME variants. Manufacturer variants are the manufacturing share of the product's own life-cycle report.")
SERVER_RANGES = ("EPYC", "Xeon Platinum", "Xeon Gold", "Xeon Silver", "Xeon Bronze", "Xeon Max")
CRITERIA = (("gwp", "gwp", "kgCO2e"), ("adpe", "adp", "kgSbe"), ("pe", "pe", "MJ"))

# EcoLogits hardware configuration -> (accelerator dataset, host dataset)
ECOLOGITS_HARDWARE = {
    "dgx_h800": ("gpu.nvidia-h800", "server.gpu-chassis"),
    "dgx_h200": ("gpu.nvidia-h200", "server.gpu-chassis"),
    "tpu_v6e": ("tpu.google-v6e", "server.tpu-v6e-host"),
}
NAMES = {
    "gpu.nvidia-h800": "NVIDIA H800 SXM GPU",
    "tpu.google-v6e": "Google TPU v6e (Trillium) chip",
    "server.tpu-v6e-host": "TPU v6e host server without its 8 TPU chips (EcoLogits assumption)",
}
ECOLOGITS_LIFETIME = {"value": "3 year", "source": "EcoLogits methodology, docs/methodology/llm_inference.md: "
                      "lifetime of the server and its accelerators fixed at 3 years"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _cpus(bz) -> list[dict]:
    import yaml

    factors = yaml.safe_load(bz.read_text(FACTORS))["cpu"]
    archetype = next(r for r in bz.csv_dicts(CPU_ARCHETYPE) if r["id"] == "DEFAULT")
    life = archetype["USAGE.hours_life_time"]
    out: dict[str, dict] = {}
    for row in bz.csv_dicts(CPU_SPECS):
        if not any(row["model_range"].startswith(r) for r in SERVER_RANGES) or "Embedded" in row["model_range"]:
            continue
        die = parse_float(row["total_die_size"])
        if not die:
            continue
        ident = "cpu." + _slug(row["name"])
        if ident in out:
            continue
        cite = f"BoaviztAPI 2.5.0 {CPU_SPECS}, row {row['name']!r}"
        attributes = {"lifetime": {"value": f"{life} h", "year": 2025,
                                   "source": f"BoaviztAPI 2.5.0 {CPU_ARCHETYPE}, DEFAULT USAGE.hours_life_time"}}
        if parse_float(row["tdp"]):
            attributes["tdp"] = {"value": f"{num(parse_float(row['tdp']))} W",
                                 "source": f"{row['source'] or 'TechPowerUp CPU database'}, as shipped in {cite}, column tdp"}
        if parse_float(row["cores"]):
            attributes["cores"] = {"value": num(parse_float(row["cores"])), "source": f"{cite}, column cores"}
        impacts = {}
        for crit, key, unit in CRITERIA:
            per_mm2, fixed = factors[key]["die_impact"], factors[key]["impact"]
            total = die * per_mm2 + fixed
            impacts[crit] = {  # the number, the expression in the note (a plain number loads fast)
                "value": f"{total:.6g} {unit}", "year": 2025,
                "source": (f"BoaviztAPI 2.5.0 CPU manufacture model: total die size {num(die)} mm2 ({cite}, column "
                           f"total_die_size, from {row['total_die_size_source'] or 'the row'}) x {num(per_mm2)} {unit} "
                           f"per mm2 + {num(fixed)} {unit} ({FACTORS} cpu.{key}.die_impact and cpu.{key}.impact)"),
                "note": f"{num(die)} mm2 x {num(per_mm2)} {unit}/mm2 + {num(fixed)} {unit} = {total:.6g} {unit}",
            }
        impacts["water"] = "no data"
        cores = f", {num(parse_float(row['cores']))} cores" if parse_float(row["cores"]) else ""
        released = f", released {row['release_date']}" if row["release_date"] else ""
        out[ident] = {
            "id": ident, "kind": "equipment", "name": f"{row['name']} CPU ({row['code_name'] or row['model_range']}{cores})",
            "unit": "unit", "covers": "A+B1",
            "description": ("The CPU package alone (die and its fixed part), BoaviztAPI's bottom-up manufacture model; "
                            f"{row['manufacturer']} {row['model_range']}{released}. Add it per socket to a server "
                            "chassis, or use a server dataset."),
            "attributes": attributes, "default": "boavizta-2025",
            "variants": {"boavizta-2025": {"label": "BoaviztAPI 2.5.0 CPU manufacture model (die size x factor + fixed)",
                                           "impacts": impacts}},
        }
    return list(out.values())


def _ecologits_hardware(el) -> dict[str, dict]:
    data = el.json(VIDEO)["hardware_configurations"]
    out: dict[str, dict] = {}
    for config, (accelerator, host) in ECOLOGITS_HARDWARE.items():
        hw = data[config]
        for ident, part, what in ((accelerator, "accelerator_embodied", "one accelerator"),
                                  (host, "server_embodied", f"the host without its {hw['number_of_accelerators']} accelerators")):
            key = f"hardware_configurations.{config}.{part}"
            impacts = {crit: {"value": f"{num(hw[part][k])} {unit}",
                              "source": f"{el.cite(VIDEO, f'{key}.{k}')}; the file does not state its source",
                              "note": "year not stated in the file"}
                       for crit, k, unit in (("gwp", "gwp", "kgCO2e"), ("adpe", "adpe", "kgSbe"), ("pe", "pe", "MJ"))}
            impacts["water"] = "no data"
            vname = "ecologits-0.11.3" if ident.startswith(("gpu.", "tpu.")) or ident == "server.tpu-v6e-host" \
                else f"ecologits-0.11.3-{config.replace('_', '-')}"
            variant = {"label": f"{el.label}, {what} of its {config} configuration (video models)", "impacts": impacts}
            if part == "server_embodied":
                power = hw["server_power"]
                variant["attributes"] = {"power": {
                    "value": f"{num(power['mean'])} W",
                    "source": el.cite(VIDEO, f"hardware_configurations.{config}.server_power.mean"),
                    "note": f"whole server with its accelerators; 2.5-97.5 percentiles {num(power['p2_5'])} to "
                            f"{num(power['p97_5'])} W"}}
            ds = out.setdefault(ident, {
                "id": ident, "kind": "equipment", "name": NAMES.get(ident, ident), "unit": "unit", "covers": "A+B1",
                "attributes": {"lifetime": ECOLOGITS_LIFETIME}, "default": vname, "variants": {}})
            if part == "accelerator_embodied":
                twins = [c for c, h in data.items() if h[part]["gwp"] != hw[part]["gwp"]  # another chip
                         and all(h[part][k] == hw[part][k] for k in ("adpe", "pe"))]
                if twins:
                    variant["note"] = (f"its ADPe and PE are the same numbers as those of {', '.join(twins)} in the same "
                                       "file: reused across accelerators, not specific to this one")
            same = [v for v in ds["variants"].values() if v["impacts"] == impacts]
            if same:  # two configurations with the same accelerator (DGX H200 and single H200): one variant
                continue
            ds["variants"][vname] = variant
    return out


def _terminals(bz) -> dict[str, dict]:
    import yaml

    factors = yaml.safe_load(bz.read_text(FACTORS))
    archetypes = bz.csv_dicts(TERMINALS)
    out: dict[str, dict] = {}

    def archetype(device_type, kind):
        rows = [r for r in archetypes if r["device_type"] == device_type]
        return next((r for r in rows if r["type"] == kind), None) or next((r for r in rows if r["type"] == "default"), None)

    def attrs(row):
        where = f"BoaviztAPI 2.5.0 {TERMINALS.removeprefix('boaviztapi/')}, archetype {row['id']}"
        out_ = {}
        if row["USAGE.hours_life_time"]:
            out_["lifetime"] = {"value": f"{row['USAGE.hours_life_time']} h", "year": 2025, "source": f"{where} (hours_life_time)"}
        power = row["USAGE.avg_power"].split(";")[0]
        if parse_float(power):
            out_["use_power"] = {"value": f"{num(parse_float(power))} W", "year": 2025,
                                 "source": f"{where} (USAGE.avg_power, typical value)"}
        if row["USAGE.use_time_ratio"]:
            out_["use_time_ratio"] = {"value": num(parse_float(row["USAGE.use_time_ratio"])), "year": 2025,
                                      "source": f"{where} (USAGE.use_time_ratio)"}
        return out_

    for device, (ident, device_type, words, default_type) in DEVICES.items():
        entry = factors[device]
        typed = "impact" not in entry["gwp"]
        kinds = list(entry["gwp"]) if typed else [None]
        values = {k: tuple((entry[c][k] if typed else entry[c])["impact"] for c in ("gwp", "adpe")) for k in kinds}
        if typed and len(set(values.values())) == 1:  # the same figure for every type: one variant
            kinds = [default_type or kinds[0]]
        base = archetype(device_type, default_type or "default")
        variants = {}
        for kind in kinds:
            item = {c: (entry[c][kind] if typed else entry[c]) for c in ("gwp", "adpe")}
            origin = item["gwp"]["source"]
            ademe = "ademe" in origin
            prefix = "ademe-negaoctet" if ademe else "cepir-2022"
            vname = f"{prefix}-{kind}" if kind and len(kinds) > 1 else prefix
            key = f"{device}.{{crit}}" + (f".{kind}" if typed else "") + ".impact"
            who = "ADEME Base Empreinte / NegaOctet" if ademe else origin
            cite = (f"{who}, {words}, as shipped in BoaviztAPI 2.5.0 {FACTORS} ({device}) and "
                    "data/crowdsourcing/ademe_base_impacts_negaoctet.csv") if ademe else f"{who}, {words}, as shipped in BoaviztAPI 2.5.0 {FACTORS}"
            note = {"note": "2025 is the year of the BoaviztAPI release that ships the ADEME figure"} if ademe else {}
            impacts = {
                "gwp": {"value": f"{num(item['gwp']['impact'])} kgCO2e", "year": 2025, "source": cite, **note},
                "adpe": {"value": f"{num(item['adpe']['impact'])} kgSbe", "year": 2025, "source": cite},
                "pe": "no data", "water": "no data"}
            for crit in ("gwp", "adpe"):
                impacts[crit]["source"] += f", key {key.format(crit=crit)}"
            label_who = "ADEME Base Empreinte (NegaOctet)" if ademe else "CEPIR 2022 (as shipped in BoaviztAPI)"
            label = f"{label_who}, {words}" + (f", {TYPE_WORDS.get(kind, kind)}" if kind and len(kinds) > 1 else "")
            variant = {"label": label}
            own = archetype(device_type, kind) if kind else None
            if own and base and own["id"] != base["id"]:
                extra = {k: v for k, v in attrs(own).items() if attrs(base).get(k, {}).get("value") != v["value"]}
                if extra:
                    variant["attributes"] = extra
            variant["impacts"] = impacts
            variants[vname] = variant
        default = next(v for v in variants if (default_type or "") in v) if default_type and len(variants) > 1 else next(iter(variants))
        out[ident] = {"id": ident, "kind": "equipment", "name": DEVICE_NAMES.get(ident, words.capitalize()),
                      "unit": "unit", "covers": "A+B1", "description": TERMINAL_DESCRIPTION,
                      "attributes": attrs(base) if base else {}, "default": default, "variants": variants}
    server = factors["SERVER"]
    cite = f"ADEME Base Empreinte / NegaOctet, server, as shipped in BoaviztAPI 2.5.0 {FACTORS} SERVER"
    out["server.generic"] = {"id": "server.generic", "kind": "equipment", "name": "Rack server, generic", "unit": "unit",
                             "covers": "A+B1", "default": "ademe-negaoctet", "variants": {"ademe-negaoctet": {
        "label": "ADEME Base Empreinte (NegaOctet), server",
        "impacts": {"gwp": {"value": f"{num(server['gwp']['impact'])} kgCO2e", "year": 2025, "source": cite + ".gwp.impact"},
                    "adpe": {"value": f"{num(server['adpe']['impact'])} kgSbe", "year": 2025, "source": cite + ".adpe.impact"},
                    "pe": "no data", "water": "no data"}}}}
    return out


KEY_ORDER = ("id", "kind", "name", "unit", "covers", "geography", "description", "attributes", "default", "variants")


def _order(ds: dict) -> dict:
    out = {k: ds[k] for k in KEY_ORDER if k in ds}
    out.update({k: v for k, v in ds.items() if k not in out})
    return out


def generate(wheels=None) -> dict[str, str]:
    """Write the hardware datasets (server CPUs, accelerators and hosts) from the pinned packages."""
    bz, el = open_package("boaviztapi", wheels), open_package("ecologits", wheels)
    cpus = _cpus(bz)
    accel = _ecologits_hardware(el)
    accel.update(_terminals(bz))
    overlay(accel, load_curated("hardware.yaml"), "curated/hardware.yaml")
    return {
        "hardware-cpus.yaml": dump_datasets([_order(d) for d in sorted(cpus, key=lambda d: d["id"])], header(SCRIPT, [bz], [
            "Server CPUs: BoaviztAPI's manufacture model per CPU package; see the generator's docstring."])),
        "hardware-devices.yaml": dump_datasets([_order(accel[k]) for k in sorted(accel)], header(SCRIPT, [el, bz], [
            "AI accelerators and their hosts, servers and user terminals, with the hand-written variants of "
            "curated/hardware.yaml."])),
    }


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
