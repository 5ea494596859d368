"""Check-in on the server: submissions, the QC run on the server's own data, and the
coordinators' decisions. Who may do what:

- a party's editors (and coordinators, for their own party) submit the party's data; the party
  is the submitter's membership, never a claim of the request;
- coordinators re-run QC, accept (the version is tagged 入库; with QC errors only when forced,
  which is recorded) and return (with a note; the findings are the report);
- every member reads its own party's submissions; coordinators read every party's.

Every write carries a request id: a repeat is answered with the first answer, the same id with
another request is refused. QC runs before the write lock is taken (it may take a while); the
state of a version never changes, so nothing it read can go stale meanwhile."""

from __future__ import annotations

import hashlib
import json
import logging

from app.checkin.state import party_rows, run_qc
from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.sync.server.store import Member, Session, Store, now, project_row

log = logging.getLogger(__name__)

SUBMIT_ROLES = ("editor", "coordinator")
DECIDE_ROLES = ("coordinator",)
STATUSES = ("pending", "accepted", "returned", "superseded")
TAG = "入库"
DECIDED = {"accepted": "submission {} was already accepted",
           "returned": "submission {} was already returned",
           "superseded": "submission {} was replaced by a later submission of its party"}
MAX_NOTE = 2000  # characters


def require_submitter(member: Member) -> None:
    """PermissionDenied unless `member` may submit its party's data (checked before a body is read)."""
    if member.role not in SUBMIT_ROLES:
        raise PermissionDenied(f"role {member.role} cannot submit data for check-in")


def require_coordinator(member: Member, what: str) -> None:
    """PermissionDenied unless `member` is a coordinator."""
    if member.role not in DECIDE_ROLES:
        raise PermissionDenied(f"only coordinators {what}")


def _digest(request: dict) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _replay(s: Session, project: str, key: str, body_hash: str) -> dict | None:
    found = s.request(project, key)
    if found is None:
        return None
    if found[0] != body_hash:
        raise InvalidInput(f"request {key.removeprefix('checkin/')} was already used with a "
                           "different request")
    return found[1]


def summary(row: dict) -> dict:
    """A submission as lists show it (no findings), with its tag when accepted."""
    out = {k: v for k, v in row.items() if k != "findings"}
    out["tag"] = TAG if row["status"] == "accepted" else None
    return out


