"""Fuzz the sync server's HTTP API with schemathesis, from the server's own OpenAPI description.

Prepares a throw-away store (a project, three parties, a user for every role and one of no
project), starts a real `coplan serve --port 0`, and sends generated requests to every
operation: mostly with a valid token of a random user, some without one, with a malformed,
wrong or expired one, or with the header schemathesis makes up. Each response must pass
schemathesis' `not_a_server_error` and every error must be exactly the one envelope
{"error": {"code", "message", "retryable"}}.

Random path values almost never name a real project, change set or conflict, so a share of the
cases is steered onto real ones (learned from earlier answers): without that the fuzzer would
only ever meet the 404 of the first lookup.

    .venv/bin/python scripts/fuzz_api.py [--cases N] [--seed S]    # exit code 1 on any failure
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import hypothesis
import requests
import schemathesis
import shapely
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup

from app.model.catalogue import Layer, load_catalogue
from app.model.changes import DATA_SCHEMA_VERSION
from app.model.validation import coerce
from app.sync.protocol import SYSTEM_COLS
from app.sync.server.store import open_store

REPO = Path(__file__).resolve().parents[1]

PROJECT = "fuzz-metro"
PARTIES = [("310000", "上海市", "city"), ("320500", "苏州市", "city"),
           ("office", "协同办公室", "office")]
USERS = [("editor", "310000", "editor"), ("editor2", "320500", "editor"),
         ("coordinator", "office", "coordinator"), ("reviewer", "310000", "reviewer"),
         ("publisher", "320500", "publisher"), ("observer", "310000", "observer")]
OUTSIDER = "outsider"  # a user who belongs to no project: 403s
PASSWORD = ("editor", "pw-editor")  # the one user with a password (argon2 costs ~0.1 s a hash)
ENVELOPE_KEYS = {"code": str, "message": str, "retryable": bool}
NEGATIVE_SHARE = 0.25  # of each operation's cases, generated to break the schema on purpose
HOSTILE_SHARE = 0.1  # of cases given one value the schema allows but generators seldom make
MAGIC = {"application/pdf": b"%PDF-1.7\n", "image/png": b"\x89PNG\r\n\x1a\n"}  # real-looking starts
HUGE = 2**63  # one past SQLite's INTEGER range; JSON and the schema have no such limit
SURROGATE = "\ud800"  # fine in JSON text as an escape, not encodable as UTF-8


# --- the server under test -------------------------------------------------------------------

@dataclass
class Setup:
    """A prepared store and the credentials the fuzzer uses against it."""

    data: Path  # the server's folder (its log goes beside it)
    store: str  # what `coplan serve --store` takes
    tokens: dict[str, str]  # user -> valid token
    parties: dict[str, str]  # user -> party they act for
    expired: str  # a token of a real user, past its expiry
    url: str = ""
    proc: subprocess.Popen | None = None


def prepare_store(data: Path, spec: str | None = None) -> Setup:
    """A store (SQLite in `data`, or the empty store `spec` names) with the fuzz project, its
    parties, a user for every role and their tokens."""
    spec = spec or str(data)
    store = open_store(spec)
    try:
        store.create_project(PROJECT, "模糊测试都市圈", DATA_SCHEMA_VERSION)
        for code, name, kind in PARTIES:
            store.add_party(PROJECT, code, name, kind)
        for user, party, role in USERS:
            store.add_user(user, PASSWORD[1] if user == PASSWORD[0] else None)
            store.grant(PROJECT, user, party, role)
        store.add_user(OUTSIDER, None)
        tokens = {user: store.issue_token(user) for user, _, _ in USERS}
        tokens[OUTSIDER] = store.issue_token(OUTSIDER)
        expired = store.issue_token("editor", days=-1)
    finally:
        store.close()
    return Setup(data, spec, tokens, {u: p for u, p, _ in USERS} | {OUTSIDER: "310000"}, expired)


def start_server(setup: Setup) -> str:
    """Start `coplan serve` on an ephemeral port; returns its URL."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("COPLAN_FAILPOINT", None)
    # stderr goes to a file: an undrained pipe fills after a few tracebacks and then blocks the
    # server's event loop on its next log line, which would look like a hung server.
    with open(setup.data.parent / "server.log", "w") as log:
        setup.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--store", setup.store, "--port", "0"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    line = setup.proc.stdout.readline()
    if "serving on" not in line:
        setup.proc.kill()
        raise RuntimeError(f"the server did not start: {line}{stop_server(setup)}")
    setup.url = line.split("serving on", 1)[1].strip()
    return setup.url


