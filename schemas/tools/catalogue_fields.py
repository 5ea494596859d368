"""The catalogue's field dicts and the rules every layer shares (names, types, YSDM, notes);
used by build_catalogue.py and name_only.py."""

from __future__ import annotations

import re

TYPES = {"Char": "text", "Int": "integer", "Float": "real", "Double": "real", "Date": "date"}

FIELD_EN = {
    "BSM": "Identifier", "YSDM": "Feature code", "XZQDM": "Administrative division code",
    "XZQMC": "Administrative division name", "MJ": "Area", "BZ": "Remarks",
    "JXLX": "Boundary type", "JXXZ": "Boundary status", "HXMC": "Red line name",
    "HXLX": "Red line type", "TBBH": "Parcel number", "DLBM": "Land class code",
    "DLMC": "Land class name", "QSXZ": "Ownership type", "QSDWDM": "Owner unit code",
    "QSDWMC": "Owner unit name", "ZLDWDM": "Location unit code", "ZLDWMC": "Location unit name",
    "TBMJ": "Parcel area", "YJJBNTMJ": "Permanent basic farmland area",
    "CZKFBJLX": "Development boundary zone type", "GHFQDM": "Planning zone code",
    "GHFQMC": "Planning zone name", "YDYHFLDM": "Land/sea use class code",
    "YDYHFLMC": "Land/sea use class name", "TBDLMJ": "Parcel land-class area", "MC": "Name",
    "SSLX": "Facility type", "BHJB": "Protection level", "JQMC": "District name",
    "PZWH": "Approval document number", "ZQBM": "Zone code", "ZQMC": "Zone name",
    "QTCS": "Lead city code", "CYCS": "Participating city codes",
    "SFQBM": "Demonstration zone code", "SFQMC": "Demonstration zone name",
    "SSZQ": "Parent coordination zone", "XJDM": "County codes", "CZQBM": "Town circle code",
    "CZQMC": "Town circle name", "XZDM": "Township codes", "LDBM": "Corridor code",
    "LDMC": "Corridor name", "LDLX": "Corridor type", "XMBH": "Project number",
    "XMMC": "Project name", "XMLX": "Project type", "QTDW": "Lead agency",
    "SJCS": "Cities involved (codes)", "JSZT": "Construction status", "QDNF": "Start year",
    "WCNF": "Completion year", "TZ": "Total investment (100 million CNY)",
    "MBID": "Linked goal ID", "CLID": "Linked strategy ID", "PZRQ": "Approval date",
    "PJJG": "Evaluation result", "ZTGNQLX": "Major function zone type",
    "ZRBHDLX": "Protected area type", "AXLX": "Shoreline type",
}
# Integer fields holding a calendar year: checked as years (app/model/dates.py), not just integers.
FIELD_FORMATS = {"QDNF": "year", "WCNF": "year"}
# Field name -> codelist key. DLBM is deliberately absent: it holds 三调 classes, not 2023 codes.
FIELD_CODELISTS = {
    "YDYHFLDM": "YDYH2023", "CZKFBJLX": "CZKFBJLX", "JSZT": "JSZT", "XMLX": "XMLX", "JB": "XZQJB",
}


def make_field(name, zh, en, type_, length=None, required=False, note=None, derived=None):
    """A catalogue field in its final shape."""
    return {"name": name, "label_zh": zh, "label_en": en, "type": type_, "length": length,
            "required": required, "codelist": FIELD_CODELISTS.get(name), "derived": derived,
            "default": None, "format": FIELD_FORMATS.get(name), "note": note}


def area_field():
    """MJ for CoPlan-defined polygon layers (the reference's MJ note speaks of national specs)."""
    return make_field("MJ", "面积", "Area", "real", required=True, derived="area_m2",
                      note="geodesic area in m², computed by CoPlan from the geometry")


def length_field():
    """CD, added to every line layer; optional because no national exchange file carries it."""
    return make_field("CD", "长度", "Length", "real", derived="length_m",
                      note="geodesic length in m, computed by CoPlan from the geometry")


def remarks_field():
    """BZ, as the reference defines it for every layer."""
    return make_field("BZ", "备注", "Remarks", "text", 255)


def join_notes(*notes: str | None) -> str | None:
    """Join the non-empty notes with '; '."""
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None


def known_ysdm(raw: dict) -> str | None:
    """The layer's YSDM if the reference gives a well-formed one ("2090020235?" is not)."""
    ysdm = raw.get("ysdm")
    return ysdm if ysdm and re.fullmatch(r"[0-9]{10}", ysdm) else None


def fix_ysdm(field: dict, raw: dict) -> None:
    """Default YSDM to the layer's code; without a known code it cannot be required."""
    ysdm = known_ysdm(raw)
    field["default"] = ysdm
    field["required"] = ysdm is not None
    if ysdm is None:
        given = raw.get("ysdm") or "none"
        why = raw.get("ysdm_status") or "no status given"
        remark = (f"CoPlan: this layer's code is unknown (reference: {given}, {why}), "
                  "so YSDM is optional with no default")
        field["note"] = join_notes(field["note"], remark)


def approval_date() -> dict:
    """PZRQ, added wherever a layer has an approval number (PZWH)."""
    return make_field("PZRQ", "批准日期", "Approval date", "date", note=recall_note(
        "goes with PZWH; the spec's date field is not in the reference data; stored as an ISO "
        "date YYYY-MM-DD (the exchange format's YYYYMMDD is read too)"))


def recall_note(note: str) -> str:
    """A note on a field CoPlan adds from unverified recall."""
    return "[R] CoPlan: " + note
