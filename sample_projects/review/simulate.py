"""A synthetic but realistic co-confirm review: 4 rounds of written comment solicitation, 647
comments split as in the seed (98 experts, 8 ministry, 177 provincial departments, 364 cities),
triage, dispositions with evidence (> 90 % adopted), publication, confirmation and reopening.

Deterministic: ids are uuid5 of a counter, times come from a fake clock, choices from a seeded
random generator, so two builds give the same events. The comment texts are synthetic.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from pathlib import Path

from app.review.access import Actor
from app.review.commands import MemoryDirectory, Review
from app.review.events import Event, MemoryLog, digest
from app.review.model import REASONS, deliverable_of
from app.review.state import ReviewState
from app.review.triage import suggest_groups
from sample_projects.review.draft import drafts

NS = uuid.UUID("5d9a4a3c-7f0e-4f7b-9a51-3c2b1e0f6d18")
QUOTAS = {"expert": 98, "ministry": 8, "province": 177, "city": 364}
ROUND_SHARE = (0.40, 0.30, 0.20, 0.10)
PLAN = "上海大都市圈空间协同规划"
EXPERTS = ("experts", "上海大都市圈规划专家咨询委员会", "expert")
MINISTRY = ("mnr", "自然资源部", "ministry")
PROVINCES = [(f"{p}-{k}", f"{n}{d}", "province") for p, n in (("js", "江苏省"), ("zj", "浙江省"))
             for k, d in (("zrzyt", "自然资源厅"), ("fgw", "发展和改革委员会"), ("jtyst", "交通运输厅"),
                          ("sthjt", "生态环境厅"), ("slt", "水利厅"))]
DEPARTMENTS = [("sh-jtw", "上海市交通委员会"), ("sh-swj", "上海市水务局"), ("sh-sthjj", "上海市生态环境局"),
               ("sh-zjw", "上海市住房和城乡建设管理委员会"), ("sh-lhsr", "上海市绿化和市容管理局"),
               ("sh-wlj", "上海市文化和旅游局"), ("sh-jxw", "上海市经济和信息化委员会"),
               ("sh-fzyjzx", "上海市人民政府发展研究中心")]
ASPECTS = ("实施时序", "空间落位", "责任主体", "指标口径", "与国土空间总体规划的衔接", "跨界协调机制",
           "项目清单", "生态保护要求", "资金保障", "监测评估")
TEMPLATES = ("建议在“{quote}”的表述中进一步明确{aspect}，并与{city}相关规划做好衔接。",
             "“{quote}”一节中{aspect}的表述较为原则，建议补充可操作的要求。",
             "建议结合{city}实际，调整“{quote}”所涉{aspect}，并列明近期重点任务。",
             "关于“{quote}”，建议增加{aspect}方面的内容，便于各方共同落实。")
DISPOSITION_WEIGHTS = (("adopted", 66), ("partially_adopted", 23), ("not_adopted", 6),
                       ("noted", 3), ("referred", 2))


class Clock:
    """A fake clock: every call is a few minutes after the last."""

    def __init__(self, start: dt.datetime):
        self.t = start

    def __call__(self) -> str:
        self.t += dt.timedelta(minutes=7)
        return self.t.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def jump(self, when: dt.datetime) -> None:
        self.t = max(self.t, when)


class Simulation:
    """Drives a Review through four rounds like the office and the parties would."""

    def __init__(self, reference: Path, seed: int = 2021):
        cities = json.loads((reference / "cities.json").read_text(encoding="utf-8"))["cities"]
        self.cities = [(c["xzqdm"], c["name_zh"], "city") for c in cities]
        self.plan = json.loads((reference / "metro_plan_1_8_5.json").read_text(encoding="utf-8"))
        commenting = [EXPERTS, MINISTRY, *PROVINCES, *self.cities]
        parties = {code: (name, kind) for code, name, kind in commenting}
        parties.update({code: (name, "department") for code, name in DEPARTMENTS})
        parties["office"] = ("上海大都市圈规划协同办公室", "office")
        self.commenting = commenting
        self.rng, self.counter = random.Random(seed), 0
        self.clock = Clock(dt.datetime(2019, 9, 2, 1, 0, tzinfo=dt.UTC))
        self.log, self.state = MemoryLog(), ReviewState()
        directory = MemoryDirectory(parties)
        self.review = Review(self.log, self.state, directory, self.clock)
        self.office = Actor("office-li", "office", "coordinator", "office")
        # Each round's draft and the final text; answers cite the next one as evidence, so the
        # server (here: the directory) holds the revised drafts.
        self.drafts = drafts(reference, len(ROUND_SHARE) + 1, seed)
        for sections in self.drafts[1:]:
            directory.save_draft(digest(sections), sections)
        self.parties = parties

    def next_id(self) -> str:
        self.counter += 1
        return str(uuid.uuid5(NS, f"event/{self.counter}"))

    def teams(self) -> dict[str, list[str]]:
        teams = {"1": ["office"]}
        teams.update({f"S{i}": [code] for i, (code, _) in enumerate(DEPARTMENTS, 1)})
        teams.update({z["id"]: [z["lead"]] for z in self.plan["spatial_sections"]})
        return teams

    def run(self) -> list[Event]:
        """Every event of the four rounds."""
        plan = self._comment_plan()
        for number in range(1, len(ROUND_SHARE) + 1):
            self.clock.jump(dt.datetime(2019 + number // 2, 3 + 4 * (number % 2), 1, tzinfo=dt.UTC))
            self._open(number)
            self._collect(number, [p for p in plan if p[0] == number])
            self._triage(number)
            self._respond(number)
            self._confirm_and_revise(number)
        return list(self.log)

    def _comment_plan(self) -> list[tuple[int, tuple]]:
        """(round, party) of each of the 647 comments."""
        out = []
        for kind, quota in QUOTAS.items():
            pool = [p for p in self.commenting if p[2] == kind]
            weights = [1.6 if p[0] == "310000" else 1.0 for p in pool]
            for _ in range(quota):
                party = self.rng.choices(pool, weights)[0]
                number = self.rng.choices(range(1, 5), ROUND_SHARE)[0]
                out.append((number, party))
        return out

    def _open(self, number: int) -> None:
        r, o = self.review, self.office
        visibility = "sealed" if number < 4 else "parties"
        due = (self.clock.t + dt.timedelta(days=30)).date().isoformat()
        r.open_round(o, number, {"zh": f"第{number}轮书面意见征询", "en": f"Round {number}"},
                     visibility, self.teams(), due, event_id=self.next_id())
        r.freeze(o, number, self.drafts[number - 1], event_id=self.next_id())
        for code, _, _ in self.commenting:
            r.invite(o, number, code, due, event_id=self.next_id())
        r.advance(o, number, "issued", event_id=self.next_id())
        r.advance(o, number, "collecting", event_id=self.next_id())

    def _collect(self, number: int, plan: list[tuple[int, tuple]]) -> None:
        for n, (_, party) in enumerate(plan):
            comment = self._comment(number, party, n)
            channel = comment["channel"]
            actor = self.office if channel in ("letter", "meeting") else Actor(
                f"{party[0]}-user", party[0], "reviewer", party[2])
            self.review.submit(actor, comment)
        sent = {p[0] for _, p in plan}
        silent = [p for p in self.commenting if p[0] not in sent]
        for code, _, kind in silent[1:]:  # the first silent party never answers: a non-response
            self.review.no_comment(Actor(f"{code}-user", code, "reviewer", kind), number,
                                   event_id=self.next_id())

    def _comment(self, number: int, party: tuple, n: int) -> dict:
        rng, sections = self.rng, self.drafts[number - 1]
        sid = rng.choice(sorted(sections))
        text = sections[sid]
        start = rng.randrange(0, max(1, len(text) - 12))
        quote = text[start:start + rng.randint(6, 12)]
        city = rng.choice(self.cities)[1]
        body = {"zh": rng.choice(TEMPLATES).format(quote=quote, aspect=rng.choice(ASPECTS),
                                                   city=city)}
        if party[2] == "expert" and rng.random() < 0.3:
            body["en"] = f"Please clarify the {rng.choice(('timing', 'location', 'lead agency'))}" \
                         f" in section {sid}."
        anchors = [{"type": "clause", "section": sid, "quote": quote, "position": start}]
        anchors += self._map_anchors(party)
        channel = rng.choices(("app", "bundle", "letter", "meeting"), (70, 10, 15, 5))[0]
        return {"format": "coplan.comment/v1",
                "id": str(uuid.uuid5(NS, f"comment/{number}/{n}")), "round": number,
                "party": party[0], "author": f"{party[1]} 经办人{rng.randint(1, 6)}",
                "channel": channel, "written": self.clock(), "body": body, "anchors": anchors}

    def _map_anchors(self, party: tuple) -> list[dict]:
        import shapely

        roll = self.rng.random()
        x, y = 120.2 + self.rng.random() * 1.8, 30.3 + self.rng.random() * 1.7
        if roll < 0.12:
            return [{"type": "feature", "layer": "XMK_POINT",
                     "uuid": str(uuid.uuid5(NS, f"feature/{party[0]}/{self.rng.randint(1, 40)}")),
                     "geometry": shapely.to_wkb(shapely.Point(round(x, 5), round(y, 5)),
                                                hex=True)}]
        if roll < 0.17:
            box = shapely.box(round(x, 4), round(y, 4), round(x + 0.05, 4), round(y + 0.04, 4))
            return [{"type": "area", "geometry": shapely.to_wkb(box, hex=True)}]
        return []

    def _triage(self, number: int) -> None:
        r, o = self.review, self.office
        r.advance(o, number, "triage", event_id=self.next_id())
        for members in suggest_groups(self.state, number, threshold=0.6):
            r.group(o, self.next_id(), members, "duplicate",
                    {"zh": "相同条款的相似意见", "en": "similar comments on one clause"},
                    event_id=self.next_id())
        by_deliverable: dict[str, list[str]] = {}
        for c in self.state.submitted():
            if c.round == number:
                target = c.deliverable or deliverable_of(c.anchors()[0]["section"]) or "1"
                by_deliverable.setdefault(target, []).append(c.id)
        for deliverable, ids in sorted(by_deliverable.items()):
            r.assign(o, ids, deliverable, event_id=self.next_id())

    def _respond(self, number: int) -> None:
        self.review.advance(self.office, number, "responding", event_id=self.next_id())
        done: set[str] = set()
        for c in [c for c in self.state.submitted() if c.round == number]:
            if c.id in done:
                continue
            targets = self.state.groups[c.group].members if c.group else [c.id]
            self._answer(c, targets, number)
            done.update(targets)
        self.review.publish(self.office, number, event_id=self.next_id())
        self.review.advance(self.office, number, "published", event_id=self.next_id())

    def _answer(self, c, targets: list[str], number: int) -> None:
        disposition = self.rng.choices(*zip(*DISPOSITION_WEIGHTS, strict=True))[0]
        fields = self._fields(c, disposition, number)
        deliverables = {self.state.comments[t].deliverable for t in targets}
        team = self.teams().get(c.deliverable or "1", ["office"])[0] \
            if len(deliverables) == 1 else "office"  # a group across teams: the office drafts
        kind = self.parties[team][1]
        drafter = Actor(f"{team}-drafter", team, "coordinator" if team == "office" else "editor",
                        kind)
        self.review.recommend(drafter, targets, disposition, fields["reason"], fields["answer"],
                              fields["changes"], event_id=self.next_id())
        memo = f"第{number}轮意见处理专题会议纪要（{self.clock.t.date().isoformat()}）" \
            if disposition == "not_adopted" else None
        self.review.decide(self.office, targets, disposition, fields["reason"], fields["answer"],
                           fields["changes"], memo, event_id=self.next_id())

    def _fields(self, c, disposition: str, number: int) -> dict:
        sid = c.anchors()[0]["section"]
        aspect = self.rng.choice(ASPECTS)
        reason, changes = None, []
        if disposition in ("adopted", "partially_adopted"):
            changes = [{"kind": "text", "section": sid, "revision": digest(self.drafts[number])}]
        answers = {
            "adopted": f"采纳。已在“{sid}”中补充{aspect}相关表述。",
            "partially_adopted": f"部分采纳。已补充{aspect}的原则性要求，具体内容由下位规划深化。",
            "noted": "知悉。相关意见将在规划实施评估中统筹考虑。",
            "referred": "已转相关牵头部门研究办理。"}
        if disposition == "not_adopted":
            reason = self.rng.choice(sorted(REASONS))
            answers["not_adopted"] = f"未采纳。{REASONS[reason][0]}。"
        return {"reason": reason, "changes": changes, "answer": {"zh": answers[disposition]}}

    def _confirm_and_revise(self, number: int) -> None:
        reopened = []
        for c in [c for c in self.state.submitted() if c.round == number]:
            satisfied = self.rng.random() > 0.03
            actor = Actor(f"{c.party}-user", c.party, "reviewer", c.party_type)
            note = "" if satisfied else "答复未回应具体诉求，请进一步研究。"
            self.review.confirm(actor, c.id, c.publication, satisfied, note,
                                event_id=self.next_id())
            if not satisfied:
                reopened.append(c)
        self.review.advance(self.office, number, "revising", event_id=self.next_id())
        for c in reopened:
            sid = c.anchors()[0]["section"]
            self.review.decide(self.office, [c.id], "partially_adopted", None,
                               {"zh": "经再次研究，部分采纳，已补充相应表述。"},
                               [{"kind": "text", "section": sid,
                                 "revision": digest(self.drafts[number])}],
                               f"第{number}轮复议会议纪要", event_id=self.next_id())
        if reopened:
            self.review.publish(self.office, number, [c.id for c in reopened],
                                event_id=self.next_id())
            for c in reopened:
                actor = Actor(f"{c.party}-user", c.party, "reviewer", c.party_type)
                self.review.confirm(actor, c.id, c.publication, True, "", event_id=self.next_id())
        last = number == len(ROUND_SHARE)
        self.review.advance(self.office, number, "final" if last else "closed",
                            event_id=self.next_id())
