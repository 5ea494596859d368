"""`coplan` subcommands of co-confirm. This module: comment, review-sync, and what the round
commands share (the copy and its server, comment-id prefixes); the others live in round_cli
(coordinators' round work), party_cli (a party's answers), report_cli (ledger, handling
reports) and cosign_cli (release, keys, signatures). Thin wrappers over app.review."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cli_support import command, out
from app.errors import AuthError, ConflictError, InvalidInput, NotFound, SyncError
from app.review.model import SECTION_ID

log = logging.getLogger(__name__)
MIN_PREFIX = 8  # characters of a comment id that may stand for it
# Ids are UUIDv7: their first 12 hex digits are the creation time in ms, so ids made in the same
# minute share 8 characters; lists show 13 (up to the ms) to be unique in practice.
SHORT = 13
CONTEXT = 12  # characters shown either side of an occurrence of a quote


def add_parsers(sub) -> None:
    """Register the review subcommands on the `coplan` parser."""
    s = sub.add_parser("comment", help="write a comment (sent by review-sync); a clause is "
                                       "anchored by quoting it")
    s.add_argument("project")
    s.add_argument("--round", type=int, required=True)
    s.add_argument("--text", required=True, help="the comment in Chinese (or --lang en)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--quote", help="anchor: text quoted from the round's frozen draft")
    s.add_argument("--section", help="anchor: look for the quote only in this section, "
                                     "e.g. Z1.strategy.2")
    s.add_argument("--occurrence", type=int, metavar="K",
                   help="anchor: the K-th place the quote occurs (when it occurs more than once)")
    s.add_argument("--position", type=int, help="expert: the quote's character offset in "
                                                "--section (checked against the draft)")
    s.add_argument("--feature", action="append", metavar="LAYER/UUID", help="anchor a map feature")
    s.add_argument("--attach", action="append", type=Path, help="attach a PDF or image")
    s.add_argument("--draft", action="store_true", help="keep as a draft, do not queue")
    sub.add_parser("review-sync", help="send comments written offline and pull the answers"
                   ).add_argument("project")
    from app.review import cosign_cli, report_cli, round_cli
    for module in (round_cli, report_cli, cosign_cli):
        module.add_parsers(sub)


# --- the copy and its server -----------------------------------------------------------------

def login_user(url: str | None) -> str | None:
    """The user name `coplan login` saved for the server at `url`, if it saved one."""
    from app.sync import credentials
    # The claim only fills the comment's "written by"; the server records the authenticated
    # user as its author whatever is claimed.
    return credentials.user_for(url) if url else None


@contextmanager
def online(path: str, required: bool = True) -> Iterator[tuple]:
    """(project, ReviewRemote or None) of a local copy; None when it has no server or login
    and `required` is false (the work is then done offline)."""
    from app.project.project import Project
    from app.review.client import ReviewRemote
    from app.sync.client import Remote
    from app.sync.credentials import token_for
    from app.sync.replica import remote_of
    with Project.open(path) as project:
        url, pid = project.meta("remote_url"), project.meta("remote_project")
        api = None
        if url and pid:
            try:
                api = ReviewRemote(Remote(url, token_for(url)), pid)
            except AuthError:
                if required:
                    raise
        elif required:
            remote_of(project)  # says the copy has no server
        yield project, api


def unreachable(exc: Exception) -> bool:
    """Whether a failed request means "offline now" (kept for later) rather than "refused"."""
    return isinstance(exc, SyncError) and exc.retryable


def pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    import unicodedata
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def short(full_id: str) -> str:
    """How lists show an id (see SHORT); any unique prefix of 8+ characters is accepted back."""
    return full_id[:SHORT]


def resolve_ids(refs: list[str], known: list[str], what: str = "comment") -> list[str]:
    """Full ids for ids or unique prefixes (at least 8 characters) among `known`."""
    found = []
    for ref in refs:
        ref = ref.strip().lower()
        if len(ref) < MIN_PREFIX:
            raise InvalidInput(f"{what} id {ref!r} is too short: give at least {MIN_PREFIX} "
                               "characters")
        hits = sorted({k for k in known if k.startswith(ref)})
        if not hits:
            raise NotFound(f"no {what} {ref}")
        if len(hits) > 1:
            raise InvalidInput(f"{what} id {ref} is ambiguous: {', '.join(hits)}")
        found.append(hits[0])
    return found


# --- comment -------------------------------------------------------------------------------

@command("comment")
def cmd_comment(args) -> int:
    from app.review.outbox import write_comment
    _check_clause_args(args)
    with online(args.project, required=False) as (project, api):
        anchors = _anchors(project, api, args)
        cid = write_comment(project, args.round, {args.lang: args.text}, anchors,
                            files=args.attach or [], queued=not args.draft,
                            author=login_user(project.meta("remote_url")))
    out(f"{'drafted' if args.draft else 'queued'} comment {cid} ({len(anchors)} anchor(s))")
    return 0


def _check_clause_args(args) -> None:
    """Argument rules checked before any file or network work."""
    if args.section and not SECTION_ID.match(args.section):
        raise InvalidInput(f"section id {args.section!r} is not valid (letters, digits, '.', "
                           "'_', '-')")
    if (args.section or args.position is not None or args.occurrence) and not args.quote:
        raise InvalidInput("a clause anchor needs --quote: the text quoted from the draft")
    if args.position is not None and not args.section:
        raise InvalidInput("--position needs --section")


def _anchors(project, api, args) -> list[dict]:
    anchors = []
    if args.quote:
        anchors.append(_clause(project, api, args))
    for ref in args.feature or []:
        anchors.append(_feature(project, ref))
    return anchors


def _feature(project, ref: str) -> dict:
    import shapely

    from app.project.features import get_feature
    layer, _, uuid = ref.partition("/")
    feature, lay = get_feature(project, layer, uuid), project.layer(layer)
    anchor = {"type": "feature", "layer": lay.code, "uuid": uuid,
              "geometry": shapely.to_wkb(feature.geometry, hex=True),
              "data_version": int(project.base_version or 0)}
    label = feature.attrs.get(lay.style.label_field or "") or feature.attrs.get("BSM")
    if label:
        anchor["label"] = str(label)[:200]
    return anchor


def _clause(project, api, args) -> dict:
    """A clause anchor whose position is found in the round's frozen draft."""
    from app.review.anchors import check_clause
    sections = round_draft(project, api, args.round)
    anchor = {"type": "clause", "section": args.section, "quote": args.quote,
              "position": args.position}
    if sections is None:
        if args.position is None:
            raise ConflictError(f"the frozen draft of round {args.round} is not in this copy and "
                                "the server cannot be reached: run the command again online")
        return anchor  # an expert's offset, checked by the server when the comment arrives
    if args.position is not None:
        check_clause(anchor, sections, args.round)
        return anchor
    if args.section and args.section not in sections:
        raise NotFound(f"section {args.section} is not in the frozen draft of round "
                       f"{args.round}")
    section, position = _place(sections, args.quote, args.section, args.occurrence, args.round)
    return {**anchor, "section": section, "position": position}


