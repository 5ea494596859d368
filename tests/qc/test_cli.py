"""`coplan qc` (exit 1 on errors, --json, --pdf, --xlsx) and what `coplan validate` now finds."""

from __future__ import annotations

import json

from app.cli import main

OLD_KEYS = {"layer", "uuid", "field", "code", "message", "message_zh", "fixable"}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_qc_exits_1_on_errors_and_writes_the_reports(messy_path, tmp_path, capsys):
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    code, out, _ = run(capsys, "qc", messy_path, "--pdf", pdf, "--xlsx", xlsx)
    assert code == 1
    assert "[bsm_unique]" in out and "[outside_china]" in out
    assert pdf.stat().st_size > 10_000 and xlsx.stat().st_size > 4_000


def test_qc_json(messy_path, capsys):
    code, out, _ = run(capsys, "qc", messy_path, "--json")
    data = json.loads(out)
    assert code == 1 and data["party"] == "苏州市（320500）" and data["boundary"] == "reference"
    assert data["base_version"] == 0 and data["version"] == "第 0 版（另含本地未同步的修改）"
    checks = {f["check"] for f in data["findings"]}
    assert {"bsm_unique", "overlap", "ysdm", "code_name", "ghfq", "gap", "outside_party",
            "outside_china", "xzqdm_party"} <= checks
    assert data["errors"] == sum(f["severity"] == "error" for f in data["findings"])


def test_qc_of_a_tidy_submission_exits_0(clean_path, capsys):
    code, out, _ = run(capsys, "qc", clean_path)
    assert code == 0 and out.startswith("0 error(s)")


def test_validate_now_finds_the_qc_defects(messy_path, capsys):
    code, out, _ = run(capsys, "validate", messy_path, "--json")
    rows = json.loads(out)
    assert code == 1 and all(OLD_KEYS <= set(r) for r in rows)
    codes = {r["code"] for r in rows}
    assert {"bsm_unique", "overlap", "ysdm", "code_name", "ghfq", "xzqdm_party", "outside_party"} <= codes
    dup = next(r for r in rows if r["code"] == "bsm_unique")
    assert dup["severity"] == "error" and dup["bsm"] and len(dup["where"]) == 2
    seoul = [r for r in rows if r["layer"] == "XMK_POINT" and "China" in r["message"]]
    assert len(seoul) == 1  # said once, by QC or by validation's own (coarser) outline
    assert seoul[0]["code"] in ("outside_china", "outside-china")


def test_validate_text_names_layer_level_findings(messy_path, capsys):
    code, out, _ = run(capsys, "validate", messy_path)
    assert "GHFQ -: a gap of" in out and "None" not in out


def test_validate_of_a_tidy_submission_passes(clean_path, capsys):
    code, out, _ = run(capsys, "validate", clean_path, "--json")
    assert code == 0 and json.loads(out) == []


def test_unwritable_report_is_one_line(clean_path, tmp_path, capsys):
    code, _, err = run(capsys, "qc", clean_path, "--pdf", tmp_path / "missing" / "r.pdf")
    assert code == 2 and "r.pdf" in err and err.count("\n") == 1 and "Traceback" not in err
