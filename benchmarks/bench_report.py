"""The full policy set of the Shanghai metro sample (150+ pages, 40+ maps) against plain
reportlab building the same flowables plus the same map rendering, in the same run.

CoPlan's build: read the content and layers, render every map, run the indicator check-up for
the annex, compose, and lay out once with contents, lists of figures and tables, bookmarks,
running heads, folios, part openers on right-hand pages, headings kept with their text and the
line-break checks.
The baseline: render the same maps with the same function, make the same text into plain
`Paragraph`s, `Table`s and `Image`s (no contents, outline, header or footer; a page break for
a right-hand one) and build once with `SimpleDocTemplate`. The build must stay within LIMIT
times the baseline; the exit status says whether it did.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
)

from app.model.jobs import drive
from app.project.project import Project
from app.reports import outputs
from app.reports.build import build
from app.reports.compose import Composer, TitledTable
from app.reports.contents import Contents
from app.reports.document import MARGINS, MapImage
from app.reports.edition import edition_for, read_inputs
from app.reports.maps import render
from app.reports.pagination import RectoBreak
from app.reports.styles import table_style, titled_table_style
from benchmarks.common import table

LIMIT = 1.5  # the most CoPlan's layout may cost over plain reportlab with the same maps


def sample_project(folder: Path) -> Project:
    """The office's metro project of the sample with the sample content."""
    from sample_projects import writer
    from sample_projects.build import DEFAULT_REFERENCE
    from sample_projects.content import add_sample_content

    sources = writer.load_sources(DEFAULT_REFERENCE)
    target = next(t for t in writer.targets(sources) if t.file == "metro.sqlite")
    writer.write_project(folder / "metro.sqlite", target, writer.all_seeds(sources), "bench")
    project = Project.open(folder / "metro.sqlite", author="bench")
    add_sample_content(project)
    return project


def plain(flowable, pngs: dict[str, bytes]):
    """The plain reportlab equivalent of one of CoPlan's flowables (None: left out)."""
    if isinstance(flowable, (Contents, NextPageTemplate)):
        return None
    if isinstance(flowable, RectoBreak):
        return PageBreak()
    if isinstance(flowable, Paragraph):  # CJKParagraph and Heading too
        return Paragraph(flowable.text, flowable.style)
    if isinstance(flowable, MapImage):
        return Image(io.BytesIO(pngs[flowable.key]), flowable.width, flowable.height)
    if isinstance(flowable, Table):
        cells = [[plain(c, pngs) if isinstance(c, Paragraph) else c for c in row]
                 for row in flowable._cellvalues]
        style = titled_table_style() if isinstance(flowable, TitledTable) else table_style()
        return Table(cells, colWidths=flowable._colWidths, repeatRows=flowable.repeatRows,
                     style=style)
    if isinstance(flowable, KeepTogether):
        return KeepTogether([p for p in (plain(f, pngs) for f in flowable._content) if p])
    return flowable


def baseline(project: Project, dpi: int) -> tuple[float, int]:
    """Seconds for the baseline (maps + plain flowables + one build) and its page count."""
    inputs = read_inputs(project)
    specs = outputs.map_specs(inputs, "policy")
    composer = Composer(inputs, edition_for(inputs, "policy", 1), {s.key: b"" for s in specs},
                        {s.key: s for s in specs}, outputs.FRAME_MM * mm)
    story = drive(outputs.iter_policy(composer))  # the text to set, prepared untimed
    start = time.perf_counter()
    pngs = {s.key: render(s, inputs.data, dpi) for s in specs}
    flowables = [p for p in (plain(f, pngs) for f in story) if p is not None]
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, leftMargin=MARGINS[0],
                            rightMargin=MARGINS[1], topMargin=MARGINS[2], bottomMargin=MARGINS[3])
    doc.build(flowables)
    return time.perf_counter() - start, doc.page


def ours(project: Project, dpi: int) -> tuple[float, object]:
    start = time.perf_counter()
    built = build(project, "policy", 1, dpi=dpi)
    return time.perf_counter() - start, built


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, default=150, help="map resolution (default 150)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = sample_project(Path(tmp))
        # Interleaved, best of each: a busy machine slows both alike.
        runs = [(ours(project, args.dpi), baseline(project, args.dpi)) for _ in range(args.repeat)]
        t_ours, built = min((r[0] for r in runs), key=lambda r: r[0])
        t_base, base_pages = min(r[1] for r in runs)
        project.close()
    rows = [("plain reportlab + same maps", f"{t_base:.2f}", base_pages, built.maps, "1.00"),
            ("CoPlan policy set", f"{t_ours:.2f}", built.pages, built.maps,
             f"{t_ours / t_base:.2f}")]
    print(f"Policy set of the sample: {built.pages} pages, {built.maps} maps at {args.dpi} dpi, "
          f"{len(built.pdf) / 1024 / 1024:.1f} MB, {len(built.bad_lines)} line-break problems\n")
    print(table(rows, ("build", "seconds", "pages", "maps", "ratio")))
    ratio = t_ours / t_base
    print(f"\nratio {ratio:.2f} {'≤' if ratio <= LIMIT else '>'} {LIMIT} (limit)")
    if ratio > LIMIT:
        sys.exit(1)


if __name__ == "__main__":
    main()
