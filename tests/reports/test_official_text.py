"""Official outputs carry no internal ids, hashes, codes, paths, commands or product branding
in their visible text; that production metadata is in the PDF's XMP and on the production
sheet, and every output is PDF/A-2b (checked by the properties the standard requires)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from app.reports.build import build, write_pdf
from app.reports.edition import read_inputs
from app.reports.metadata import (
    production_of,
    sheet_paths,
    srgb_profile,
    write_production,
    xmp_packet,
)
from tests.reports.conftest import open_sample

pytestmark = pytest.mark.slow
DPI = 30  # the text does not depend on the map resolution
KINDS = ("policy", "release", "reader", "onemap")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The office's metro project of the sample, with the sample content."""
    project = open_sample(tmp_path_factory.mktemp("sample") / "metro.sqlite")
    yield project
    project.close()


@pytest.fixture(scope="module")
def outputs(sample, tmp_path_factory):
    """The four outputs of the sample, built once: kind → (Built, path, text)."""
    folder = tmp_path_factory.mktemp("official")
    out = {}
    for kind in KINDS:
        built = build(sample, kind, 1, dpi=DPI)
        path = write_pdf(built, folder / f"{kind}.pdf")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        out[kind] = (built, path, text)
    return out


def leaks(text: str, sample) -> dict[str, list[str]]:
    """Every internal-id pattern found in `text`, by pattern."""
    inputs = read_inputs(sample)
    ids = sorted((s.id for s in inputs.content if "." in s.id or len(s.id) <= 3), key=len,
                 reverse=True)
    codes = sorted((layer.code for layer in sample.layers()), key=len, reverse=True)
    template = inputs.template.id
    patterns = {
        "hash": r"(?<![0-9a-zA-Z])[0-9a-f]{8,}(?![0-9a-zA-Z])",
        "section id": r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])",
        "dotted id": r"\b[a-z]+\.[a-z0-9_]+\.[a-z0-9_.]+\b",
        "layer code": r"(?<![\w-])(?:" + "|".join(map(re.escape, codes)) + r")(?![\w-])",
        "branding or command": r"(?i)coplan",
        "path": r"[A-Za-z_]+/[A-Za-z0-9_./-]+|\.json\b|\.sqlite\b",
        "template": re.escape(template),
        "party code": r"\((?:office|\d{6}[^)]*)\)",
    }
    found = {name: re.findall(p, text) for name, p in patterns.items()}
    return {name: sorted(set(hits))[:10] for name, hits in found.items() if hits}


@pytest.mark.parametrize("kind", KINDS)
def test_no_internal_id_pattern_in_official_text(outputs, sample, kind):
    _, _, text = outputs[kind]
    assert "上海大都市圈" in text  # the text is there to search
    assert leaks(text, sample) == {}


def test_the_check_finds_what_it_looks_for(sample):
    """The patterns catch the leaks of before (so an empty result means something)."""
    text = ("〔vision.innovation.goal.1.strategy.1〕 · 状态：征求意见稿 6c4897ee673ebd29 (office) "
            "schemas/rules/standard.json 面积见 coplan check STBHHX CoPlan S1 交通 "
            "shanghai-metro-1-8-5")
    assert set(leaks(text, sample)) == {"hash", "section id", "dotted id", "layer code",
                                        "branding or command", "path", "template", "party code"}
    assert leaks("P-LD-001 环淀山湖绿道 铁路/轨道 1 亩 = 10000/15 m² 第 3 页", sample) == {}


def test_one_status_on_the_cover_and_none_under_headings(outputs):
    for kind in ("policy", "release", "reader"):
        text = outputs[kind][2]
        assert text.count("状态：") == 0, kind  # no per-section status lines
        cover = text.split("\f")[0]
        assert "文本状态 Status" in cover and "内容哈希" not in cover and "模板" not in cover
    assert "章节索引" not in outputs["policy"][2]


def test_production_metadata_is_in_the_xmp(outputs):
    for kind, (built, _, _) in outputs.items():
        packet = _xmp(built.pdf)
        assert "<pdfaid:part>2</pdfaid:part>" in packet, kind
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in packet
        assert built.edition.content_hash in packet and "2022-" in packet


