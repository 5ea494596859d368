"""Commands of a review: check who may do what in which stage, then record it as an event.

Every command carries an id chosen by the caller (a comment's UUID, or a request UUID): sent
again with the same request it returns the first event; with a different request it is refused
(InvalidInput), like a change set pushed twice. The replay check comes before every other
check, so a retry after the round has moved on still gets its first answer.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Protocol

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.model.feature import utc_now
from app.review import model as M
from app.review.access import Actor, in_team, require_coordinator, require_party_role
from app.review.anchors import Features, Migration, Sections, check_anchors, finish_migration
from app.review.events import Event, digest
from app.review.evidence import resolve_changes
from app.review.records import waiting
from app.review.state import CommentState, ReviewState, Round
from app.review.times import parse_due
from app.review.wire import check_text, parse_comment

ANCHOR_NS = uuidlib.UUID("3b0c5f0e-8d1a-4e53-9a0c-6a8f2b1d7e42")


class Log(Protocol):
    """Where accepted events are kept (memory, the server's SQLite store)."""

    def get(self, event_id: str) -> Event | None: ...
    def next_version(self) -> int: ...
    def add(self, event: Event) -> bool: ...
    def events(self, since: int = 0) -> Iterator[Event]: ...


class Directory(Protocol):
    """What commands look up outside the review: parties, change sets, attachments, drafts."""

    def party(self, code: str) -> tuple[str, str] | None: ...  # (name, type)
    def known_changesets(self, ids: list[str]) -> set[str]: ...
    def changeset_info(self, ids: list[str]) -> dict[str, tuple[int, str]]: ...  # (version, party)
    def owned_attachments(self, party: str, ids: list[str]) -> set[str]: ...
    def save_draft(self, draft_hash: str, sections: Sections) -> None: ...
    def draft(self, draft_hash: str) -> Sections | None: ...
    def plan_area(self) -> object | None: ...  # shapely geometry for area anchors; None: any


class MemoryDirectory:
    """A Directory over plain dicts (tests, the sample, benchmarks)."""

    def __init__(self, parties: Mapping[str, tuple[str, str]],
                 changesets: Iterable[str] | Mapping[str, tuple[int, str]] = ()):
        """`changesets`: ids, or id -> (server version, party) (ids alone: version 1, office)."""
        self.parties = dict(parties)
        self.changesets = dict(changesets) if isinstance(changesets, Mapping) else {
            i: (1, "office") for i in changesets}
        self.attachments: dict[str, str] = {}  # attachment id -> uploading party
        self.drafts: dict[str, dict] = {}
        self.area: object | None = None  # the plan area (a shapely geometry); None: no check

    def party(self, code: str) -> tuple[str, str] | None:
        return self.parties.get(code)

    def known_changesets(self, ids: list[str]) -> set[str]:
        return set(self.changesets) & set(ids)

    def changeset_info(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        return {i: self.changesets[i] for i in ids if i in self.changesets}

    def owned_attachments(self, party: str, ids: list[str]) -> set[str]:
        return {i for i in ids if self.attachments.get(i) == party}

    def save_draft(self, draft_hash: str, sections: Sections) -> None:
        self.drafts[draft_hash] = dict(sections)

    def draft(self, draft_hash: str) -> Sections | None:
        return self.drafts.get(draft_hash)

    def plan_area(self) -> object | None:
        return self.area


class Review:
    """The commands of one project's review over an event log and its folded state."""

    def __init__(self, log: Log, state: ReviewState, directory: Directory,
                 now: Callable[[], str] = utc_now):
        self.log, self.state, self.directory, self.now = log, state, directory, now

    # --- the one way an event is made -------------------------------------------------------

    def _once(self, actor: Actor, kind: str, number: int, event_id: str, request: object,
              build: Callable[[], dict]) -> Event:
        """The event of this request: the stored one on a replay, else checked and recorded."""
        if not isinstance(event_id, str) or not M.UUID.match(event_id):
            raise InvalidInput(f"request id {event_id!r} must be a lowercase UUID")
        request_hash = digest([kind, number, actor.party, actor.user, request])
        known = self.log.get(event_id)
        if known is not None:
            if known.data.get("request") != request_hash:
                raise InvalidInput(f"request {event_id} was already used with a different body")
            return known
        data = {**build(), "request": request_hash}
        event = Event(event_id, self.log.next_version(), kind, number, actor.party, actor.user,
                      self.now(), data)
        self.log.add(event)
        self.state.apply(event)
        return event

    def _round(self, number: int) -> Round:
        r = self.state.rounds.get(number)
        if r is None or not r.stages:
            raise NotFound(f"no round {number}")
        return r

    def _comment(self, comment_id: str) -> CommentState:
        c = self.state.comments.get(comment_id)
        if c is None or c.event is None:
            raise NotFound(f"no comment {comment_id}")
        return c

    def _stage(self, r: Round, allowed: tuple[str, ...], what: str) -> None:
        if r.stage not in allowed:
            raise ConflictError(f"round {r.number} is {r.stage}: cannot {what} now")

    # --- rounds ---------------------------------------------------------------------------

    def open_round(self, actor: Actor, number: int, title: dict, visibility: str = "sealed",
                   teams: dict | None = None, due: str | None = None, *, event_id: str) -> Event:
        """Open round `number` as a draft; `teams` maps deliverables to drafting parties."""
        request = {"title": title, "visibility": visibility, "teams": teams, "due": due}

        def build() -> dict:
            require_coordinator(actor, "open rounds")
            if number in self.state.rounds and self.state.rounds[number].stages:
                raise ConflictError(f"round {number} already exists")
            if visibility not in M.VISIBILITY:
                raise InvalidInput(f"visibility must be one of {', '.join(M.VISIBILITY)}")
            if not isinstance(number, int) or not 1 <= number <= 1000:
                raise InvalidInput("a round number is 1–1000")
            return {"title": check_text(title, "title"), "visibility": visibility,
                    "teams": _teams(teams or {}), "due": parse_due(due)}
        return self._once(actor, "round.open", number, event_id, request, build)

    def freeze(self, actor: Actor, number: int, sections: Sections, *, event_id: str,
               features: Features | None = None, matched: Migration | None = None) -> Event:
        """Freeze the draft of a round (its content hash) and migrate earlier comments' anchors.

        `matched` is a migration planned for these sections and features before the write
        (see `ReviewServer.freeze`); only anchors that changed since are matched here."""
        draft_hash = digest(dict(sections))

        def build() -> dict:
            require_coordinator(actor, "freeze drafts")
            self._stage(self._round(number), ("draft",), "freeze the draft")
            _check_sections(sections)
            self.directory.save_draft(draft_hash, sections)
            return {"draft_hash": draft_hash, "sections": len(sections)}
        event = self._once(actor, "round.freeze", number, event_id, draft_hash, build)
        self._migrate(actor, number, event, sections, features, matched)
        return event

    def _migrate(self, actor: Actor, number: int, frozen: Event, sections: Sections,
                 features: Features | None, matched: Migration | None) -> None:
        event_id = str(uuidlib.uuid5(ANCHOR_NS, frozen.id))
        if self.log.get(event_id) is not None:
            return  # a replayed freeze: its anchors were migrated the first time
        earlier = earlier_anchors(self.state, number)
        results = finish_migration(matched, earlier, sections, features)
        if results:
            self._once(actor, "anchor.migrate", number, event_id, frozen.data["draft_hash"],
                       lambda: {"draft_hash": frozen.data["draft_hash"], "results": results})

    def advance(self, actor: Actor, number: int, to: str, *, event_id: str) -> Event:
        """Move a round to its next stage (issued, collecting, triage, ... closed or final)."""
        def build() -> dict:
            require_coordinator(actor, "move rounds on")
            r = self._round(number)
            if to not in M.NEXT_STAGES.get(r.stage, ()):
                raise ConflictError(f"round {number} is {r.stage}: it cannot go to {to}")
            return {"to": to, "from": r.stage}
        return self._once(actor, "round.advance", number, event_id, to, build)

    def invite(self, actor: Actor, number: int, party: str, due: str | None = None, *,
               event_id: str) -> Event:
        """Invite a party to comment on a round, with a due date."""
        def build() -> dict:
            require_coordinator(actor, "invite parties")
            self._stage(self._round(number), M.STAGES[:4], "invite parties")
            found = self.directory.party(party)
            if found is None:
                raise NotFound(f"no party {party}")
            return {"party": party, "name": found[0], "type": found[1], "due": parse_due(due)}
        return self._once(actor, "invite", number, event_id, [party, due], build)

    def remind(self, actor: Actor, number: int, parties: list[str] | None = None,
               note: str = "", *, event_id: str) -> Event:
        """Remind invited parties to answer (by default every one that has not answered)."""
        def build() -> dict:
            require_coordinator(actor, "send reminders")
            r = self._round(number)
            self._stage(r, M.COMMENT_STAGES, "send reminders")
            if not isinstance(note, str) or len(note) > 2000:
                raise InvalidInput("a reminder's note is text of at most 2,000 characters")
            silent = waiting(self.state, number)
            chosen = silent if parties is None else list(dict.fromkeys(parties))
            for party in chosen:
                if party not in r.invitations:
                    raise InvalidInput(f"party {party} is not invited to round {number}")
                if party not in silent:
                    raise ConflictError(f"party {party} has already answered round {number}")
            if not chosen:
                raise ConflictError(f"every party invited to round {number} has answered: "
                                    "there is no one to remind")
            return {"parties": chosen, "note": note}
        return self._once(actor, "remind", number, event_id, [parties, note], build)

    # --- comments and responses -------------------------------------------------------------

    def submit(self, actor: Actor, comment: dict) -> Event:
        """Accept a comment (its UUID is the idempotency key)."""
        parse_comment(comment)
        number = comment["round"]

        def build() -> dict:
            self._may_comment(actor, comment)
            check_anchors(comment["anchors"], number, self._round(number).draft_hash,
                          self.directory)
            found = self.directory.party(comment["party"]) or (comment["party"], "")
            missing = set(comment.get("attachments", [])) - self.directory.owned_attachments(
                comment["party"], comment.get("attachments", []))
            if missing:
                raise NotFound(f"attachment(s) {', '.join(sorted(missing))} not uploaded by "
                               f"party {comment['party']}")
            # The author is the logged-in user (a letter typed in by the office: the office's
            # user); the client's "author" stays in the comment as who says they wrote it.
            return {"comment": comment, "party_name": found[0], "party_type": found[1],
                    "deliverable": _suggested(comment), "author": actor.user}
        return self._once(actor, "comment", number, comment["id"], comment, build)

    def _may_comment(self, actor: Actor, comment: dict) -> None:
        require_party_role(actor, "comment")
        r = self._round(comment["round"])
        on_behalf = actor.coordinator and comment["channel"] in ("letter", "meeting")
        if comment["party"] != actor.party and not on_behalf:
            raise PermissionDenied(f"user {actor.user} acts for party {actor.party}, "
                                   f"not {comment['party']}")
        self._stage(r, M.LATE_ENTRY_STAGES if on_behalf else M.COMMENT_STAGES, "take comments")
        public = r.visibility == "public" and actor.party_type == "public"
        if comment["party"] not in r.invitations and not public:
            raise PermissionDenied(f"party {comment['party']} is not invited to round {r.number}")

    def no_comment(self, actor: Actor, number: int, *, event_id: str) -> Event:
        """Answer an invitation with "no comment"."""
        def build() -> dict:
            require_party_role(actor, "answer invitations")
            r = self._round(number)
            self._stage(r, M.COMMENT_STAGES, "answer the invitation")
            if actor.party not in r.invitations:
                raise PermissionDenied(f"party {actor.party} is not invited to round {number}")
            if any(c.round == number and c.party == actor.party for c in self.state.submitted()):
                raise ConflictError(f"party {actor.party} has already sent comments in this round")
            return {"response": "no_comment"}
        return self._once(actor, "respond", number, event_id, "no_comment", build)

    def withdraw(self, actor: Actor, comment_id: str, *, event_id: str) -> Event:
        """Withdraw an own comment that has no decision yet."""
        c = self._comment(comment_id)

        def build() -> dict:
            if c.party != actor.party and not actor.coordinator:
                raise PermissionDenied(f"party {actor.party} cannot withdraw another's comment")
            if c.decision is not None or c.withdrawn:
                raise ConflictError(f"comment {comment_id} is {c.status}: it cannot be withdrawn")
            return {"comment": comment_id}
        return self._once(actor, "withdraw", c.round, event_id, comment_id, build)

    # --- triage ---------------------------------------------------------------------------

    def group(self, actor: Actor, group_id: str, members: list[str], kind: str = "concern",
              title: dict | None = None, *, event_id: str) -> Event:
        """Group duplicates or one shared concern so one answer serves them all."""
        request = [group_id, members, kind, title]

        def build() -> dict:
            require_coordinator(actor, "group comments")
            if kind not in ("duplicate", "concern") or not M.UUID.match(group_id or ""):
                raise InvalidInput("a group has a UUID and a kind: duplicate or concern")
            rounds = {self._comment(cid).round for cid in members}
            return {"group": group_id, "members": list(dict.fromkeys(members)), "kind": kind,
                    "title": check_text(title, "title", required=False), "rounds": sorted(rounds)}
        return self._once(actor, "group", self._first_round(members), event_id, request, build)

    def assign(self, actor: Actor, comments: list[str], deliverable: str, *,
               event_id: str) -> Event:
        """Assign comments to the team drafting a deliverable (1, S1..S8, Z1..Z5)."""
        def build() -> dict:
            require_coordinator(actor, "assign comments")
            if deliverable not in M.DELIVERABLES:
                raise InvalidInput(f"deliverable must be one of {', '.join(M.DELIVERABLES)}")
            for cid in comments:
                self._comment(cid)
            return {"comments": list(dict.fromkeys(comments)), "deliverable": deliverable}
        return self._once(actor, "assign", self._first_round(comments), event_id,
                          [comments, deliverable], build)

    def _first_round(self, comments: list[str]) -> int:
        if not comments:
            raise InvalidInput("name at least one comment")
        return min(self._comment(cid).round for cid in comments)

    # --- dispositions ----------------------------------------------------------------------

    def recommend(self, actor: Actor, comments: list[str], disposition: str,
                  reason: str | None = None, answer: dict | None = None,
                  changes: list | None = None, *, group: str | None = None,
                  event_id: str) -> Event:
        """The drafting team's recommended disposition (kept apart from the decision)."""
        request = [comments, group, disposition, reason, answer, changes]
        targets = self._targets(comments, group)

        def build() -> dict:
            for cid in targets:
                c = self._comment(cid)
                if not (actor.coordinator or in_team(actor, self.state, c)):
                    raise PermissionDenied(f"party {actor.party} does not draft the deliverable "
                                           f"comment {cid} is assigned to")
            data = self._disposition(targets, disposition, reason, answer, changes, None)
            # Allowed, but a team answering its own party's comment is marked for the decision.
            own = [cid for cid in targets if self.state.comments[cid].party == actor.party]
            return {**data, "own_party": own} if own else data
        return self._once(actor, "recommend", self._first_round(targets), event_id, request,
                          build)

    def decide(self, actor: Actor, comments: list[str], disposition: str,
               reason: str | None = None, answer: dict | None = None,
               changes: list | None = None, memo: str | None = None, *,
               group: str | None = None, event_id: str) -> Event:
        """The coordinator's decision; it may cite a meeting memo. Embargoed until published."""
        request = [comments, group, disposition, reason, answer, changes, memo]
        targets = self._targets(comments, group)

        def build() -> dict:
            require_coordinator(actor, "decide dispositions")
            data = self._disposition(targets, disposition, reason, answer, changes, memo)
            recommended = {cid: self.state.comments[cid].recommendation for cid in targets}
            data["recommendations"] = {k: v.id for k, v in recommended.items() if v}
            return data
        return self._once(actor, "decide", self._first_round(targets), event_id, request, build)

    def _targets(self, comments: list[str] | None, group: str | None) -> list[str]:
        targets = list(comments or [])
        if group is not None:
            if group not in self.state.groups:
                raise NotFound(f"no group {group}")
            targets += self.state.groups[group].members
        return list(dict.fromkeys(targets))

    def _disposition(self, targets: list[str], disposition: str, reason: str | None,
                     answer: dict | None, changes: list | None, memo: str | None) -> dict:
        """Check a disposition against the rules (reason codes, change references, stage)."""
        if disposition not in M.DISPOSITIONS:
            raise InvalidInput(f"disposition must be one of {', '.join(M.DISPOSITIONS)}")
        if disposition == "not_adopted" and reason not in M.REASONS:
            raise InvalidInput(f"not adopted needs a reason code: {', '.join(M.REASONS)}")
        if reason is not None and reason not in M.REASONS:
            raise InvalidInput(f"unknown reason code {reason!r}")
        base = self._round(self._first_round(targets)).draft_hash
        refs = resolve_changes(changes or [], self.directory, base)
        if disposition in M.ADOPTING and not refs:
            raise InvalidInput("an adoption needs change references: the change sets or text "
                               "revisions that implement it")
        for cid in targets:
            c = self._comment(cid)
            self._stage(self._round(c.round), M.DECIDE_STAGES, "decide dispositions")
            if c.withdrawn:
                raise ConflictError(f"comment {cid} was withdrawn")
        if memo is not None and (not isinstance(memo, str) or len(memo) > 2000):
            raise InvalidInput("a memo reference is at most 2,000 characters")
        return {"comments": targets, "disposition": disposition, "reason": reason,
                "answer": check_text(answer, "answer", disposition != "duplicate"),
                "changes": refs, "memo": memo}

    def publish(self, actor: Actor, number: int, comments: list[str] | None = None, *,
                event_id: str) -> Event:
        """Publish decided answers together (all unpublished decisions of the round by default)."""
        def build() -> dict:
            require_coordinator(actor, "publish answers")
            self._stage(self._round(number), M.PUBLISH_STAGES, "publish answers")
            chosen = comments if comments is not None else [
                c.id for c in self.state.submitted() if c.round == number and c.status == "decided"]
            answers = {}
            for cid in chosen:
                c = self._comment(cid)
                if c.decision is None or c.round != number:
                    raise ConflictError(f"comment {cid} has no decision in round {number}")
                answers[cid] = c.decision.to_json()
            if not answers:
                raise ConflictError(f"round {number} has no decided answer to publish")
            return {"answers": answers}
        return self._once(actor, "publish", number, event_id, comments, build)

    def confirm(self, actor: Actor, comment_id: str, publication: str, satisfied: bool,
                note: str = "", *, event_id: str) -> Event:
        """The commenting party's reply to a published answer; not satisfied reopens it."""
        c = self._comment(comment_id)

        def build() -> dict:
            require_party_role(actor, "confirm answers")
            if c.party != actor.party:
                raise PermissionDenied(f"party {actor.party} cannot confirm for party {c.party}")
            if c.publication is None:
                raise ConflictError(f"comment {comment_id} has no published answer")
            if publication != c.publication:
                raise ConflictError("that answer has been replaced; confirm the latest one")
            if not satisfied and not (note or "").strip():
                raise InvalidInput("say why the answer is not satisfactory")
            return {"comment": comment_id, "publication": publication,
                    "satisfied": bool(satisfied), "note": note or ""}
        return self._once(actor, "confirm", c.round, event_id,
                          [comment_id, publication, satisfied, note], build)

    def review_anchor(self, actor: Actor, comment_id: str, index: int, anchor: dict,
                      status: str = "confirmed", *, event_id: str) -> Event:
        """A person accepts or corrects a migrated anchor."""
        c = self._comment(comment_id)

        def build() -> dict:
            if not (actor.coordinator or c.party == actor.party):
                raise PermissionDenied("only the commenting party or a coordinator reviews anchors")
            if not 0 <= index < len(c.comment.get("anchors", [])) or status not in M.ANCHOR_STATES:
                raise InvalidInput("no such anchor, or an unknown status")
            parse_comment({**c.comment, "anchors": [anchor]})  # the geometry too, not only its form
            if status != "orphaned":  # a correction quotes the draft its migration ran on
                on = c.anchor_states.get(index, {}).get("round", c.round)
                check_anchors([anchor], on, self._round(on).draft_hash, self.directory)
            return {"comment": comment_id, "index": index, "anchor": anchor, "status": status}
        return self._once(actor, "anchor.review", c.round, event_id,
                          [comment_id, index, anchor, status], build)


def earlier_anchors(state: ReviewState, number: int) -> list[tuple[str, list[dict]]]:
    """(comment id, anchors as they stand) of the live comments of rounds before `number`."""
    return [(c.id, c.anchors()) for c in state.submitted() if c.round < number and not c.withdrawn]


def _teams(teams: dict) -> dict:
    if not isinstance(teams, dict) or not all(
            k in M.DELIVERABLES and isinstance(v, list) and all(isinstance(p, str) for p in v)
            for k, v in teams.items()):
        raise InvalidInput("teams map deliverables (1, S1..S8, Z1..Z5) to lists of party codes")
    return teams


def _check_sections(sections: Sections) -> None:
    if not sections or not all(isinstance(k, str) and M.SECTION_ID.match(k) and
                               isinstance(v, str) for k, v in sections.items()):
        raise InvalidInput("a draft maps section ids (letters, digits, '.', '_', '-') to text")
    if not any(text.strip() for text in sections.values()):
        # Nothing could be quoted or answered: a draft of headings only is a mistake.
        raise InvalidInput(f"the draft has no text: all {len(sections)} section(s) are empty")


def _suggested(comment: dict) -> str | None:
    """The deliverable a comment's first clause anchor points at (triage may change it)."""
    for anchor in comment["anchors"]:
        if anchor["type"] == "clause":
            found = M.deliverable_of(anchor["section"])
            if found:
                return found
    return None