def stop_server(setup: Setup) -> str:
    """Stop the server; returns what it wrote to stderr (tracebacks of 500s land there)."""
    if setup.proc is None:
        return ""
    if setup.proc.poll() is None:
        setup.proc.send_signal(signal.SIGINT)
    try:
        setup.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        setup.proc.kill()
        setup.proc.wait()
    setup.proc.stdout.close()
    return (setup.data.parent / "server.log").read_text(encoding="utf-8", errors="replace")


# --- the schema ---------------------------------------------------------------------------------

def inline_local_defs(node: object, defs: dict) -> object:
    """`node` with every `#/$defs/<name>` reference replaced by the definition itself."""
    if isinstance(node, list):
        return [inline_local_defs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        return inline_local_defs(defs[ref[8:]], defs)
    return {k: inline_local_defs(v, defs) for k, v in node.items() if k != "$defs"}


def repair_bodies(document: dict) -> list[str]:
    """Inline `$defs` of request-body schemas in place; returns a note per repaired operation.

    A body schema embedded without its `$id` keeps refs like `#/$defs/uuid`, which in an OpenAPI
    document resolve against the document root, where nothing is found: schemathesis then
    generates no body at all. Fuzzing the server's checks matters more than failing here, so
    the description is repaired locally and the problem reported."""
    notes = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                schema = content.get("schema", {})
                if "$defs" in schema:
                    content["schema"] = inline_local_defs(schema, schema["$defs"])
                    notes.append(f"{method.upper()} {path} ({media}): body schema refers to "
                                 f"#/$defs/..., unresolvable in /openapi.json; inlined for fuzzing")
    return notes


def register_binary_bodies(document: dict) -> None:
    """Byte strategies for upload bodies that are neither JSON nor forms (PDF editions...)."""
    media = {m for operations in document.get("paths", {}).values()
             for operation in operations.values() if isinstance(operation, dict)
             for m in operation.get("requestBody", {}).get("content", {})}
    for name in sorted(media):
        if "json" in name or "form" in name or name.startswith("text/"):
            continue
        magic = MAGIC.get(name, b"")
        schemathesis.openapi.media_type(name, st.one_of(
            st.binary(max_size=4096).map(lambda b, m=magic: m + b), st.binary(max_size=256)))


def load_schema(url: str) -> tuple[schemathesis.BaseSchema, list[str]]:
    """The server's OpenAPI description as a schemathesis schema, and notes on repairs made."""
    document = requests.get(f"{url}/openapi.json", timeout=10).json()
    notes = repair_bodies(document)
    register_binary_bodies(document)
    schema = schemathesis.openapi.from_dict(document)
    notes += [f"schemathesis warning: {w}" for w in schema.iter_schema_warnings()]
    return schema, notes


# --- checks -------------------------------------------------------------------------------------

def envelope_problem(status: int, headers: dict, content: bytes) -> str | None:
    """What is wrong with an error response's body (None when it is the one envelope)."""
    if status < 400:
        return None
    kind = next((v[0] if isinstance(v, list) else v for k, v in headers.items()
                 if k.lower() == "content-type"), "")
    if not kind.startswith("application/json"):
        return f"content type {kind!r}, not application/json"
    try:
        body = json.loads(content)
    except ValueError:
        return f"body is not JSON: {content[:200]!r}"
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        return f"body is not {{'error': {{...}}}}: {content[:200]!r}"
    error = body["error"]
    if set(error) != set(ENVELOPE_KEYS):
        return f"error keys {sorted(error)}, expected {sorted(ENVELOPE_KEYS)}"
    wrong = [k for k, kind in ENVELOPE_KEYS.items() if type(error[k]) is not kind]
    return f"wrong types of {wrong}: {error}" if wrong else None


def error_envelope(ctx, response, case) -> bool | None:
    """Schemathesis check: every 4xx/5xx carries exactly the CoPlan error envelope."""
    problem = envelope_problem(response.status_code, dict(response.headers), response.content)
    if problem:
        raise Failure(operation=case.operation.label, title="Error envelope violated",
                      message=problem)
    return None


CHECKS = [not_a_server_error, error_envelope]


# --- steering generated cases onto real objects ---------------------------------------------------

@dataclass
class Known:
    """Real objects seen in earlier answers, for steering path parameters."""

    changesets: list[str] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)
    features: list[tuple[str, str]] = field(default_factory=list)  # (layer, uuid)

    def learn(self, case, response) -> None:
        """Remember the change set, conflicts and features of an accepted push."""
        if case.method.upper() != "POST" or not case.path.endswith("/changesets"):
            return
        if response.status_code != 200 or not isinstance(case.body, dict):
            return
        answer = response.json()
        self.changesets.append(answer["changeset"])
        self.conflicts += [c["id"] for c in answer.get("clashes", [])]
        self.features += [(c["layer"], c["uuid"]) for c in case.body["changes"]]


