"""`coplan report`, `coplan editions`, `coplan download`: thin wrappers over app.reports."""

from __future__ import annotations

import logging
import sys

from app.cli import command, out, out_json
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
                   help="upload the edition to the project's server and record it")
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
    from app.project.project import Project
    from app.reports import client
    from app.reports.build import iter_build, write_pdf
    from app.reports.edition import next_version, record

    with Project.open(args.project) as project:
        pid, remote = _remote(project, args.token) if args.publish else (None, None)
        version = args.version
        if version is None and remote is not None:
            version = max(next_version(project, args.kind), client.next_version(remote, pid, args.kind))
        built = _drive(iter_build(project, args.kind, version, dpi=args.dpi))
        write_pdf(built, args.out)
        e = built.edition
        out(f"wrote {args.out}: {e.name_zh} {e.name_en} v{e.version}, {built.pages} page(s), "
            f"{built.maps} map(s), {e.date}, content {e.content_hash[:12]}, "
            f"data v{e.base_version}/{e.layers_hash[:12]}, sha256 {built.sha256[:12]}")
        if remote is not None:
            stored = client.upload(remote, pid, built)
            record(project, e, built.sha256, len(built.pdf), remote.url)
            out(f"published {e.kind} v{e.version} to {remote.url} ({stored['file']})")
    return 0


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
