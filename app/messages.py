"""The core's messages in the user's language, without Qt.

The core raises CoplanError with an English message (the CLI and the server's JSON envelope
show it as it is). A desktop in Chinese shows `localize(message, "zh")`: the message is matched
against the English templates of CATALOGUE ({} stands for a variable part) and the captured
parts go into the Chinese template ({} in order, or {0} {1} to reorder or leave one out).
Captured parts are localized in turn, so a server's reason inside a push refusal comes out
Chinese too. Older messages that carry both languages ("English / 中文") are split.

`as_coplan(exc)` turns the foreign exceptions a user can meet (network, SQLite, GEOS, files)
into CoplanError subclasses with clean messages, so no `HTTPConnectionPool…` or traceback
text reaches a dialog.
"""

from __future__ import annotations

import errno
import functools
import logging
import re

from app.errors import CoplanError, InvalidInput, ProjectError, ReadOnlyProject, SyncError
from app.message_catalogue import CATALOGUE, EN_DESKTOP, GEOS_REASONS

log = logging.getLogger(__name__)

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_GEOS = re.compile(r"^(?P<what>[A-Za-z][A-Za-z -]*?)\s*(?:\[(?P<x>[-\d.eE+]+) (?P<y>[-\d.eE+]+)\])?$")


def has_cjk(text: str) -> bool:
    """True when `text` holds Chinese characters or full-width punctuation."""
    return bool(CJK.search(text))


@functools.cache
def _compiled(templates: tuple[str, ...]) -> list[tuple[re.Pattern, str]]:
    """Templates as anchored regexes, the most specific (longest fixed text) first."""
    def fixed(t: str) -> int:
        return len(t.replace("{}", ""))
    ordered = sorted(templates, key=fixed, reverse=True)
    return [(re.compile("^" + r"(.+?)".join(map(re.escape, t.split("{}"))) + "$", re.DOTALL), t)
            for t in ordered]


def _match(message: str, table: dict[str, str]) -> tuple[str, tuple[str, ...]] | None:
    for pattern, template in _compiled(tuple(table)):
        found = pattern.match(message)
        if found:
            return table[template], found.groups()
    return None


def say(lang: str, template: str, *parts) -> str:
    """`template` filled with `parts`, in `lang` (the catalogue holds the Chinese template)."""
    text = template.format(*parts)
    return localize(text, lang) if lang == "zh" else text


def localize(message: str, lang: str, _depth: int = 0) -> str:
    """`message` in `lang` ("zh" or "en"); a message the catalogue does not know comes back
    as it is (or its half in `lang` when it carries both languages)."""
    message = message.strip()
    table = CATALOGUE if lang == "zh" else EN_DESKTOP
    found = _match(message, table) if _depth < 3 else None
    if found is not None:
        template, parts = found
        parts = tuple(localize(p, lang, _depth + 1) for p in parts)
        try:
            return template.format(*parts)
        except (IndexError, KeyError, ValueError):  # a broken template must not hide the error
            log.warning("bad message template %r", template)
            return message
    return _one_language(message, lang)


def problem_text(problem, lang: str) -> str:
    """A validation Problem (app.model.validation) in `lang`, GEOS reasons in words and
    without the command line's make_valid hint."""
    return localize(problem.text(lang), lang)


def _one_language(message: str, lang: str) -> str:
    """The half of an "English / 中文" message in `lang`; GEOS reasons in `lang`."""
    head, sep, tail = message.rpartition(" / ")
    if sep and has_cjk(tail) and not has_cjk(head):
        return tail if lang == "zh" else head
    return geos_reason(message, lang)


def geos_reason(text: str, lang: str) -> str:
    """A GEOS validity reason ("Self-intersection[121.4 31.2]") in words a planner reads."""
    found = _GEOS.match(text.strip())
    if found is None or found["what"].lower() not in GEOS_REASONS:
        return text
    zh, en = GEOS_REASONS[found["what"].lower()]
    if found["x"] is None:
        return zh if lang == "zh" else en
    x, y = float(found["x"]), float(found["y"])
    if lang == "zh":
        return f"{zh}（位于 {x:.6f}, {y:.6f}）"
    return f"{en} at {x:.6f}, {y:.6f}"


# -- foreign exceptions --------------------------------------------------------------------

SQLITE_TEXTS = (  # (part of SQLite's message, the error to raise instead)
    ("database is locked", lambda: ProjectError(
        "the project file is busy: another program is writing to it; wait a moment and try "
        "again, or close the other program")),
    ("readonly database", lambda: ReadOnlyProject(
        "the project is open read-only, so the change was not saved; save a copy where you may "
        "write, or ask for write access to the file")),
    ("unable to open database file", lambda: ProjectError(
        "the project file cannot be opened: check that it exists and that you may read it")),
    ("malformed", lambda: ProjectError(
        "the project file is damaged; open a backup copy or clone the project again")),
    ("file is not a database", lambda: ProjectError(
        "the file is not a CoPlan project (not a SQLite file)")),
    ("disk i/o error", lambda: ProjectError(
        "the disk could not be read or written; check the drive and try again")),
    ("database or disk is full", lambda: ProjectError(
        "the disk is full; free some space and try again")),
)


def as_coplan(exc: BaseException) -> CoplanError:
    """`exc` as a CoplanError with a message for the user (CoplanErrors pass through)."""
    if isinstance(exc, CoplanError):
        return exc
    name, text = type(exc).__name__, str(exc)
    module = type(exc).__module__ or ""
    if module.startswith("requests") or module.startswith("urllib3"):
        return _network(exc, name)
    if name in ("OperationalError", "DatabaseError", "IntegrityError") and "sqlite" in module:
        return _sqlite(text)
    if name == "GEOSException" or module.startswith("shapely"):
        return InvalidInput(f"the geometry cannot be processed: {_geos_text(text)}")
    if isinstance(exc, OSError):
        return _os_error(exc)
    if isinstance(exc, MemoryError):
        return CoplanError("out of memory: close other programs or work on a smaller area")
    return CoplanError(f"unexpected error ({name}: {text[:200]}); the details are in the log")


def _network(exc: BaseException, name: str) -> SyncError:
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None) or "?"
    url = re.sub(r"^(\w+://[^/]+).*$", r"\1", url)
    if "Timeout" in name:
        return SyncError(f"the server {url} did not answer in time; try again later", retryable=True)
    return SyncError(f"cannot reach the server {url}: check the network or the server address",
                     retryable=True)


def _sqlite(text: str) -> CoplanError:
    lowered = text.lower()
    for part, make in SQLITE_TEXTS:
        if part in lowered:
            return make()
    return ProjectError(f"the project database refused the operation: {text}")


def _geos_text(text: str) -> str:
    # GEOS prefixes its own class names ("IllegalArgumentException: ..."); keep the reason.
    return re.sub(r"^\w+Exception:\s*", "", text).strip()


def _os_error(exc: OSError) -> CoplanError:
    where = exc.filename or ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyProject(f"no permission to write {where}; choose another folder or ask "
                               "for write access")
    if exc.errno == errno.ENOENT:
        return ProjectError(f"no such file: {where}")
    if exc.errno == errno.ENOSPC:
        return ProjectError("the disk is full; free some space and try again")
    return ProjectError(f"the file {where} could not be read or written ({exc.strerror or exc})")
