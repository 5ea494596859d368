"""`coplan` subcommands of sync: serve, admin, login, clone, push, pull, sync, outbox, drop,
conflicts, resolve."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from app.cli_support import command, out, out_json
from app.errors import InvalidInput

log = logging.getLogger(__name__)


def _progress(steps):
    """Run a generator of progress, showing it on stderr; returns its result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as stop:
            return stop.value
        if sys.stderr.isatty():
            print(f"\r{step.stage} {step.done}/{step.total} {step.message[:40]:<40}",
                  end="", file=sys.stderr, flush=True)


def _remote(url: str, token: str | None = None):
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    return Remote(url, token or token_for(url))


def _project_remote(path: str):
    from app.project.project import Project
    from app.sync.replica import remote_of
    project = Project.open(path)
    try:
        url, _ = remote_of(project)
        return project, _remote(url)
    except BaseException:
        project.close()
        raise


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("password: ")


@command("serve")
def cmd_serve(args) -> int:
    from app.sync.server.serve import serve, trusted_proxies
    serve(args.data or args.store, args.host, args.port, args.workers,
          trusted_proxies(args.forwarded_allow_ips, args.proxy_headers), args.log_format)
    return 0


@command("admin")
def cmd_admin(args) -> int:
    from app.model.changes import DATA_SCHEMA_VERSION
    from app.sync.server import backup
    from app.sync.server.store import open_store
    store = open_store(args.data or args.store)
    try:
        if args.action == "backup":
            manifest = backup.backup(store, args.file, progress=_say)
            rows = sum(n for n, _ in manifest["tables"].values())
            out(f"backed up {rows} rows and {manifest['files'][0]} files of {store} to {args.file}")
        elif args.action == "restore":
            manifest = backup.restore(store, args.file, progress=_say)
            rows = sum(n for n, _ in manifest["tables"].values())
            out(f"restored {rows} rows and {manifest['files'][0]} files into {store}; every "
                "table's rows and digest match the backup")
        elif args.action == "migrate-store":
            target = open_store(args.to)
            try:
                found = backup.migrate(store, target, progress=_say)
            finally:
                target.close()
            rows = sum(n for t, (n, _) in found.items() if t != "files")
            out(f"moved {rows} rows and {found['files'][0]} files from {store} to {target}; "
                "every table's rows and digest match")
        elif args.action == "check":
            for table, (rows, digest) in backup.digests(store).items():
                out(f"{table:20} {rows:>10} {digest}")
        elif args.action == "create-project":
            store.create_project(args.id, args.name or args.id, DATA_SCHEMA_VERSION,
                                 tuple(args.shared or ()))
            out(f"created project {args.id}")
        elif args.action == "add-party":
            store.add_party(args.id, args.code, args.name or args.code, args.type)
            out(f"added party {args.code} to {args.id}")
        elif args.action == "add-user":
            store.add_user(args.user, _password(args) if args.password_stdin or args.ask else None)
            out(f"added user {args.user}")
        elif args.action == "grant":
            store.grant(args.id, args.user, args.party, args.role)
            out(f"{args.user} acts for {args.party} in {args.id} as {args.role}")
        else:
            out(store.issue_token(args.user, args.days, args.label or ""))
    finally:
        store.close()
    return 0


@command("login")
def cmd_login(args) -> int:
    from app.sync.client import Remote
    from app.sync.credentials import save_token
    remote = Remote(args.url)
    token = remote.login(args.user, _password(args))
    out(f"logged in to {args.url} as {args.user}; token saved in {save_token(args.url, token, args.user)}")
    return 0


@command("clone")
def cmd_clone(args) -> int:
    from app.sync.replica import clone_steps
    project = _progress(clone_steps(_remote(args.url, args.token), args.project_id, args.path))
    out(f"cloned {args.project_id} into {project.path} at version {project.base_version} "
        f"(party {project.party})")
    project.close()
    return 0


