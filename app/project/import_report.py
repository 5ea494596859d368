"""What an import did, for people: summary lines in English or Chinese, and the complete
report file (`--report FILE.json|.csv`) listing every bad row.

Rows are named as a GIS user finds them again: by the source's FID as QGIS shows it (from 0 for
Shapefile and CSV; a GeoPackage's own fid) and by the BSM when the file has one. Each summary
line is made from an English template that app/messages.localize translates.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import InvalidInput
from app.messages import say
from app.model.validation import Problem

SHOWN = 5  # bad rows quoted in a refusal or a summary; the report file has them all
FORMAT = "coplan.import-report/v1"
REPORT_SUFFIXES = (".json", ".csv")


@dataclass(frozen=True)
class RowProblem:
    """A source row that cannot be imported, and why."""

    index: int  # 0-based position among the rows read
    fid: int | str  # the FID QGIS shows for the row (see ImportReport.fid_convention)
    bsm: str | None  # the row's 标识码 when the file has one
    problems: tuple[Problem, ...]

    def ref(self, lang: str = "en") -> str:
        """'FID 3 (BSM 310115000003)'."""
        if self.bsm is None:
            return say(lang, "FID {}", self.fid)
        return say(lang, "FID {} (BSM {})", self.fid, self.bsm)

    def text(self, lang: str = "en") -> str:
        """'FID N (BSM X): reason; reason' in `lang`."""
        sep, join = ("：", "；") if lang == "zh" else (": ", "; ")
        return self.ref(lang) + sep + join.join(p.text(lang) for p in self.problems)


@dataclass
class ImportReport:
    """What an import did: counts, bad and repaired rows, field matches, warnings."""

    layer: str
    source: str  # the file's name
    crs: str  # source CRS label, e.g. "EPSG:4549"
    read: int  # features in the file
    driver: str = ""  # GDAL driver of the source
    imported: int = 0  # rows written (inserted + updated)
    skipped: list[RowProblem] = field(default_factory=list)  # bad rows (all of them)
    repaired: list[int | str] = field(default_factory=list)  # FIDs repaired with make_valid
    unmapped: list[str] = field(default_factory=list)  # source columns that went nowhere
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # (column, field, how)
    constants: dict[str, str] = field(default_factory=dict)  # --set FIELD=VALUE
    warnings: list[str] = field(default_factory=list)
    update_by: str | None = None  # uuid or BSM when features were updated in place
    updated: int = 0
    inserted: int = 0
    unchanged: int = 0
    left_alone: int = 0  # features of the layer the file does not mention
    refused: bool = False
    report_path: str | None = None

    @property
    def fid_convention(self) -> str:
        """How rows are numbered, as QGIS numbers them."""
        if self.driver == "GPKG":
            return "the GeoPackage's own fid"
        return "from 0, as QGIS shows it"

    def lines(self, lang: str = "en") -> list[str]:
        """A human summary, one line each, in `lang` (en or zh)."""
        out = [self._headline(lang)]
        if self.update_by:
            out.append(say(lang, "{} feature(s) of {} not in the file were left alone (an update "
                           "never deletes)", self.left_alone, self.layer))
        for how in dict.fromkeys(how for _, _, how in self.matched):
            pairs = ", ".join(f"{s} → {f}" for s, f, h in self.matched if h == how)
            out.append(say(lang, "source field(s) matched by {}: {}", say(lang, how), pairs))
        out += [say(lang, "{} set to {} on every row", k, v) for k, v in self.constants.items()]
        out += self._bad_lines(lang)
        if self.repaired:
            fids = ", ".join(map(str, self.repaired[:20])) + (" …" if len(self.repaired) > 20 else "")
            out.append(say(lang, "repaired {} invalid geometry(ies) with make_valid: FID {}",
                           len(self.repaired), fids))
        if self.unmapped:
            out.append(say(lang, "source column(s) not imported: {}", ", ".join(self.unmapped)))
        return out + [say(lang, "warning: {}", w) for w in self.warnings]

    def _headline(self, lang: str) -> str:
        if self.update_by:
            return say(lang, "updated {} and inserted {} of {} feature(s) from {} into {} by {} "
                       "({} unchanged; source CRS {})", self.updated, self.inserted, self.read,
                       self.source, self.layer, self.update_by, self.unchanged, self.crs)
        return say(lang, "imported {} of {} feature(s) from {} into {} (source CRS {})",
                   self.imported, self.read, self.source, self.layer, self.crs)

    def _bad_lines(self, lang: str) -> list[str]:
        if not self.skipped or self.refused:
            return []
        out = [say(lang, "skipped {} bad row(s) (rows are FIDs {}):", len(self.skipped),
                   say(lang, self.fid_convention))]
        out += [f"  {r.text(lang)}" for r in self.skipped[:SHOWN]]
        if self.report_path:
            out.append(say(lang, "every bad row is listed in {}", self.report_path))
        elif len(self.skipped) > SHOWN:
            out.append(say(lang, "... and {} more: --report FILE.csv lists every one",
                           len(self.skipped) - SHOWN))
        return out

    def to_json(self) -> dict:
        """The report as JSON data (format coplan.import-report/v1)."""
        return {
            "format": FORMAT, "source": self.source, "layer": self.layer, "crs": self.crs,
            "status": "refused" if self.refused else "imported", "read": self.read,
            "imported": self.imported, "update_by": self.update_by, "updated": self.updated,
            "inserted": self.inserted, "unchanged": self.unchanged, "left_alone": self.left_alone,
            "fid": self.fid_convention,
            "bad_rows": [{"fid": r.fid, "bsm": r.bsm, "problems": [
                {"field": p.field, "code": p.code, "problem": p.message, "problem_zh": p.message_zh}
                for p in r.problems]} for r in self.skipped],
            "repaired_fids": self.repaired,
            "matched_fields": [{"source": s, "field": f, "by": how} for s, f, how in self.matched],
            "constants": self.constants, "unmapped": self.unmapped, "warnings": self.warnings,
        }


CSV_COLUMNS = ("BSM", "field", "code", "problem", "problem_zh")


def check_report_path(path: str | Path) -> Path:
    """`path` if a report can be written there (.json or .csv in an existing folder)."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise InvalidInput(f"the import report must be a .json or .csv file, not {path.name}")
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write the import report {path.name}: folder {path.parent} "
                           "does not exist")
    return path


def write_report(report: ImportReport, path: str | Path) -> Path:
    """Write `report` to `path`: JSON, or CSV (UTF-8 with BOM for Excel, one line per problem)."""
    path = check_report_path(path)
    tmp = path.with_name(f".{path.name}.part")
    if path.suffix.lower() == ".json":
        tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow([f"FID ({report.fid_convention})", *CSV_COLUMNS])
            for r in report.skipped:
                for p in r.problems:
                    out.writerow([r.fid, r.bsm or "", p.field or "", p.code, p.message, p.message_zh])
    os.replace(tmp, path)
    return path