class CheckinServer:
    """Check-in commands and reads over a server store."""

    def __init__(self, store: Store):
        self.store = store

    # --- a party ----------------------------------------------------------------------------

    def submit(self, member: Member, request_id: str, version: int, note: str) -> dict:
        """Submit the member's party's data at `version` for check-in; QC runs at once."""
        require_submitter(member)
        key, body_hash = f"checkin/{request_id}", _digest(
            {"op": "submit", "party": member.party, "version": version, "note": note})
        with self.store.reading() as s:
            replay = _replay(s, member.project, key, body_hash)
            if replay is not None:
                return replay
            _check_version(s, member, version)
            rows = party_rows(s, member.project, member.party, version)
        if not rows:
            raise InvalidInput(f"party {member.party} has no data on the server at version "
                               f"{version}; push your data first")
        findings, source = run_qc(rows, member.party)
        checked = now()
        with self.store.writing() as s:
            project_row(s, member.project, lock=True)
            replay = _replay(s, member.project, key, body_hash)
            if replay is not None:
                return replay
            for old in s.submissions(member.project, member.party):
                if old["status"] == "pending":  # the party's newer data replaces it
                    s.update_submission(member.project, old["number"], status="superseded")
            row = {"number": s.next_submission(member.project), "party": member.party,
                   "username": member.user, "version": version, "submitted": checked,
                   "note": note, "status": "pending", "features": len(rows),
                   **_counts(findings), "findings": findings, "checked": checked,
                   "boundary": source, "decided_by": None, "decided_at": None, "decision_note": None,
                   "forced": False}
            s.insert_submission(member.project, row)
            answer = summary(row)
            s.insert_request(member.project, key, body_hash, answer)
        log.info("check-in %s/%s: party %s submitted version %s (%s errors)", member.project,
                 row["number"], member.party, version, row["errors"])
        return answer

    # --- coordinators -------------------------------------------------------------------------

    def rerun(self, member: Member, number: int, request_id: str) -> dict:
        """QC again on a pending submission's data (after the checks changed, say)."""
        require_coordinator(member, "run QC on a submission")
        with self.store.reading() as s:
            sub = self._get(s, member, number)
            rows = party_rows(s, member.project, sub["party"], sub["version"])
        findings, source = run_qc(rows, sub["party"])
        return self._decide(member, number, request_id, {"op": "qc"}, lambda s, sub: {
            "features": len(rows), **_counts(findings), "findings": findings, "checked": now(),
            "boundary": source})

    def accept(self, member: Member, number: int, request_id: str, note: str,
               force: bool = False) -> dict:
        """Accept a pending submission: its version is tagged 入库. QC errors need `force`."""
        require_coordinator(member, "accept submissions")

        def fields(s: Session, sub: dict) -> dict:
            if sub["errors"] and not force:
                raise ConflictError(f"submission {number} has {sub['errors']} QC error(s); "
                                    "return it, or accept it anyway with --force")
            return {"status": "accepted", "forced": bool(sub["errors"]) and force,
                    **_decided(member, note)}
        return self._decide(member, number, request_id,
                            {"op": "accept", "note": note, "force": force}, fields)

    def return_(self, member: Member, number: int, request_id: str, note: str) -> dict:
        """Return a pending submission to its party with a note; its findings are the report."""
        require_coordinator(member, "return submissions")
        if not note.strip():
            raise InvalidInput("a returned submission needs a note saying what to fix")
        return self._decide(member, number, request_id, {"op": "return", "note": note},
                            lambda s, sub: {"status": "returned", **_decided(member, note)})

    def _decide(self, member: Member, number: int, request_id: str, request: dict,
                fields) -> dict:
        key, body_hash = f"checkin/{request_id}", _digest({**request, "number": number})
        with self.store.writing() as s:
            project_row(s, member.project, lock=True)
            replay = _replay(s, member.project, key, body_hash)
            if replay is not None:
                return replay
            sub = self._get(s, member, number)
            if sub["status"] != "pending":
                raise ConflictError(DECIDED[sub["status"]].format(number))
            changed = fields(s, sub)
            s.update_submission(member.project, number, **changed)
            answer = summary({**sub, **changed})
            s.insert_request(member.project, key, body_hash, answer)
        return answer

    # --- reads --------------------------------------------------------------------------------

    def listing(self, member: Member) -> list[dict]:
        """Submissions the member may see, newest first: its party's; every party's for a
        coordinator."""
        party = None if member.role in DECIDE_ROLES else member.party
        with self.store.reading() as s:
            return [summary(r) for r in s.submissions(member.project, party)]

    def show(self, member: Member, number: int) -> dict:
        """One submission with its findings."""
        with self.store.reading() as s:
            return self._get(s, member, number)

    def _get(self, s: Session, member: Member, number: int) -> dict:
        sub = s.submission(member.project, number)
        # Another party's submission is answered as missing: its existence is not told either.
        if sub is None or (member.role not in DECIDE_ROLES and sub["party"] != member.party):
            raise NotFound(f"no submission {number}")
        return {**summary(sub), "findings": sub["findings"]}


def _check_version(s: Session, member: Member, version: int) -> None:
    """InvalidInput unless `version` is on the server and holds the party's latest push."""
    head = project_row(s, member.project).head
    if version > head:
        raise InvalidInput(f"version {version} is not on the server (its head is {head})")
    since = version
    while True:
        page = s.versions(member.project, since, 1000)
        later = next((m["version"] for m, _, _ in page if m["party"] == member.party), None)
        if later is not None:
            raise ConflictError(f"party {member.party} pushed version {later} after {version}: "
                                "sync and submit again")
        if len(page) < 1000:
            return
        since = page[-1][0]["version"]


def _counts(findings: list[dict]) -> dict:
    errors = sum(1 for f in findings if f["severity"] == "error")
    return {"errors": errors, "warnings": len(findings) - errors}


def _decided(member: Member, note: str) -> dict:
    return {"decided_by": member.user, "decided_at": now(), "decision_note": note}