def test_outputs_are_pdf_a_2b_by_their_properties(outputs):
    """What ISO 19005-2 level B requires that a file can show without a validator."""
    for kind, (built, path, _) in outputs.items():
        pdf = built.pdf
        assert pdf.startswith(b"%PDF-1.") and all(b > 127 for b in pdf[10:14]), kind  # binary mark
        assert b"/OutputIntents" in pdf and b"/GTS_PDFA1" in pdf and b"/DestOutputProfile" in pdf
        assert b"/Encrypt" not in pdf and b"/JavaScript" not in pdf and b"/LZWDecode" not in pdf
        assert b"/ID" in pdf  # trailer file identifier
        annots = pdf.count(b"/Type /Annot")
        assert annots == len(re.findall(rb"/F 4\b", pdf)), kind  # every annotation printable
        fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                               text=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), (kind, fonts)
        assert b"/Interpolate true" not in pdf  # (transparency is allowed in PDF/A-2)
        packet = _xmp(pdf)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                              text=True).stdout
        title = re.search(r"^Title:\s+(.*)$", info, re.M).group(1)
        assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in packet  # XMP = Info


def test_srgb_profile_is_fixed_and_valid():
    profile = srgb_profile()
    assert profile == srgb_profile()  # no creation time: same bytes every build
    assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB " and profile[8] == 4
    assert int.from_bytes(profile[:4], "big") == len(profile)


def test_builds_stay_deterministic(sample, outputs):
    assert build(sample, "release", 1, dpi=DPI).pdf == outputs["release"][0].pdf


def test_production_sheet_beside_the_output(sample, outputs):
    built, path, _ = outputs["policy"]
    sheet, record = write_production(sample, built, path)
    assert (sheet, record) == sheet_paths(path) and sheet.name == "policy.production.pdf"
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["edition"]["content_hash"] == built.edition.content_hash
    assert data["pdf"]["sha256"] == built.sha256 and data["inputs"]["template"]
    ids = [s["id"] for s in data["sections"]]
    assert "vision.innovation.goal.1.strategy.1" in ids and len(ids) == built.edition.sections
    assert {s["status"] for s in data["sections"]} <= {"draft", "review", "final"}
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(sheet), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert built.edition.content_hash in text and "vision.innovation.goal.1" in text
    assert "章节索引" in text and "<pdfaid:part>2" in _xmp(sheet.read_bytes())
    # the section ids and owners are in the sheet's XMP too
    assert "vision.innovation.goal.1.strategy.1\t" in _xmp(sheet.read_bytes())


def test_edition_doc_writes_the_production_record_into_the_xmp(sample, outputs):
    from reportlab.platypus import Paragraph

    from app.model.jobs import drive
    from app.reports.document import EditionDoc, PageInfo, PdfMeta, iter_layout
    from app.reports.styles import styles

    production = production_of(read_inputs(sample), outputs["release"][0].edition)
    doc = EditionDoc(PageInfo("header", "footer"), PdfMeta("T", "A", "S", "K", "2022-01-20"),
                     production=production)
    packet = _xmp(drive(iter_layout(doc, [Paragraph("text", styles().body_en)])))
    assert f"<cp:contentHash>{production.edition.content_hash}</cp:contentHash>" in packet
    assert "vision.innovation.goal.1\t" in packet and "<pdfaSchema:prefix>cp<" in packet


def test_xmp_escapes_and_mirrors_info():
    class Info:
        title, author, subject, keywords = "A & B <x>", "办公室", "s", "k"
        creator, producer = "c", "p"
    packet = xmp_packet(Info, "2024-05-06")
    assert "A &amp; B &lt;x&gt;" in packet and "2024-05-06T00:00:00+00:00" in packet
    assert packet.startswith("<?xpacket begin=") and packet.endswith('<?xpacket end="w"?>')


def _xmp(pdf: bytes) -> str:
    """The document's XMP packet (stored uncompressed, as PDF/A requires)."""
    start = pdf.find(b"<?xpacket begin=")
    end = pdf.find(b"<?xpacket end=", start)
    assert start >= 0 and end > start, "no XMP packet"
    return pdf[start:end + 19].decode("utf-8")
