"""The synthetic plan text the sample round comments on: one section per goal, strategy and
priority of the 1+8+5 deliverables (names from metro_plan_1_8_5.json), revised each round."""

from __future__ import annotations

import json
import random
from pathlib import Path

FILLER = ("各方按照“共商、共建、共管、共享”的原则协同推进，建立年度任务清单和跨界协调机制。",
          "近期以重点地区和重大项目为抓手，远期形成网络化、一体化的空间格局。",
          "相关城市在各自国土空间规划中予以落实，并纳入都市圈项目库统筹实施。")


def base_sections(plan: dict) -> dict[str, str]:
    """Round 1's draft: section id -> Chinese text."""
    vision = plan["strategic_vision_report"]
    sections = {"vision": f"总体愿景：{vision['vision_zh']}。{FILLER[0]}"}
    for dim, key in zip(vision["dimensions"], ("innovation", "mobility", "ecology", "culture"),
                        strict=True):
        sections[f"vision.{key}"] = (f"{dim['zh']}维度：围绕{dim['zh']}目标，提出策略与行动。"
                                     f"{FILLER[1]}")
    for action in plan["system_actions"]:
        sections[action["id"]] = f"{action['zh']}（牵头：{action['lead']}）。{FILLER[2]}"
        for n, priority in enumerate(action["priorities"], 1):
            sections[f"{action['id']}.{n}"] = f"{priority}。{FILLER[n % 3]}"
    for zone in plan["spatial_sections"]:
        sections[f"{zone['id']}.goal"] = f"{zone['zh']}目标：{zone['goal']}。{FILLER[0]}"
        for n, strategy in enumerate(zone["strategies"], 1):
            sections[f"{zone['id']}.strategy.{n}"] = f"{strategy}。{FILLER[(n + 1) % 3]}"
    return sections


def revise(sections: dict[str, str], number: int, rng: random.Random) -> dict[str, str]:
    """The next round's draft: some sections gain a leading sentence (anchors move), a few
    clauses are rewritten (anchors are orphaned), the rest stay (anchors are confirmed)."""
    out = dict(sections)
    for sid in sorted(out):
        roll = rng.random()
        if roll < 0.25:
            out[sid] = f"（第{number}轮修改）根据书面征询意见补充完善。{out[sid]}"
        elif roll < 0.28:
            out[sid] = out[sid].replace("协同推进", "统筹推进").replace("予以落实", "细化落实")
    return out


def drafts(reference: Path, rounds: int, seed: int = 2021) -> list[dict[str, str]]:
    """The frozen draft of each round, round 1 first."""
    plan = json.loads((reference / "metro_plan_1_8_5.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    found = [base_sections(plan)]
    for number in range(2, rounds + 1):
        found.append(revise(found[-1], number, rng))
    return found