def authorization(setup: Setup, rnd: random.Random) -> tuple[str, str | None]:
    """(mode, Authorization header or None): mostly a valid token of a random user."""
    roll = rnd.random()
    if roll < 0.70:
        user = rnd.choice([*setup.parties])
        return f"token:{user}", f"Bearer {setup.tokens[user]}"
    if roll < 0.78:
        return "no token", None
    if roll < 0.90:
        token_id = setup.tokens["editor"].split(".")[0]
        bad = rnd.choice(["Bearer", "Bearer abc.def", f"Bearer {token_id}.wrong-secret",
                          f"Basic {setup.tokens['editor']}", f"Bearer {setup.expired}",
                          "Bearer " + "x" * 300])
        return "bad token", bad
    return "generated header", "generated"


def steer_path(case, known: Known, rnd: random.Random) -> None:
    """Point path parameters at the real project and at known objects, most of the time."""
    params = case.path_parameters or {}
    if "project" in params and rnd.random() < 0.85:
        params["project"] = PROJECT
    if "changeset" in params and known.changesets and rnd.random() < 0.6:
        params["changeset"] = rnd.choice(known.changesets)
    if "conflict" in params and known.conflicts and rnd.random() < 0.6:
        params["conflict"] = rnd.choice(known.conflicts)
    if "uuid" in params and known.features and rnd.random() < 0.6:
        params["layer"], params["uuid"] = rnd.choice(known.features)


@cache
def _layers() -> tuple[Layer, ...]:
    return tuple(load_catalogue().layers)


def _accepts(layer: Layer, name: str, pair: object) -> bool:
    """True when the server's value checks would take `pair` in column `name`."""
    if name in SYSTEM_COLS:
        return True
    try:
        for value in pair if isinstance(pair, list) else [pair]:
            coerce(layer.field(name), value)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _geometry(layer: Layer, rnd: random.Random) -> str:
    """Hex WKB of a small geometry near Shanghai that fits the layer."""
    x, y, size = rnd.uniform(120.5, 122.0), rnd.uniform(30.5, 31.8), rnd.uniform(1e-4, 1e-2)
    if layer.geometry in ("Point", "MultiPoint"):
        geom = shapely.Point(x, y)
    elif layer.geometry == "MultiLineString":
        geom = shapely.MultiLineString([[(x, y), (x + size, y + size)]])
    else:
        geom = shapely.MultiPolygon([shapely.box(x, y, x + size, y + size)])
    return shapely.to_wkb(geom, hex=True)


def steer_change(change: dict, party: str, known: Known, rnd: random.Random) -> None:
    """Put a generated change on a real layer (or a known feature), in columns that take its
    values."""
    layer = rnd.choice(_layers())
    if known.features and rnd.random() < 0.4:
        code, change["uuid"] = rnd.choice(known.features)
        layer = next((la for la in _layers() if la.code == code.upper()), layer)
    change["layer"] = layer.code
    if not isinstance(change.get("cols"), dict):
        return
    names = [*layer.field_names, *SYSTEM_COLS]
    change["cols"] = {rnd.choice([n for n in names if _accepts(layer, n, pair)]): pair
                      for pair in change["cols"].values()}
    if rnd.random() < 0.5:
        old = None if change.get("op") == "insert" else _geometry(layer, rnd)
        new = None if change.get("op") == "delete" else _geometry(layer, rnd)
        change["cols"]["geom"] = [old, new]
    if change.get("op") == "insert" and rnd.random() < 0.7:
        change["cols"]["owner"] = [None, party]


