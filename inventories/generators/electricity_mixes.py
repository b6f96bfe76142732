"""Electricity per kWh for every zone the field's packages cover, one variant per source.

    python inventories/generators/electricity_mixes.py [--wheels DIR] [--out DIR]

Reads (pinned versions, see _common.PINS):

- CodeCarbon ``data/private_infra/global_energy_mix.json``: Our World in Data / Ember life-cycle
  carbon intensity per country and year (variant ``owid-YEAR``);
  ``carbon_intensity_per_source.json``: the IEA 2019 world average (``electricity.world@iea-2019``);
  ``data/cloud/impact.csv``: Google Cloud region intensities (``electricity.gcp-REGION``);
  ``private_infra/2023/usa_emissions.json`` (EPA eGRID 2023, per state) and
  ``2023/china_provincial_emissions.json`` (MEE 2023, per province).
- EcoLogits ``data/electricity_mixes.json``: GWP, ADPe, PE and water per kWh (variant
  ``ecologits-0.11.3``). A value that EcoLogits flags as the world default for that zone
  (warnings ``electricity-mix-adpe-world``, ``-pe-world``, ``-wue-world``) is NOT the zone's
  own figure: it is written ``no data`` and the variant's note says so.
- BoaviztAPI ``data/crowdsourcing/electrical_mix.csv``: ADEME Base IMPACTS 2011 (GWP, ADPe and
  BoaviztAPI's primary-energy derivation, variant ``ademe-2011``), the 2019 Applied Energy
  European figures (``eu-applied-energy-2019``) and Ember 2020 (``ember-2020``).

Hand-written variants from papers (BLOOM's French grid, Hydro-Quebec) and hand-written fields
(names, descriptions, defaults of a few zones) come from ``curated/electricity.yaml``.

Ids keep the library's convention ``electricity.<ISO 3166 alpha-2, lower case>`` (``electricity.uk``
for the United Kingdom, ``electricity.eu``, ``electricity.world``); sub-national zones add the
ISO 3166-2 subdivision (``electricity.us-ca``, ``electricity.cn-bj``).
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    cli, dump_datasets, header, load_curated, num, open_package, overlay, parse_float,
)

SCRIPT = "electricity_mixes.py"
CC_MIX = "codecarbon/data/private_infra/global_energy_mix.json"
CC_SOURCES = "codecarbon/data/private_infra/carbon_intensity_per_source.json"
CC_CLOUD = "codecarbon/data/cloud/impact.csv"
CC_USA = "codecarbon/data/private_infra/2023/usa_emissions.json"
CC_CHINA = "codecarbon/data/private_infra/2023/china_provincial_emissions.json"
EL_MIX = "ecologits/data/electricity_mixes.json"
BZ_MIX = "boaviztapi/data/crowdsourcing/electrical_mix.csv"

SPECIAL_IDS = {"GBR": "uk", "EEE": "eu", "WOR": "world"}  # the library's ids since its first release
SPECIAL_GEO = {"EEE": "EU", "WOR": "GLO"}
LB = 0.45359237  # kg per international avoirdupois pound (exact, by definition)

# The variant a study gets when it names only the zone: a single-source life-cycle climate figure,
# the most recent first (unchanged from the hand-written library for the zones it had).
DEFAULT_ORDER = ("owid-", "iea-2019", "eu-applied-energy-2019", "ecologits-", "egrid-", "mee-", "ember-2020",
                 "google", "ademe-2011")


def _alpha2(alpha3: str) -> str | None:
    try:
        import pycountry
    except ImportError as exc:  # a build-time dependency of this generator only
        raise SystemExit("electricity_mixes.py needs pycountry (ISO 3166 codes): pip install pycountry") from exc
    country = pycountry.countries.get(alpha_3=alpha3) or pycountry.historic_countries.get(alpha_3=alpha3)
    return country.alpha_2.lower() if country else None


def _pycountry_name(alpha3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3) or pycountry.historic_countries.get(alpha_3=alpha3)
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


def _zone_id(alpha3: str) -> str:
    return "electricity." + (SPECIAL_IDS.get(alpha3) or _alpha2(alpha3) or alpha3.lower())


# ---------------------------------------------------------------- readers
def _boavizta_rows(bz):
    rows = bz.csv_rows(BZ_MIX)
    head = rows[0]
    zones = head[7:]
    names = dict(zip(zones, rows[1][7:]))
    table = []
    for r in rows[2:]:
        meta = dict(zip(head[:7], r[:7]))
        values = {z: parse_float(v) for z, v in zip(zones, r[7:])}
        table.append((meta, values))
    return zones, names, table


def _row(table, name, source_startswith):
    for meta, values in table:
        if meta["name"] == name and meta["source"].startswith(source_startswith):
            return meta, values
    raise KeyError(f"{BZ_MIX}: no row {name!r} from {source_startswith!r}")


# ---------------------------------------------------------------- variants
def _owid(cc, zone: str, entry: dict) -> tuple[str, dict]:
    raw, year = entry["carbon_intensity"], entry["year"]
    value = float(Decimal(repr(raw)).quantize(Decimal("0.1"), ROUND_HALF_UP))  # 380.95 -> 381.0, as printed
    src = (f"Our World in Data / Ember, life-cycle carbon intensity of electricity {year}, as shipped in "
           f"{cc.cite(CC_MIX, f'{zone}.carbon_intensity')}")
    gwp = {"value": f"{value} gCO2e/kWh", "year": year, "source": src}
    if value != raw:
        gwp["note"] = f"the file gives {num(raw)} gCO2e/kWh; rounded half up to 0.1 g"
    return f"owid-{year}", {"label": f"Our World in Data / Ember, life-cycle, {year}", "gwp": gwp}


def _ecologits(el, bz_adpf: float | None, zone: str, entry: dict) -> dict:
    warnings = set(entry.get("warnings") or [])
    cite = el.cite(EL_MIX, f"electricity_mixes[name={zone}]")
    gaps, impacts = [], {}
    impacts["gwp"] = {"value": f"{num(entry['gwp'])} kgCO2e/kWh",
                      "source": f"Our World in Data, as shipped in {cite}.gwp",
                      "note": "year not stated in the file"}
    for crit, key, unit, origin in (("adpe", "adpe", "kgSbe/kWh", "ADEME Base Empreinte"),
                                    ("pe", "pe", "MJ/kWh", "ADEME Base Empreinte"),
                                    ("water", "wue", "L/kWh", "World Resources Institute method (off-site water)")):
        if f"electricity-mix-{key}-world" in warnings:
            impacts[crit] = "no data"
            gaps.append(f"{crit} ({key}: world default, warning electricity-mix-{key}-world)")
            continue
        value = {"value": f"{num(entry[key])} {unit}", "source": f"{origin}, as shipped in {cite}.{key}",
                 "note": "year not stated in the file"}
        if crit == "pe" and bz_adpf and abs(entry[key] - bz_adpf) <= 1e-4 * bz_adpf:
            value["note"] = ("equals ADEME Base IMPACTS 2011 fossil resource use (ADPf) of this zone "
                             f"({num(bz_adpf)} MJ/kWh in BoaviztAPI 2.5.0 {BZ_MIX}): fossil energy only, "
                             "below a cumulative energy demand; year not stated in the file")
        impacts[crit] = value
    variant = {"label": f"{el.label}, electricity mix {zone}", "impacts": impacts}
    if gaps:
        variant["note"] = ("EcoLogits gives only the world default for " + "; ".join(gaps)
                           + ": not this zone's figure, so written no data (see electricity.world@ecologits-0.11.3)")
    return variant


def _no_data(impacts: dict, criteria=("gwp", "adpe", "pe", "water")) -> dict:
    return {c: impacts.get(c, "no data") for c in criteria}


def generate(wheels=None) -> dict[str, str]:
    """Write the electricity datasets of every zone from the pinned packages."""
    cc, el, bz = (open_package(n, wheels) for n in ("codecarbon", "ecologits", "boaviztapi"))
    mix = cc.json(CC_MIX)
    eco = {m["name"]: m for m in el.json(EL_MIX)["electricity_mixes"]}
    zones_bz, names_bz, table = _boavizta_rows(bz)
    ademe_gwp = _row(table, "gwp", "ADEME")[1]
    ademe_adpe = _row(table, "adpe", "ADEME")[1]
    ademe_adpf = _row(table, "adpf", "ADEME")[1]
    pe_meta, bz_pe = _row(table, "pe", "ADPf")
    renew_meta, _ = _row(table, "renewable_energy", "https")
    applied_meta, applied = _row(table, "gwp", "https://www.sciencedirect.com")
    ember_meta, ember = _row(table, "gwp", "https://ember-climate.org")
    per_source = cc.json(CC_SOURCES)

    def bz_cite(zone, name, meta):
        return f"BoaviztAPI 2.5.0 {BZ_MIX}, row {name} (priority {meta['priority']}), column {zone}"

    zones = sorted(set(mix) | set(eco) | set(zones_bz))
    datasets: dict[str, dict] = {}
    for zone in zones:
        variants: dict[str, dict] = {}
        if zone in mix:
            vname, v = _owid(cc, zone, mix[zone])
            variants[vname] = {"label": v["label"], "impacts": _no_data({"gwp": v["gwp"]})}
        if zone == "WOR":
            variants["iea-2019"] = {"label": "IEA Global Energy & CO2 Status Report 2019", "impacts": _no_data({
                "gwp": {"value": f"{num(per_source['world_average'])} gCO2e/kWh", "year": 2019,
                        "source": f"IEA Global Energy & CO2 Status Report 2019 ({per_source['world_average_source']}), "
                                  f"world average, as shipped in {cc.cite(CC_SOURCES, 'world_average')}"}})}
        if applied.get(zone) is not None:
            variants["eu-applied-energy-2019"] = {
                "label": "Life-cycle intensity of European electricity, 2019 data (Applied Energy article)",
                "impacts": _no_data({"gwp": {"value": f"{num(applied[zone])} kgCO2e/kWh", "year": 2019,
                                             "source": f"Applied Energy article {applied_meta['source']} (2019 data), as shipped in "
                                                       + bz_cite(zone, "gwp", applied_meta)}})}
        if ember.get(zone) is not None:
            variants["ember-2020"] = {"label": "Ember data explorer, 2020", "impacts": _no_data({
                "gwp": {"value": f"{num(ember[zone])} kgCO2e/kWh", "year": 2020,
                        "source": f"Ember data explorer ({ember_meta['source']}), 2020, as shipped in "
                                  + bz_cite(zone, "gwp", ember_meta)}})}
        if zone in eco:
            variants["ecologits-0.11.3"] = _ecologits(el, ademe_adpf.get(zone), zone, eco[zone])
            variants["ecologits-0.11.3"]["impacts"] = _no_data(variants["ecologits-0.11.3"]["impacts"])
        ademe = None
        if ademe_gwp.get(zone) is not None:
            place = "Europe, " if zone == "EEE" else ""
            ademe_src = (f"ADEME Base IMPACTS, electricity mix {zone} ({place}reference year 2011), as shipped in "
                         f"BoaviztAPI 2.5.0 {BZ_MIX}, column {zone}")
            ademe = {
                "gwp": {"value": f"{num(ademe_gwp[zone])} kgCO2e/kWh", "year": 2011, "source": ademe_src + ", row gwp"},
                "adpe": ({"value": f"{num(ademe_adpe[zone])} kgSbe/kWh", "year": 2011, "source": ademe_src + ", row adpe"}
                         if ademe_adpe.get(zone) else "no data"),
                "pe": ({"value": f"{num(bz_pe[zone])} MJ/kWh", "year": 2016,
                        "source": (f"BoaviztAPI 2.5.0 derivation, primary energy = ADPf (ADEME Base IMPACTS 2011) / "
                                   f"(1 - renewable share 2016, IRENA via Wikipedia), {zone}, as shipped in "
                                   f"BoaviztAPI 2.5.0 {BZ_MIX}, row pe, column {zone}"),
                        "note": "an approximation of primary energy, not a cumulative energy demand"}
                       if bz_pe.get(zone) else "no data"),
            }
            variants["ademe-2011"] = {"label": "ADEME Base IMPACTS, reference year 2011", "impacts": _no_data(ademe)}
        if not variants:
            continue
        default = next(v for prefix in DEFAULT_ORDER for v in variants if v.startswith(prefix))
        if ademe and default != "ademe-2011" and not default.startswith("ecologits"):
            combo = f"{default}-ademe-2011"
            variants[combo] = {
                "label": f"{default} climate figure with ADEME Base IMPACTS 2011 ADPe and primary energy (two sources combined)",
                "impacts": _no_data({"gwp": variants[default]["impacts"]["gwp"], "adpe": ademe["adpe"], "pe": ademe["pe"]}),
            }
        # CodeCarbon's English name, else ISO 3166 (pycountry; historic codes too), else BoaviztAPI's
        name = (mix.get(zone, {}).get("country_name") or _pycountry_name(zone) or names_bz.get(zone, "").strip() or zone)
        ident = _zone_id(zone)
        datasets[ident] = {
            "id": ident, "kind": "electricity", "name": f"Electricity, {name}, grid average", "unit": "kWh",
            "covers": "C1", "geography": SPECIAL_GEO.get(zone, zone), "default": default, "variants": variants,
        }

    # ---- sub-national zones and cloud regions
    usa = cc.json(CC_USA)
    src_usa = usa["_source"]
    for state, entry in usa.items():
        if state.startswith("_"):
            continue
        code = entry.get("regionCode")
        value = entry["emissions"]
        gwp = {"value": f"{value * LB:.6g} kgCO2e/MWh", "year": src_usa["year"],
               "source": (f"{src_usa['name']} (field {src_usa['field']}), as shipped in "
                          f"{cc.cite(CC_USA, state + '.emissions')} in lb/MWh"),
               "note": f"{num(value)} lb/MWh x {LB} kg/lb = {value * LB:.6g} kgCO2e/MWh; emissions at generation, "
                       "not life-cycle"}
        variant = {"label": f"EPA eGRID {src_usa['year']}, total output emission rate", "impacts": _no_data({"gwp": gwp})}
        if state == "usa":
            datasets["electricity.us"]["variants"][f"egrid-{src_usa['year']}"] = variant
            continue
        ident = f"electricity.us-{code.lower()}"
        datasets[ident] = {"id": ident, "kind": "electricity",
                           "name": f"Electricity, {state.title()} (United States), grid average", "unit": "kWh",
                           "covers": "C1", "geography": f"US-{code}", "default": f"egrid-{src_usa['year']}",
                           "variants": {f"egrid-{src_usa['year']}": variant}}
    china = cc.json(CC_CHINA)
    meta = china["metadata"]
    for code, entry in china["data"].items():
        ident = f"electricity.{code.lower()}"
        gwp = {"value": f"{num(entry['emission_factor'])} gCO2e/kWh", "year": entry["year"],
               "source": f"{meta['source']}, as shipped in {cc.cite(CC_CHINA, f'data.{code}.emission_factor')}",
               "note": "CO2 only (no CH4, N2O nor life-cycle upstream), written as CO2e: an underestimate"}
        datasets[ident] = {"id": ident, "kind": "electricity",
                           "name": f"Electricity, {entry['description']} (China), grid average", "unit": "kWh",
                           "covers": "C1", "geography": code, "default": f"mee-{entry['year']}",
                           "variants": {f"mee-{entry['year']}": {"label": f"China MEE/NBS provincial CO2 factors {entry['year']}",
                                                                 "impacts": _no_data({"gwp": gwp})}}}
    for row in cc.csv_dicts(CC_CLOUD):
        if row["provider"] != "gcp":
            continue
        gwp = {"value": f"{num(float(row['impact']))} gCO2e/kWh",
               "source": (f"Google Cloud region carbon data ({row['source']}), {row['region']} grid average, as shipped in "
                          f"{cc.cite(CC_CLOUD, 'provider=gcp, region=' + row['region'] + ', impact')}"),
               "note": "grid-average hourly intensity, not life-cycle; year not stated in the file"}
        variant = {"label": f"Google Cloud region carbon data, {row['region']}", "impacts": _no_data({"gwp": gwp})}
        ident = f"electricity.gcp-{row['region']}"
        city = f", {row['city']}" if row.get("city") else ""
        datasets[ident] = {"id": ident, "kind": "electricity",
                           "name": f"Electricity, Google Cloud region {row['region']} ({row['country_name']}{city})",
                           "unit": "kWh", "covers": "C1", "geography": row["countryIsoCode"], "default": "google",
                           "variants": {"google": variant}}
        if row["region"] == "northamerica-northeast1":  # Montreal: the library's Quebec zone since its first release
            datasets["electricity.ca-qc"] = {"id": "electricity.ca-qc", "kind": "electricity",
                                             "name": "Electricity, Quebec (Canada), grid average", "unit": "kWh",
                                             "covers": "C1", "geography": "CA-QC", "default": "google-2023",
                                             "variants": {"google-2023": variant}}

    for ds in datasets.values():
        for variant in ds["variants"].values():
            _drop_zeros(variant)
    overlay(datasets, load_curated("electricity.yaml"), "curated/electricity.yaml")
    for ds in datasets.values():
        if "description" not in ds:
            spread = _spread(ds)
            if spread:
                ds["description"] = spread
        ds["variants"] = {k: ds["variants"][k] for k in ds["variants"]}
    groups = {"electricity-countries.yaml": [], "electricity-subnational.yaml": [], "electricity-cloud-regions.yaml": []}
    for ident in sorted(datasets):
        ds = datasets[ident]
        geo = ds.get("geography") or ""
        file = ("electricity-cloud-regions.yaml" if ident.startswith("electricity.gcp-") else
                "electricity-subnational.yaml" if "-" in geo and geo not in ("CA-QC",) else "electricity-countries.yaml")
        groups[file].append(_order(ds))
    used = [cc, el, bz]
    return {name: dump_datasets(items, header(SCRIPT, used, [
        "Electricity per kWh delivered, one dataset per zone, one variant per source; see the generator's docstring."]))
            for name, items in groups.items()}


def _drop_zeros(variant: dict) -> None:
    """A zero per kWh is no life-cycle figure (a source's rounding or a gap): write no data, say why."""
    zeros = []
    for crit, value in variant["impacts"].items():
        if isinstance(value, dict) and _magnitude(value["value"]) == 0:
            variant["impacts"][crit] = "no data"
            zeros.append(f"{crit} ({value['source']})")
    if zeros:
        note = "the file gives 0 for " + "; ".join(zeros) + ": no life-cycle figure is zero, so written no data"
        variant["note"] = f"{variant['note']}; {note}" if variant.get("note") else note


def _magnitude(text: str) -> float:
    value = 1.0
    for part in text.rsplit(" ", 1)[0].split("*"):
        value *= float(part)
    return value


def _spread(ds: dict) -> str | None:
    values = []
    for vname, v in ds["variants"].items():
        gwp = v.get("impacts", {}).get("gwp")
        combined = vname.endswith("-ademe-2011") and vname != "ademe-2011"
        if isinstance(gwp, dict) and not combined:
            values.append((_kg_per_kwh(gwp["value"]), vname))
    if len(values) < 2:
        return None
    lo, hi = min(values), max(values)
    if lo[0] <= 0 or hi[0] == lo[0]:
        return None
    return (f"Sources disagree on climate change: {lo[0]:.4g} ({lo[1]}) to {hi[0]:.4g} kgCO2e/kWh ({hi[1]}), "
            f"{hi[0] / lo[0]:.1f}x. Default: {ds['default']} (rule: the OWID/Ember life-cycle figure where there "
            "is one, else the most recent single-source figure).")


def _kg_per_kwh(text: str) -> float:
    number, unit = text.rsplit(" ", 1)
    factor = {"gCO2e/kWh": 1e-3, "kgCO2e/kWh": 1.0, "kgCO2e/MWh": 1e-3}[unit]
    value = 1.0
    for part in number.split("*"):
        value *= float(part)
    return value * factor


KEY_ORDER = ("id", "kind", "name", "unit", "covers", "geography", "description", "attributes", "default", "variants")


def _order(ds: dict) -> dict:
    out = {k: ds[k] for k in KEY_ORDER if k in ds}
    out.update({k: v for k, v in ds.items() if k not in out})
    out["variants"] = {vname: {k: v[k] for k in ("label", "attributes", "impacts", "flows", "note") if k in v}
                       for vname, v in ds["variants"].items()}
    return out


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
