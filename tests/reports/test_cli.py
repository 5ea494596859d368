"""`coplan report`: a thin wrapper; bad input gives one line and a non-zero exit code."""

from __future__ import annotations

from app.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_writes_the_pdf(mini_path, tmp_path, capsys):
    out = tmp_path / "onemap.pdf"
    code, text, _ = run(capsys, "report", mini_path, "--kind", "onemap", "--out", out, "--dpi", 30)
    assert code == 0 and out.read_bytes().startswith(b"%PDF-")
    assert "一张图 One map v1, 1 page(s), 1 map(s), 2024-05-01" in text


def test_report_refusals_are_one_line(project_path, mini_path, tmp_path, capsys):
    cases = [
        (["report", project_path, "--kind", "policy", "--out", tmp_path / "x.pdf"],
         "no content yet; start it with: coplan content init"),
        (["report", mini_path, "--kind", "release", "--out", tmp_path / "x.pdf", "--publish"],
         "this project has no server"),
        (["report", mini_path, "--kind", "release", "--out", tmp_path / "no" / "x.pdf", "--dpi",
          30], "cannot write"),
        (["report", mini_path, "--kind", "release", "--out", tmp_path / "x.pdf", "--version", 0],
         "version must be 1 or more"),
    ]
    for argv, words in cases:
        code, _, err = run(capsys, *argv)
        assert code != 0 and words in err and err.count("\n") == 1, (argv, err)


def test_a_citys_copy_needs_partial_and_then_says_so(mini_path, tmp_path, capsys):
    from app.project.project import Project

    with Project.open(mini_path) as project:
        project.set_meta("party", "320500")
        project.set_meta("role", "editor")
    out = tmp_path / "release.pdf"
    code, _, err = run(capsys, "report", mini_path, "--kind", "release", "--out", out)
    assert code != 0 and "苏州市's copy" in err and "--partial" in err and err.count("\n") == 1
    assert list(tmp_path.glob("*.pdf")) == []
    code, text, _ = run(capsys, "report", mini_path, "--kind", "release", "--out", out,
                        "--partial", "--dpi", 30)
    assert code == 0 and "release-partial.pdf" in text and "PARTIAL DRAFT" in text
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [  # the output and its
        "release-partial.pdf", "release-partial.production.pdf"]  # production sheet
