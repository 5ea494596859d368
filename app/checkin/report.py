"""A submission's QC report files (PDF, Excel) from its findings, through app/qc's writers."""

from __future__ import annotations

from pathlib import Path

from app.errors import InvalidInput


def findings_of(sub: dict) -> list:
    """The submission's findings as app.qc.checks.Finding objects."""
    from app.qc.checks import Finding
    return [Finding(**{**f, "where": tuple(f["where"]) if f.get("where") else None})
            for f in sub["findings"]]


def write_reports(sub: dict, pdf: Path | None, xlsx: Path | None) -> list[Path]:
    """Write the report files asked for; returns their paths."""
    findings, written = findings_of(sub), []
    version = str(sub["version"])
    try:
        if pdf:
            from app.qc.report import write_pdf
            write_pdf(findings, pdf, title_zh=f"质检报告（第 {sub['number']} 次提交）",
                      party=sub["party"], version=version, at=sub["checked"],
                      boundary_source=sub.get("boundary"))
            written.append(pdf)
        if xlsx:
            from app.qc.xlsx import write_xlsx
            write_xlsx(findings, xlsx, party=sub["party"], version=version, at=sub["checked"])
            written.append(xlsx)
    except ImportError as exc:
        raise InvalidInput("this CoPlan cannot write QC report files; use --json for the "
                           "findings") from exc
    return written
