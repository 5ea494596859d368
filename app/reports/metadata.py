"""Production metadata and archiving: what an official output was made from is kept out of
its visible text and goes instead into the PDF's XMP metadata and a production sheet written
beside it (`X.production.pdf` and `X.production.json`).

Every output is written as PDF/A-2b (ISO 19005-2, level B): an XMP packet naming the part
and conformance and mirroring the document information, an sRGB output intent, embedded
fonts, and link annotations flagged for printing. Nothing here reads the clock, so the
same inputs still give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from app.content.model import Section
from app.errors import CoplanError
from app.reports.edition import STATUS_NAMES, Edition, Inputs, included

OUTPUT_CONDITION = "sRGB IEC61966-2.1"
NS = "https://coplan.invalid/ns/production/1.0/"  # our XMP namespace (a name, not a page)


@dataclass(frozen=True)
class Production:
    """What an output was made from: edition identity, inputs and every section's state."""

    edition: Edition
    project: str  # the project file's name (not its path: paths differ between machines)
    sections: tuple[tuple[str, str, str, str, str], ...]  # id, title, owner, status, digest

    def to_json(self) -> dict:
        return {"format": "coplan.production/v1", "edition": self.edition.to_json(),
                "inputs": {"project": self.project, "template": self.edition.template,
                           "data_version": self.edition.base_version,
                           "layers_hash": self.edition.layers_hash},
                "sections": [dict(zip(("id", "title", "owner", "status", "digest"), s,
                                      strict=True)) for s in self.sections]}


def production_of(inputs: Inputs, edition: Edition) -> Production:
    """The production record of `edition` built from `inputs`."""
    return Production(edition, inputs.path.name, section_rows(inputs, included(inputs, edition.kind)))


def section_rows(inputs: Inputs, sections: Sequence[Section]) -> tuple[tuple[str, str, str, str, str], ...]:
    """id, title, owner, status and content digest of each section (what comments cite)."""
    t = inputs.template
    return tuple((s.id, s.title_zh, t.party(s.owner).name_zh, s.status, s.digest()[:12])
                 for s in sections)


# --- PDF/A-2b -----------------------------------------------------------------------------


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (from littleCMS through Pillow) with fixed header fields.

    littleCMS stamps the creation time into the header; it is fixed here so that builds stay
    byte-identical, and the version is declared 4.2, the newest PDF/A-2 accepts."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[8:12] = bytes((4, 0x20, 0, 0))
    data[24:36] = bytes((0x07, 0xE6, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0))  # 2022-01-01 00:00:00
    data[84:100] = bytes(16)  # profile id: zero means "not computed"
    return bytes(data)


def _pdf_date(date: str) -> str:
    return f"{date}T00:00:00+00:00"


def xmp_packet(info, date: str, production: Production | None = None) -> str:
    """The XMP packet: PDF/A identification, the document information (as PDF/A requires,
    equal to the Info dictionary `info`) and, given `production`, the production record."""
    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    props = ""
    if production is not None:
        e = production.edition
        lines = "\n".join("\t".join(s) for s in production.sections)
        values = {"edition": f"{e.kind} v{e.version}", "contentHash": e.content_hash,
                  "dataVersion": str(e.base_version), "layersHash": e.layers_hash,
                  "template": e.template, "status": e.status, "project": production.project,
                  "sections": lines}
        props = "".join(f"<cp:{k}>{escape(v)}</cp:{k}>" for k, v in values.items())
    stamp = _pdf_date(date)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"'
        f' xmlns:cp="{NS}">\n'
        '<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n'
        f'<dc:format>application/pdf</dc:format><dc:title>{alt(info.title)}</dc:title>\n'
        f'<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>\n'
        f'<dc:description>{alt(info.subject)}</dc:description>\n'
        f'<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>'
        f'<pdf:Producer>{escape(info.producer)}</pdf:Producer><pdf:Trapped>False</pdf:Trapped>\n'
        f'<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>'
        f'<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>'
        f'<xmp:MetadataDate>{stamp}</xmp:MetadataDate>\n'
        f'{_extension_schema() if props else ""}{props}\n'
        '</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n'
        + " " * 400 + '\n<?xpacket end="w"?>')


_PROPERTIES = {"edition": "Output kind and version", "contentHash": "SHA-256 of the sections",
               "dataVersion": "Server data version", "layersHash": "SHA-256 of the layers",
               "template": "Content template id and version",
               "status": "Least mature section status", "project": "Project file name",
               "sections": "One line per section: id, title, owner, status, digest"}


def _extension_schema() -> str:
    """PDF/A requires properties outside the standard schemas to be described in the packet."""
    props = "".join(
        "<rdf:li rdf:parseType=\"Resource\">"
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>internal</pdfaProperty:category>"
        f"<pdfaProperty:description>{text}</pdfaProperty:description></rdf:li>"
        for name, text in _PROPERTIES.items())
    return ("<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
            "<pdfaSchema:schema>CoPlan production record</pdfaSchema:schema>"
            f"<pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI>"
            "<pdfaSchema:prefix>cp</pdfaSchema:prefix>"
            f"<pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property>"
            "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n")