@command("push")
def cmd_push(args) -> int:
    from app.sync.replica import push_steps
    project, remote = _project_remote(args.path)
    with project:
        answers = _progress(push_steps(project, remote))
    clashes = sum(len(a["clashes"]) for a in answers)
    out(f"pushed {len(answers)} change set(s); {clashes} conflict(s) recorded")
    return 0


@command("pull")
def cmd_pull(args) -> int:
    from app.sync.replica import pull_steps
    project, remote = _project_remote(args.path)
    with project:
        n = _progress(pull_steps(project, remote))
        out(f"pulled {n} version(s); now at version {project.base_version}")
    return 0


@command("sync")
def cmd_sync(args) -> int:
    from app.sync.replica import sync_steps
    project, remote = _project_remote(args.path)
    with project:
        report = _progress(sync_steps(project, remote))
    out(f"pushed {len(report.pushed)}, pulled {report.pulled}, now at version {report.version}; "
        f"{len(report.clashes)} conflict(s) from this push")
    return 0


@command("outbox")
def cmd_outbox(args) -> int:
    from app.project.project import Project
    from app.sync.replica import outbox_entries
    with Project.open(args.path) as project:
        entries = outbox_entries(project)
    if args.json:
        out_json([e.__dict__ for e in entries])
        return 0
    for e in entries:
        state = "refused: " + e.refusal if e.refusal else ("sent, not pulled back" if e.state == "pushed"
                                                          else "not sent")
        out(f"{e.id}  {e.created[:16]}  {e.changes:>6} change(s)  {e.message}  [{state}]")
    out(f"{len(entries)} change set(s) waiting")
    return 0


@command("drop")
def cmd_drop(args) -> int:
    from app.project.project import Project
    from app.sync.replica import drop
    with Project.open(args.path) as project:
        cs = drop(project, args.changeset)
    out(f"dropped change set {cs.id[:8]} \"{cs.message}\" ({len(cs.changes)} change(s)); its features "
        "show the server's state again")
    return 0


@command("conflicts")
def cmd_conflicts(args) -> int:
    from app.sync.replica import remote_of
    project, remote = _project_remote(args.path)
    with project:
        _, pid = remote_of(project)
    items = remote.conflicts(pid, "all" if args.all else "open")
    if args.json:
        out_json(items)
        return 0
    for c in items:
        cells = ", ".join(f"{col}: {a!r} → ours {o!r} / theirs {t!r}"
                          for col, (a, o, t) in c["cells"].items() if col != "geom")
        moved = " [changed since: look again]" if c.get("stale") else ""
        out(f"#{c['id']} {c['status']} {c['kind']} {c['layer']}/{c['uuid']} (party {c['party']}) "
            f"{cells}{' [geometry]' if 'geom' in c['cells'] else ''} {c['reason']}{moved}".rstrip())
    out(f"{len(items)} conflict(s)")
    return 0


@command("resolve")
def cmd_resolve(args) -> int:
    from app.sync.replica import pull_steps, remote_of
    values = None
    if args.value:
        values = dict(v.split("=", 1) for v in args.value if "=" in v)
        if len(values) != len(args.value):
            raise InvalidInput("--value takes COLUMN=VALUE")
    project, remote = _project_remote(args.path)
    with project:
        _, pid = remote_of(project)
        answer = remote.resolve(pid, args.conflict, "value" if values else args.take, values)
        _progress(pull_steps(project, remote))
    out(f"resolved conflict #{args.conflict} as version {answer['version']}")
    return 0


