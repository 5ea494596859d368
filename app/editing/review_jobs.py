"""Review work the desktop sends to its DB worker (comments, review-sync, dispositions, charts,
sign-off), plus the pure helpers its panels share: anchors, the check of a disposition draft.

Two sources feed the review panels, both folded into a `ReviewState` so that the core's triage,
dashboard and ledger functions serve every panel unchanged:
- the local copy pulled by review-sync (`coplan_review_comments`): comment views the server has
  already filtered for this party — available offline;
- a review archive (`events.jsonl`), e.g. the office's export or the sample round.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from app.editing.jobs import remote_for
from app.model.feature import Feature
from app.model.jobs import Progress
from app.model.wkbscan import WkbError, hex_bytes, scan_wkb
from app.project import history
from app.project.project import Project
from app.review import model as M
from app.review import outbox, release
from app.review.access import Actor
from app.review.charts import ledger_figure, png_bytes
from app.review.client import ReviewRemote
from app.review.events import Event, read_jsonl
from app.review.ledger import Ledger, compute
from app.review.signing import load_keyring, load_signing_key
from app.review.state import Answer, ReviewState, fold
from app.review.triage import Dashboard, dashboard

log = logging.getLogger(__name__)

ROUNDS_META = "review_rounds"  # project meta: the rounds as last pulled (JSON list)
OUTBOX_STATES = ("draft", "queued", "refused")  # what the panel lists as not (yet) accepted
CHART_DPI = 100


@dataclass(frozen=True)
class ReviewData:
    """What the review panels show: the state this party may see, who looks, the outbox."""

    state: ReviewState
    actor: Actor
    source: str  # "local" or the archive's path
    outbox: tuple[dict, ...] = ()  # {id, kind, round, body, answer, state}, oldest first

    @property
    def coordinator(self) -> bool:
        return self.actor.coordinator

    def parties(self) -> dict[str, str]:
        """Code -> name of every party with a comment in the state."""
        return {c.party: c.event.data.get("party_name", c.party) for c in self.state.submitted()}  # type: ignore[union-attr]  # a submitted comment has its event


def actor_of(project: Project) -> Actor:
    """The project's party and role as a review actor."""
    party_type = "office" if project.role == "coordinator" else ""
    return Actor(project.author, project.party, project.role, party_type)


def outbox_items(project: Project) -> tuple[dict, ...]:
    """Comments and replies written here that the server has not accepted (yet)."""
    return tuple({**item, "state": state} for state in OUTBOX_STATES
                 for item in outbox.pending(project, state))


def load_local(project: Project) -> ReviewData:
    """The review as last pulled into the project, with its outbox."""
    rounds = json.loads(project.meta(ROUNDS_META) or "[]")
    state = state_from_views(outbox.local_comments(project), rounds)
    return ReviewData(state, actor_of(project), "local", outbox_items(project))


def load_archive(project: Project, path: str) -> ReviewData:
    """A review archive (events.jsonl) seen as this project's party and role."""
    state = fold(read_jsonl(path))
    return ReviewData(state, actor_of(project), str(path), outbox_items(project))


def _answer(data: dict | None) -> Answer | None:
    if not data:
        return None
    return Answer(data["decision"], data["disposition"], data.get("reason"),
                  dict(data.get("answer") or {}), tuple(data.get("changes") or ()),
                  data.get("memo"), data.get("by_party", ""), data.get("by_user", ""),
                  data.get("decided_at", ""))


def state_from_views(views: list[dict], rounds: list[dict]) -> ReviewState:
    """A ReviewState holding the pulled comment views (what `access.comment_view` gave us)."""
    state = ReviewState()
    for info in rounds:
        r = state.round(int(info["number"]))
        r.title, r.stage, r.due = dict(info.get("title") or {}), info.get("stage", "draft"), info.get("due")
    for view in views:
        _add_view(state, view)
    for r in state.rounds.values():
        # The server has already applied visibility: whatever it sent may be shown.
        r.visibility = "parties"
    return state


def _add_view(state: ReviewState, view: dict) -> None:
    comment = view["comment"]
    data = {"comment": comment, "party_name": view.get("party_name", comment["party"]),
            "party_type": view.get("party_type", "")}
    c = state.comment(comment["id"])
    c.event = Event(comment["id"], int(view.get("version", 0)), "comment", comment["round"],
                    comment["party"], comment.get("author", ""), comment.get("written", ""), data)
    c.deliverable, c.group = view.get("deliverable"), view.get("group")
    c.withdrawn = view.get("status") == "withdrawn"
    c.published, c.publication = _answer(view.get("answer")), view.get("publication")
    c.decision, c.recommendation = _answer(view.get("decision")), _answer(view.get("recommendation"))
    c.confirmation = view.get("confirmation")
    c.anchor_states = {int(k): v for k, v in (view.get("anchor_states") or {}).items()}
    state.round(comment["round"])


# --- writing and sending ------------------------------------------------------------------

def write_comment(project: Project, number: int, body: dict, anchors: list[dict]) -> str:
    """Write a comment of this party into the outbox (sent by the next review-sync)."""
    return outbox.write_comment(project, number, body, anchors)


@dataclass(frozen=True)
class SyncReport:
    """What a review-sync did."""

    sent: int
    pulled: int
    refused: tuple[dict, ...] = field(default_factory=tuple)  # outbox items with the reason


def review_api(project: Project) -> ReviewRemote:
    remote, project_id = remote_for(project)
    return ReviewRemote(remote, project_id)


def review_sync(project: Project) -> Generator[Progress, None, SyncReport]:
    """Send the outbox, pull the comments this party may see and the rounds (as steps)."""
    api = review_api(project)
    sent, pulled = yield from outbox.sync_steps(project, api)
    project.set_meta(ROUNDS_META, json.dumps(api.rounds(), ensure_ascii=False))
    return SyncReport(sent, pulled, tuple(outbox.pending(project, "refused")))