def mark_archival(canvas, date: str, production: Production | None = None) -> None:
    """Make the PDF `canvas` writes PDF/A-2b: call before the first page is drawn."""
    doc = canvas._doc
    # The packet is made when the file is written, from the Info dictionary as it is then.
    metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                         filters=[])  # PDF/A: the metadata stream is not compressed
    metadata.format = _formatter(metadata, lambda: xmp_packet(doc.info, date, production))
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                            "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
                            "Info": PDFString(OUTPUT_CONDITION),
                            "DestOutputProfile": doc.Reference(profile)})
    catalog = doc.Catalog
    catalog.Metadata = metadata
    catalog.OutputIntents = PDFArray([intent])
    # reportlab's catalog writes only the keys it lists: OutputIntents is not among them.
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    _print_annotations(canvas)


def _formatter(stream: PDFStream, packet):
    plain = type(stream).format

    def format(document):
        stream.content = packet().encode("utf-8")
        return plain(stream, document)
    return format


def _print_annotations(canvas) -> None:
    """PDF/A: every annotation has its Print flag set (reportlab's links have no flags)."""
    add = canvas._addAnnotation

    def flagged(annotation, name=None, addtopage=1):
        if isinstance(getattr(annotation, "otherkw", None), dict):
            annotation.otherkw.setdefault("F", 4)
        return add(annotation, name, addtopage)
    canvas._addAnnotation = flagged


# --- the production sheet -------------------------------------------------------------------


def sheet_pdf(production: Production, pdf_sha256: str = "", pages: int = 0) -> bytes:
    """The production sheet: the edition's identity, its inputs and every section's id,
    owner, status and digest, as a small PDF/A-2b."""
    from app.reports.cjk import CJKParagraph
    from app.reports.fonts import reportlab_font
    from app.reports.styles import styles, table_style

    e, s = production.edition, styles(1.0)
    cell = s.cell.clone("sheet_cell", fontSize=7, leading=9)
    rows = [("成果 Output", f"{e.name_zh} {e.name_en} · 第 {e.version} 版"),
            ("日期 Date", e.date), ("发布方 Publisher", f"{e.publisher_name} · {e.publisher}"),
            ("内容状态 Status", " / ".join(STATUS_NAMES[e.status])),
            ("章节 Sections", str(e.sections)), ("内容哈希 Content hash", e.content_hash),
            ("数据版本 Data version", e.data_label()), ("图层哈希 Layers hash", e.layers_hash),
            ("部分草稿 Partial draft", "是 yes" if e.partial else "否 no"),
            ("模板 Template", e.template), ("项目 Project", production.project)]
    if pdf_sha256:
        rows += [("PDF SHA-256", pdf_sha256), ("页数 Pages", str(pages))]
    width = A4[0] - 30 * mm

    def table(data, widths, head=0):
        body = [[CJKParagraph(escape(str(v)), s.head_cell if n < head else cell) for v in r]
                for n, r in enumerate(data)]
        return Table(body, colWidths=[w * width / sum(widths) for w in widths], repeatRows=head,
                     splitInRow=1, style=table_style(header_rows=head))
    index = [("章节编号 Id", "标题 Title", "起草方 Owner", "状态 Status", "摘要 Digest"),
             *((i, title, owner, STATUS_NAMES[st][0], d)
               for i, title, owner, st, d in production.sections)]
    story = [CJKParagraph(escape(f"生产记录 Production sheet — {e.name_zh} 第 {e.version} 版"),
                          s.headings[1]), table(rows, (30, 70)), Spacer(1, 5 * mm),
             CJKParagraph("章节索引 Section index", s.headings[2].clone("sheet_h", keepWithNext=0)),
             table(index, (32, 34, 18, 8, 12), head=1),
             Paragraph(escape("Digest: the first 12 hex digits of the section's content hash. "
                              "Not for publication: the output's provenance for the archive."),
                       s.small)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1, initialFontName=reportlab_font(),
                            leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"Production sheet {e.kind} v{e.version}",
                            author=e.publisher_name, subject=e.content_hash,
                            keywords=f"production:{e.kind}:v{e.version}", creator="CoPlan",
                            producer="CoPlan (reportlab)")
    stamp = "D:" + e.date.replace("-", "") + "000000+00'00'"

    def first(canvas, _doc):
        canvas.setDateFormatter(lambda *_: stamp)
    doc.build(story, onFirstPage=first, canvasmaker=_archival_canvas(e.date, production))
    return out.getvalue()


def _archival_canvas(date: str, production: Production):
    from reportlab.pdfgen.canvas import Canvas

    class ArchivalCanvas(Canvas):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            mark_archival(self, date, production)
    return ArchivalCanvas


def sheet_paths(pdf_path: str | Path) -> tuple[Path, Path]:
    """Where the production sheet of the output at `pdf_path` goes: X.production.pdf/.json."""
    path = Path(pdf_path)
    stem = path.with_suffix("")
    return stem.with_name(stem.name + ".production.pdf"), stem.with_name(stem.name + ".production.json")


def write_production(project, built, pdf_path: str | Path) -> tuple[Path, Path]:
    """Write the production sheet (PDF and JSON) of `built` beside the output at `pdf_path`."""
    from app.reports.edition import read_inputs

    production = production_of(read_inputs(project), built.edition)
    sha = hashlib.sha256(built.pdf).hexdigest()
    record = {**production.to_json(), "pdf": {"sha256": sha, "pages": built.pages,
                                              "maps": built.maps, "file": Path(pdf_path).name}}
    pdf, js = sheet_paths(pdf_path)
    try:
        pdf.write_bytes(sheet_pdf(production, sha, built.pages))
        js.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise CoplanError(f"cannot write the production sheet {pdf}: "
                          f"{exc.strerror or exc}") from exc
    return pdf, js
