"""Check-in work for the desktop's DB worker: each function takes the open project (which names
the server) and returns plain data the dialog shows. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.checkin.client import CheckinRemote, submittable_version


@dataclass(frozen=True)
class CheckinState:
    """What the check-in dialog shows: the copy's submittable version (or why none), the
    caller's role, and the submissions it may see, newest first."""

    version: int | None
    problem: str  # why this copy cannot submit now ('' when it can)
    role: str
    party: str
    submissions: list[dict]


def _api(project) -> CheckinRemote:
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    from app.sync.replica import remote_of
    url, pid = remote_of(project)
    return CheckinRemote(Remote(url, token_for(url)), pid)


def load(project) -> CheckinState:
    """The submissions and whether this copy can submit now."""
    from app.errors import ConflictError
    api = _api(project)
    info = api.remote.project(api.project)
    try:
        version, problem = submittable_version(project), ""
    except ConflictError as exc:
        version, problem = None, exc.message
    return CheckinState(version, problem, info.get("role", ""), info.get("party", ""),
                        api.submissions())


def submit(project, note: str) -> dict:
    """Submit the copy's synced version (refused when it holds work the server lacks)."""
    return _api(project).submit(submittable_version(project), note)


def submission(project, number: int) -> dict:
    """One submission with its findings."""
    return _api(project).submission(number)


def decide(project, number: int, action: str, note: str, force: bool = False) -> dict:
    """A coordinator's accept or return."""
    api = _api(project)
    if action == "accept":
        return api.accept(number, note, force)
    return api.return_(number, note)


def save_report(project, number: int, path: str) -> str:
    """Write a submission's QC report to `path` (.pdf, .xlsx, or .json for the findings)."""
    import json

    from app.checkin.report import write_reports
    from app.errors import InvalidInput
    sub = submission(project, number)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".pdf", ".xlsx", ".json"):
        raise InvalidInput(f"a QC report is saved as .pdf, .xlsx or .json, not {target.name}")
    if suffix == ".json":
        target.write_text(json.dumps(sub, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        write_reports(sub, target if suffix == ".pdf" else None,
                      target if suffix == ".xlsx" else None)
    return str(target)