def add_parsers(sub) -> None:
    """Register the sync subcommands."""
    s = sub.add_parser("serve", help="run the sync server")
    _store_arguments(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8470, help="0 picks a free port")
    s.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the port (PostgreSQL store only)")
    s.add_argument("--proxy-headers", action="store_true",
                   help="behind a reverse proxy: honour X-Forwarded-For/-Proto from "
                        "--forwarded-allow-ips (default 127.0.0.1,::1)")
    s.add_argument("--forwarded-allow-ips", metavar="IPS",
                   help="comma-separated proxy addresses or networks trusted for X-Forwarded-* "
                        "(implies --proxy-headers; default: $COPLAN_FORWARDED_ALLOW_IPS)")
    s.add_argument("--log-format", choices=["text", "json"],
                   help="json: one JSON object per line (default: $COPLAN_LOG_FORMAT, else text)")
    _admin_parser(sub)
    s = sub.add_parser("login", help="log in to a server and save the token")
    s.add_argument("url")
    s.add_argument("--user", required=True)
    s.add_argument("--password-stdin", action="store_true")
    s = sub.add_parser("clone", help="make a local project from a server project")
    s.add_argument("url")
    s.add_argument("project_id")
    s.add_argument("path")
    s.add_argument("--token", help="use this token instead of the saved one")
    for name, text in (("push", "send committed change sets"),
                       ("pull", "apply the server's new versions (uncommitted edits are kept on top)"),
                       ("sync", "push, then pull")):
        sub.add_parser(name, help=text).add_argument("path")
    s = sub.add_parser("outbox", help="list committed change sets the server has not echoed yet")
    s.add_argument("path")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("drop", help="take a change set the server refused off this copy")
    s.add_argument("path")
    s.add_argument("changeset", help="change-set id or a unique prefix (at least 4 characters)")
    s = sub.add_parser("conflicts", help="list the project's conflicts on the server")
    s.add_argument("path")
    s.add_argument("--json", action="store_true")
    s.add_argument("--all", action="store_true", help="resolved ones too")
    s = sub.add_parser("resolve", help="decide a conflict")
    s.add_argument("path")
    s.add_argument("conflict", type=int)
    s.add_argument("--take", choices=["ancestor", "ours", "theirs"], default="theirs")
    s.add_argument("--value", action="append", metavar="COLUMN=VALUE", help="an edited value")


def _admin_parser(sub) -> None:
    s = sub.add_parser("admin", help="administer a server's store (projects, parties, users, "
                                     "backups, migration)")
    _store_arguments(s)
    actions = s.add_subparsers(dest="action", required=True)
    a = actions.add_parser("backup", help="write a consistent backup of the store (online)")
    a.add_argument("file")
    a = actions.add_parser("restore", help="load a backup into an empty store and check it")
    a.add_argument("file")
    a = actions.add_parser("migrate-store", help="copy the store into an empty one (e.g. "
                                                 "PostgreSQL) and check nothing was lost")
    a.add_argument("--to", required=True, metavar="STORE", help="a postgresql:// URL or a folder")
    actions.add_parser("check", help="rows and digest of every table")
    a = actions.add_parser("create-project")
    a.add_argument("id")
    a.add_argument("--name")
    a.add_argument("--shared", action="append", metavar="LAYER", help="layer every editor may edit")
    a = actions.add_parser("add-party")
    a.add_argument("id")
    a.add_argument("code")
    a.add_argument("--name")
    a.add_argument("--type", required=True,
                   choices=["city", "department", "ministry", "province", "expert", "public", "office"])
    a = actions.add_parser("add-user")
    a.add_argument("user")
    a.add_argument("--password-stdin", action="store_true")
    a.add_argument("--ask", action="store_true", help="prompt for a password")
    a = actions.add_parser("grant")
    a.add_argument("id")
    a.add_argument("user")
    a.add_argument("--party", required=True)
    a.add_argument("--role", required=True,
                   choices=["editor", "coordinator", "reviewer", "publisher", "observer"])
    a = actions.add_parser("issue-token")
    a.add_argument("user")
    a.add_argument("--days", type=int, default=30)
    a.add_argument("--label")


def _store_arguments(parser) -> None:
    parser.add_argument("--store", help="a postgresql://… URL or a folder for a SQLite store "
                                        "(default: $COPLAN_STORE)")
    parser.add_argument("--data", help="folder of a SQLite store (same as --store FOLDER)")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_ = argparse  # the parsers are built by app.cli