def steer_changeset(body: dict, party: str, known: Known, rnd: random.Random) -> None:
    """Make a generated change set pass the cheap checks: real project, party, layers, columns."""
    body.update(project=PROJECT, party=party, schema_version=DATA_SCHEMA_VERSION)
    if isinstance(body.get("base_version"), float) and body["base_version"].is_integer():
        body["base_version"] = int(body["base_version"])  # the schema allows 3.0, the server not
    changes = body.get("changes")
    for change in changes if isinstance(changes, list) else []:
        if isinstance(change, dict) and rnd.random() < 0.95:  # leave a few as generated
            steer_change(change, party, known, rnd)


def hostile(case, rnd: random.Random) -> None:
    """Now and then: an integer past 64 bits in a parameter or the body, or a lone surrogate
    (hypothesis never makes one; a URL cannot carry one) in a string of the JSON body."""
    body = case.body if isinstance(case.body, dict) else {}
    targets = [(where, key) for where in (case.query or {}, case.path_parameters or {}, body)
               for key, value in where.items() if type(value) is int]
    targets += [(body, key) for key, value in body.items() if type(value) is str]
    if not targets or rnd.random() >= HOSTILE_SHARE:
        return
    where, key = rnd.choice(targets)
    if type(where[key]) is int:
        where[key] = HUGE + rnd.randrange(2**20)
    else:
        where[key] += SURROGATE


def steer(case, setup: Setup, known: Known, rnd: random.Random) -> str:
    """Set the case's credentials and steer it onto real objects; returns the auth mode."""
    mode, header = authorization(setup, rnd)
    headers = dict(case.headers or {})
    if header != "generated":
        headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        if header:
            headers["Authorization"] = header
    case.headers = headers
    steer_path(case, known, rnd)
    party = setup.parties.get(mode.removeprefix("token:"), "310000")
    if isinstance(case.body, dict) and "changes" in case.body and rnd.random() < 0.8:
        steer_changeset(case.body, party, known, rnd)
    if isinstance(case.body, dict) and "password" in case.body and rnd.random() < 0.2:
        case.body.update(user=PASSWORD[0], password=PASSWORD[1])
    hostile(case, rnd)
    return mode


# --- running ------------------------------------------------------------------------------------

@dataclass
class Report:
    """What a fuzzing run sent and got back."""

    operations: list[str] = field(default_factory=list)  # every operation of the description
    cases: Counter = field(default_factory=Counter)  # operation -> cases sent
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))  # operation -> status -> n
    auth: Counter = field(default_factory=Counter)  # auth mode -> cases
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (operation, title, detail)
    notes: list[str] = field(default_factory=list)  # problems of the description itself
    server_log: str = ""

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def server_errors(self) -> int:
        return sum(n for per_op in self.statuses.values() for s, n in per_op.items() if s >= 500)

    def no_responses(self) -> int:
        return sum(1 for _, title, _ in self.failures if title == "No response")

    def envelope_violations(self) -> int:
        return sum(1 for _, title, _ in self.failures if title == "Error envelope violated")


@dataclass
class Fuzzer:
    """Sends generated cases to one server and records what came back."""

    setup: Setup
    report: Report = field(default_factory=Report)
    known: Known = field(default_factory=Known)
    # Steering draws from our own generator: hypothesis' `randoms()` lean to minimal values.
    rnd: random.Random = field(default_factory=random.Random)

    def send(self, case) -> None:
        """Steer, send and check one case."""
        mode = steer(case, self.setup, self.known, self.rnd)
        label = case.operation.label
        self.report.cases[label] += 1
        self.report.auth[mode] += 1
        try:
            # A new connection per case: keep-alive connections to `coplan serve` stall 40 ms
            # on each request (delayed ACK meeting Nagle), which would only slow the run down.
            response = case.call(base_url=self.setup.url, timeout=60)
        except requests.RequestException as exc:  # the server hung up or died
            self.report.failures.append((label, "No response", f"{exc}\n    {self.curl(case)}"))
            return
        self.report.statuses[label][response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                detail = f"{failure.message}\n    {self.curl(case)}"
                self.report.failures.append((label, failure.title, detail))
        self.known.learn(case, response)

    def curl(self, case) -> str:
        return case.as_curl_command(base_url=self.setup.url)

    def run(self, operation, mode: GenerationMode, examples: int, seed: int) -> None:
        """Up to `examples` cases of one operation in one generation mode."""
        if examples <= 0:
            return

        @hypothesis.seed(seed)
        @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet)
        @given(case=operation.as_strategy(generation_mode=mode))
        def generated(case):
            self.send(case)
        try:
            generated()
        except hypothesis.errors.Unsatisfiable:
            pass  # nothing to break in this operation (negative mode without parameters)
        except schemathesis.errors.SchemathesisError as exc:  # cannot generate: say so
            self.report.notes.append(f"{operation.label} ({mode.value}): no cases: {exc}"[:300])