def decide(project: Project, comments: list[str], disposition: str, fields: dict) -> int:
    """The coordinator's decision on the server, then a pull so the local copy shows it."""
    api = review_api(project)
    api.decide(comments, disposition, **fields)
    return outbox.pull(project, api)


def changeset_choices(project: Project) -> list[dict]:
    """The project's committed change sets as change-reference choices."""
    return choices_from_log(history.log(project))


def choices_from_log(entries) -> list[dict]:
    """Committed change sets (newest first); only `on_server` ones may be cited (the server checks)."""
    return [{"id": e.changeset.id, "message": e.changeset.message, "party": e.changeset.party,
             "created": e.changeset.created, "on_server": e.state != "local"} for e in entries]


# --- pure helpers shared by the panels ----------------------------------------------------

def feature_anchor(feature: Feature) -> dict:
    """A feature anchor: layer, UUID and a snapshot of the geometry as it is now."""
    return {"type": "feature", "layer": feature.layer, "uuid": feature.uuid,
            "geometry": shapely.to_wkb(feature.geometry, hex=True)}


def clause_anchor(section: str, quote: str, position: int) -> dict:
    """A clause anchor; ValueError when the section id or the quote cannot be one."""
    if not M.SECTION_ID.match(section or "") or not quote.strip() or position < 0:
        raise ValueError("a clause anchor needs a section id, a quote and a position ≥ 0")
    return {"type": "clause", "section": section, "quote": quote, "position": int(position)}


def anchor_geometry(anchor: dict) -> BaseGeometry | None:
    """The geometry of a feature or area anchor (None for a clause or a refused geometry)."""
    text = anchor.get("geometry")
    if not text:
        return None
    try:
        raw = hex_bytes(text)
        scan_wkb(raw)  # an archive is any file: GEOS crashes on deeply nested collections
        return shapely.from_wkb(raw)
    except (WkbError, shapely.errors.GEOSException) as exc:
        log.warning("anchor geometry not shown: %s", exc)
        return None


def disposition_problems(disposition: str, reason: str | None, answer: dict,
                         changes: list[dict]) -> list[str]:
    """What keeps a decision from being valid, as codes: reason, changes, answer (the core's rules)."""
    problems = []
    if disposition == "not_adopted" and reason not in M.REASONS:
        problems.append("reason")
    if disposition in M.ADOPTING and not changes:
        problems.append("changes")
    if disposition != "duplicate" and not any(v.strip() for v in answer.values()):
        problems.append("answer")
    return problems


# --- the round dashboard ------------------------------------------------------------------

@dataclass(frozen=True)
class RoundSummary:
    """The dashboard numbers, the ledger and its charts as PNG bytes."""

    dashboard: Dashboard
    ledger: Ledger
    chart: bytes  # PNG


def round_summary(project: Project | None, data: ReviewData, lang: str = "zh") -> RoundSummary:
    """Dashboard and adoption charts of `data` (matplotlib runs here, off the GUI thread)."""
    ledger = compute(data.state)
    chart = png_bytes(ledger_figure(ledger, lang), dpi=CHART_DPI)
    return RoundSummary(dashboard(data.actor, data.state), ledger, chart)


# --- sign-off -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReleaseStatus:
    """A release folder as the sign-off dialog shows it."""

    folder: str
    manifest: dict
    release: str  # the release hash (SHA-256 of manifest.json)
    parties: tuple[dict, ...]  # {code, name, state: signed|withdrawn|unsigned, signer, at, check}
    problems: tuple[str, ...] = ()
    quorum_met: bool | None = None  # None: not verified (no trusted keys)


def release_status(project: Project | None, folder: str, keys: str | None = None) -> ReleaseStatus:
    """Read a release and, with a trusted keyring (default: `keyring.json` in or beside the
    release, as the server's bundle and `coplan keys export` write it), verify files and
    signatures. Loose public key files are never trusted."""
    keys = default_keys(folder) if keys is None else keys
    data, digest = release.manifest(folder)
    entries = release.read_log(folder)
    if not keys:
        rows = _party_rows(data, [{**e, "check": "not verified"} for e in entries], digest)
        return ReleaseStatus(str(folder), data, digest, rows)
    result = release.verify(folder, load_keyring(keys))
    return ReleaseStatus(str(folder), data, digest, _party_rows(data, result.log, digest),
                         tuple(result.problems), result.quorum_met)


def _party_rows(data: dict, entries: list[dict], digest: str) -> tuple[dict, ...]:
    latest = {e["party"]: e for e in entries if e.get("release") == digest}
    rows = []
    for party in data.get("parties", []):
        e = latest.get(party["code"])
        state = "unsigned" if e is None else "withdrawn" if e["action"] == "withdraw" else "signed"
        rows.append({"code": party["code"], "name": party.get("name", party["code"]),
                     "state": state, "signer": e.get("signer", "") if e else "",
                     "at": e.get("at", "") if e else "", "check": e.get("check", "") if e else ""})
    return tuple(rows)


def sign_release(project: Project | None, folder: str, key_file: str, action: str = "sign",
                 reason: str = "", keys: str | None = None) -> ReleaseStatus:
    """Sign (or withdraw) with a private key file, then read the release again."""
    release.sign(folder, load_signing_key(key_file), action, reason)
    return release_status(project, folder, keys)


def default_keys(folder: str) -> str:
    """The trusted keyring of a release: `keyring.json` in its folder (a server bundle) or
    beside it, when there is one."""
    for keyring in (Path(folder) / "keyring.json", Path(folder).parent / "keyring.json"):
        if keyring.is_file():
            return str(keyring)
    return ""
