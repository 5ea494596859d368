"""`coplan report`, `coplan editions`, `coplan download`: thin wrappers over app.reports."""

from __future__ import annotations

import logging
import sys

from app.cli_support import command, out, out_json
from app.reports.edition import KINDS

log = logging.getLogger(__name__)


def add_parsers(sub) -> None:
    """Register the publishing subcommands on the `coplan` parser."""
    s = sub.add_parser("report", help="build a deliverable: policy set, release edition, "
                                      "bilingual public reader or the one-map poster (PDF)")
    s.add_argument("project")
    s.add_argument("--kind", required=True, choices=list(KINDS))
    s.add_argument("--out", required=True, metavar="FILE.pdf")
    s.add_argument("--version", type=int, help="edition number (default: the next unpublished)")
    s.add_argument("--publish", action="store_true",
                   help="upload the edition to the project's server and record it (refused for "
                        "uncommitted or unpushed changes, sections without text, empty maps, a "
                        "version already published with other content; nothing is written then)")
    s.add_argument("--partial", action="store_true",
                   help="allow a build from one party's copy: a partial draft, marked so on "
                        "every page and in its file name")
    s.add_argument("--dpi", type=int, default=150, help="map resolution (default 150)")
    s.add_argument("--token", help="API token (default: the one saved by coplan login)")
    s = sub.add_parser("editions", help="list the editions published on the project's server")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--token", help="API token (default: the one saved by coplan login)")
    s = sub.add_parser("download", help="download a published edition from the project's server")
    s.add_argument("project")
    s.add_argument("kind", choices=list(KINDS))
    s.add_argument("version", type=int)
    s.add_argument("--out", required=True, metavar="FILE.pdf")
    s.add_argument("--token", help="API token (default: the one saved by coplan login)")


def _drive(job):
    """Run a job to its end, showing progress on a terminal's stderr."""
    while True:
        try:
            step = next(job)
        except StopIteration as stop:
            if sys.stderr.isatty():
                print(file=sys.stderr)
            return stop.value
        if sys.stderr.isatty():
            done = f" {step.done}/{step.total}" if step.total else ""
            print(f"\r{step.message[:50]:<50}{done:<12}", end="", file=sys.stderr, flush=True)


def _remote(project, token: str | None):
    """(server project id, Remote) of the server the project syncs with."""
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    from app.sync.replica import remote_of

    url, pid = remote_of(project)
    return pid, Remote(url, token or token_for(url))


@command("report")
def cmd_report(args) -> int:
    """Build an output; with --publish upload it and record it."""
    from pathlib import Path

    from app.errors import CoplanError
    from app.project.project import Project
    from app.reports import client
    from app.reports.build import iter_build, output_path, write_pdf
    from app.reports.edition import next_version, record

    with Project.open(args.project) as project:
        if not args.publish:
            built = _drive(iter_build(project, args.kind, args.version, dpi=args.dpi,
                                      partial=args.partial))
            _wrote(write_pdf(built, output_path(built.edition, args.out)), built, project)
            return 0
        # Publishing: every check before the build, the upload before any file is written,
        # so a refused edition leaves nothing behind that could pass for a published one.
        pid, remote = _remote(project, args.token)
        if not Path(args.out).resolve().parent.is_dir():  # found out before the upload, not after
            raise CoplanError(f"cannot write {args.out}: its folder does not exist")
        records = client.list_editions(remote, pid)
        version = args.version if args.version is not None else max(
            next_version(project, args.kind), client.next_in(records, args.kind))
        built = _drive(iter_build(project, args.kind, version, dpi=args.dpi, partial=None,
                                  publish=records))  # a partial copy is refused as unpublishable
        stored = client.upload(remote, pid, built)
        record(project, built.edition, built.sha256, len(built.pdf), remote.url)
        _wrote(write_pdf(built, args.out), built, project)
        out(f"published {args.kind} v{version} to {remote.url} ({stored['file']})")
    return 0


def _wrote(path, built, project) -> None:
    from app.reports.metadata import write_production
    sheet, _ = write_production(project, built, path)  # ids, hashes, statuses: not in the output
    e = built.edition
    draft = ", PARTIAL DRAFT (one party's content only)" if e.partial else ""
    out(f"wrote {path}: {e.name_zh} {e.name_en} v{e.version}{draft}, {built.pages} page(s), "
        f"{built.maps} map(s), {e.date}, content {e.content_hash[:12]}, "
        f"data v{e.base_version}{' + local changes' if e.data_local else ''}"
        f"/{e.layers_hash[:12]}, sha256 {built.sha256[:12]}; production sheet {sheet}")


@command("editions")
def cmd_editions(args) -> int:
    """List the project's published editions (from its server)."""
    from app.project.project import Project
    from app.reports import client

    with Project.open(args.project) as project:
        pid, remote = _remote(project, args.token)
        records = client.list_editions(remote, pid)
    if args.json:
        out_json(records)
    else:
        for r in records:
            out(client.describe(r))
        out(f"{len(records)} edition(s)")
    return 0


@command("download")
def cmd_download(args) -> int:
    """Fetch one published edition's PDF."""
    from pathlib import Path

    from app.errors import CoplanError
    from app.project.project import Project
    from app.reports import client

    with Project.open(args.project) as project:
        pid, remote = _remote(project, args.token)
        pdf = client.download(remote, pid, args.kind, args.version)
    try:
        Path(args.out).write_bytes(pdf)
    except OSError as exc:
        raise CoplanError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    out(f"downloaded {args.kind} v{args.version} to {args.out} ({len(pdf) / 1024 / 1024:.1f} MB)")
    return 0