def operations(schema) -> list:
    """Every operation of the schema; pushes come early so later ones can use what they made."""
    found = [result.ok() for result in schema.get_all_operations()]
    return sorted(found, key=lambda op: (op.path.count("{"), op.path, op.method))


def fuzz(setup: Setup, cases: int, seed: int) -> Report:
    """At least `cases` generated requests against the running server, spread over operations."""
    schema, notes = load_schema(setup.url)
    fuzzer = Fuzzer(setup, rnd=random.Random(seed))
    fuzzer.report.notes = notes
    ops = operations(schema)
    fuzzer.report.operations = [op.label for op in ops]
    for rounds in range(20):  # top up when an operation runs out of distinct inputs
        missing = cases - fuzzer.report.total
        if missing <= 0:
            break
        share = math.ceil(missing / len(ops))
        negative = math.floor(share * NEGATIVE_SHARE)
        for i, op in enumerate(ops):
            fuzzer.run(op, GenerationMode.POSITIVE, share - negative, seed + 1000 * rounds + i)
            fuzzer.run(op, GenerationMode.NEGATIVE, negative, seed + 1000 * rounds + 500 + i)
    return fuzzer.report


def fuzz_fresh_server(cases: int, seed: int, store: str | None = None) -> Report:
    """Prepare a store (SQLite in a temporary folder unless `store` names an empty one), serve
    it, fuzz it, stop it."""
    with tempfile.TemporaryDirectory(prefix="coplan-fuzz-") as folder:
        setup = prepare_store(Path(folder) / "server", store)
        start_server(setup)
        try:
            report = fuzz(setup, cases, seed)
        finally:
            log = stop_server(setup)
        report.server_log = log
        return report


# --- output -------------------------------------------------------------------------------------

def summary(report: Report) -> str:
    """Cases and statuses per operation, auth modes, description notes and failures."""
    lines = ["| operation | cases | statuses |", "|---|---|---|"]
    for label in sorted(report.cases):
        statuses = " ".join(f"{s}×{n}" for s, n in sorted(report.statuses[label].items()))
        lines.append(f"| {label} | {report.cases[label]} | {statuses} |")
    lines.append(f"| **total** | **{report.total}** | 5xx: {report.server_errors()} |")
    lines.append("\nauthorization: " + ", ".join(f"{m} {n}" for m, n in report.auth.most_common()))
    lines += [f"note: {n}" for n in report.notes]
    lines.append(f"\nfailures: {len(report.failures)}")
    return "\n".join(lines + failure_lines(report))


def failure_lines(report: Report, examples: int = 2) -> list[str]:
    """Failures grouped by operation and kind, with a few reproducible examples each."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for label, title, detail in report.failures:
        groups[(label, title)].append(detail)
    lines = []
    for (label, title), details in groups.items():
        lines.append(f"- {label}: {title} ×{len(details)}")
        lines += [f"    {d}" for d in details[:examples]]
    return lines


def server_exceptions(log: str) -> Counter:
    """The last line of each traceback in the server's log (`OverflowError: ...`), counted."""
    lines = log.splitlines()
    ends = [lines[i + 1] for i, line in enumerate(lines[:-1])
            if line.lstrip().startswith("^") or line.startswith("  File ")]
    return Counter(e for e in ends if e and not e.startswith(" ") and ":" in e)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=1000, help="at least this many requests")
    p.add_argument("--seed", type=int, default=0, help="for a reproducible run")
    args = p.parse_args(argv)
    report = fuzz_fresh_server(args.cases, args.seed)
    print(summary(report))
    raised = server_exceptions(report.server_log)
    if raised:
        lines = [f"- {e} ×{n}" for e, n in raised.items()]
        print("\ntracebacks in the server log, by last line:\n" + "\n".join(lines))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
