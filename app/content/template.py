"""Content templates (`coplan.content-template/v1`): the structure of a plan's deliverables.

A template names the parties, the section kinds (and which kinds each may contain), the
sections with stable ids, and which sections each output includes. The same format carries
filled-in content, so a project's content can be exported and imported as a template.
"""

from __future__ import annotations

import fnmatch
import json
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from app.content.model import Links, Section
from app.errors import InvalidInput, NotFound
from app.paths import schemas_dir

FORMAT = "coplan.content-template/v1"
OUTPUTS = ("policy", "release", "reader", "onemap")
# Template sections get uuid5(NAMESPACE, "TEMPLATE/SECTION"): every replica that starts from
# the same template holds the same identities, as replicas of one section must.
NAMESPACE = uuid.UUID("43d7abbc-8750-491c-86e1-a6a5e96ecd1f")


@dataclass(frozen=True)
class Party:
    """A party of the plan: a city, a department, the coordinating office."""

    code: str
    type: str
    name_zh: str
    name_en: str

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Kind:
    """A kind of section, the kinds it may contain, and whether outputs print its lead."""

    name_zh: str
    name_en: str
    children: tuple[str, ...]
    lead: bool = False


@dataclass(frozen=True)
class OutputRule:
    """Which sections an output includes, and whose maps it draws."""

    include: tuple[str, ...]
    maps: tuple[str, ...] | None = None  # None: every included section with map layers

    def includes(self, section_id: str) -> bool:
        return any(matches(p, section_id) for p in self.include)

    def draws_map(self, section: Section) -> bool:
        """True when the output draws the section's map."""
        if not section.links.layers or not self.includes(section.id):
            return False
        return self.maps is None or any(matches(p, section.id) for p in self.maps)


@dataclass(frozen=True)
class Template:
    """A parsed content template."""

    id: str
    version: str
    title_zh: str
    title_en: str
    parties: dict[str, Party]
    kinds: dict[str, Kind]
    outputs: dict[str, OutputRule]
    sections: tuple[Section, ...]  # flattened, parents first
    notice_zh: str = ""
    notice_en: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def party(self, code: str) -> Party:
        """The party `code`; an unknown code stands for itself."""
        return self.parties.get(code) or Party(code, "unknown", code, code)

    def kind(self, name: str) -> Kind:
        """The kind `name`; NotFound lists the known ones."""
        if name not in self.kinds:
            raise NotFound(f"unknown section kind {name!r}; known: {', '.join(self.kinds)}")
        return self.kinds[name]

    def output(self, name: str) -> OutputRule:
        """The rule of output `name`; InvalidInput for an unknown output."""
        if name not in self.outputs:
            raise InvalidInput(f"output must be one of {', '.join(OUTPUTS)}, not {name!r}")
        return self.outputs[name]


def matches(pattern: str, section_id: str) -> bool:
    """True when `section_id` matches a pattern ('*', '?' within a part; '**' any parts)."""
    return _match(pattern.split("."), section_id.split("."))


def _match(pattern: list[str], parts: list[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match(rest, parts[1:])


def child_id(parent_id: str, kind: str, n: int) -> str:
    """The id of the `n`-th added child of kind `kind`: PARENT.KIND.N."""
    return f"{parent_id}.{kind}.{n}"


def section_uuid(template_id: str, section_id: str) -> str:
    """The identity a template section has in every replica."""
    return str(uuid.uuid5(NAMESPACE, f"{template_id}/{section_id}"))


@cache
def _validator() -> Draft202012Validator:
    path = schemas_dir() / "content-template.v1.schema.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def default_template_path() -> Path:
    """The bundled template: the 1+8+5 of the Shanghai metropolitan area plan."""
    return schemas_dir() / "content" / "metro-1-8-5.json"


def load_template(path: str | Path | None = None) -> Template:
    """Read, validate and parse a template file (default: the bundled one)."""
    path = Path(path) if path else default_template_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read content template {path}: {exc}") from exc
    return parse_template(data, str(path))


def parse_template(data: Any, source: str = "template") -> Template:
    """A Template from its JSON form; InvalidInput names the first problem."""
    error = next(iter(sorted(_validator().iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise InvalidInput(f"{source}: {where}: {error.message}")
    parties = {p["code"]: Party(p["code"], p["type"], p["name_zh"], p["name_en"])
               for p in data["parties"]}
    kinds = {k: Kind(v["name_zh"], v["name_en"], tuple(v["children"]), bool(v.get("lead")))
             for k, v in data["kinds"].items()}
    outputs = {k: OutputRule(tuple(v["include"]), tuple(v["maps"]) if "maps" in v else None)
               for k, v in data["outputs"].items()}
    sections = tuple(_flatten(data["id"], data["sections"], None, None))
    template = Template(data["id"], data["version"], data["title_zh"], data["title_en"], parties,
                        kinds, outputs, sections, data.get("notice_zh", ""), data.get("notice_en", ""))
    _cross_check(template, source)
    return template


def _flatten(template_id: str, items: list[dict], parent: str | None, owner: str | None):
    for n, d in enumerate(items):
        own = d.get("owner") or owner
        if own is None:
            raise InvalidInput(f"section {d['id']}: a root section needs an owner")
        yield Section(
            uuid=section_uuid(template_id, d["id"]), id=d["id"], parent=parent, ord=n,
            kind=d["kind"], owner=own, title_zh=d["title_zh"], title_en=d["title_en"],
            body_zh=d.get("body_zh", ""), body_en=d.get("body_en", ""),
            status=d.get("status", "draft"), participants=tuple(d.get("participants", ())),
            links=Links.from_json(d.get("links")))
        yield from _flatten(template_id, d.get("children", []), d["id"], own)


def _cross_check(template: Template, source: str) -> None:
    seen: set[str] = set()
    for s in template.sections:
        if s.id in seen:
            raise InvalidInput(f"{source}: section id {s.id} appears twice")
        seen.add(s.id)
        template.kind(s.kind)
        for code in (s.owner, *s.participants):
            if code not in template.parties:
                raise InvalidInput(f"{source}: section {s.id}: unknown party {code!r}")
    for name, kind in template.kinds.items():
        for child in kind.children:
            if child not in template.kinds:
                raise InvalidInput(f"{source}: kind {name} may contain unknown kind {child!r}")