def _place(sections: dict[str, str], quote: str, only: str | None, occurrence: int | None,
           number: int) -> tuple[str, int]:
    """Where a quote stands: in section `only` (anchors.find_quote) or anywhere in the draft.
    Several places and no `occurrence`: they are listed and the user picks one."""
    from app.review.anchors import AmbiguousQuote, find_quote
    if only:
        try:
            return only, find_quote(sections[only], quote, occurrence, section=only)
        except AmbiguousQuote as exc:
            hits = [(only, p) for p in exc.positions]
    else:
        hits = occurrences(sections, quote)
        if not hits:
            raise NotFound(f"the quote is not in the frozen draft of round {number}")
        if occurrence is not None:
            if not 1 <= occurrence <= len(hits):
                raise InvalidInput(f"--occurrence must be 1–{len(hits)}")
            return hits[occurrence - 1]
        if len(hits) == 1:
            return hits[0]
    for k, (section, position) in enumerate(hits, 1):
        text = sections[section]
        before = text[max(0, position - CONTEXT):position]
        after = text[position + len(quote):position + len(quote) + CONTEXT]
        out(f"  {k}. {section} @{position}: …{before}[{quote}]{after}…")
    raise InvalidInput(f"the quote occurs {len(hits)} times: choose one of the places listed "
                       f"with --occurrence K (1–{len(hits)})")


def occurrences(sections: dict[str, str], quote: str, only: str | None = None
                ) -> list[tuple[str, int]]:
    """Every (section, position) where `quote` occurs, in section order then position."""
    # anchors.find_quote places a quote in one section; this walks every section, since a
    # party quotes the text without knowing its section ids.
    found = []
    for section in ([only] if only else sorted(sections)):
        text, start = sections[section], sections[section].find(quote)
        while start >= 0:
            found.append((section, start))
            start = text.find(quote, start + 1)
    return found


def round_draft(project, api, number: int) -> dict[str, str] | None:
    """The sections of round `number`'s frozen draft: from the server (and kept in the copy),
    else from the copy; None when neither has it."""
    from app.review.outbox import cache_draft, cache_rounds, cached_draft, cached_rounds
    rounds = None
    if api is not None:
        try:
            rounds = api.rounds()
            cache_rounds(project, rounds)
        except SyncError as exc:
            if not unreachable(exc):
                raise
    found = next((r for r in rounds or cached_rounds(project) if r["number"] == number), None)
    if found is None:
        if rounds is None:  # offline, and the copy never saw this round
            return None
        raise NotFound(f"no round {number} on the server")
    if not found.get("draft_hash"):
        raise ConflictError(f"round {number} has no frozen draft yet")
    sections = cached_draft(project, found["draft_hash"])
    if sections is None and rounds is not None:
        sections = api.draft(found["draft_hash"])
        cache_draft(project, found["draft_hash"], sections)
    return sections


# --- review-sync ---------------------------------------------------------------------------

@command("review-sync")
def cmd_review_sync(args) -> int:
    from app.review.outbox import pending, sync_steps
    from app.sync.cli import _progress
    with online(args.project) as (project, api):
        sent, pulled = _progress(sync_steps(project, api))
        refused, party = pending(project, "refused"), project.party
    out(f"sent {sent} item(s); {len(refused)} refused; {pulled} comment(s) visible to {party}")
    for item in refused:
        out(f"  refused {item['kind']} {item['id']}: {item['answer']['error']}")
    return 0
