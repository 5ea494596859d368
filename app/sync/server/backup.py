"""Backup, restore and migration of a server store, the same for both kinds.

A backup is one tar file: `coplan-backup.json` (what was backed up: rows and a digest per
table, files and their digest), `tables/<table>.jsonl` (one row per line, in the form both
stores share) and `files/<project>/<name>`. It is taken online from one consistent read
(a SQLite read transaction, a PostgreSQL REPEATABLE READ snapshot); files are written before
the rows that name them, so every file a row names is there.

A restore loads a backup into an empty store in one transaction and then reads the store back
and compares every table's row count and digest with the backup's: a difference is an error.
`migrate` does both at once between two stores (SQLite to PostgreSQL, say)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from app.errors import ConflictError, InvalidInput
from app.sync.server.store import ADDED_TABLES, TABLES, Store, is_empty, now, read_blob, row_digest

FORMAT = "coplan.server-backup/v1"
MANIFEST = "coplan-backup.json"
Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


class _Digest:
    """Rows and the order-free digest of one table, counted as they stream past."""

    def __init__(self, table: str):
        self.table, self.count, self.total = table, 0, 0

    def feed(self, rows: Iterable[dict]) -> Iterator[dict]:
        for row in rows:
            self.count += 1
            self.total = (self.total + row_digest(self.table, row)) % 2**256
            yield row

    def value(self) -> list:
        return [self.count, f"{self.total:064x}"]


def _files_digest(items: Iterable[tuple[str, str, str]]) -> list:
    count, total = 0, 0
    for project, name, sha in items:
        count, total = count + 1, (total + row_digest("files", {"p": project, "n": name, "h": sha})) % 2**256
    return [count, f"{total:064x}"]


def digests(store: Store) -> dict[str, list]:
    """{table: [rows, digest hex]} of every table, read in one consistent snapshot, and the
    same for the files under "files"."""
    out: dict[str, list] = {}
    with store.reading() as s:
        for table in TABLES:
            digest = _Digest(table)
            for _ in digest.feed(s.dump(table)):
                pass
            out[table] = digest.value()
    out["files"] = _files_digest(
        (project, name, hashlib.sha256(read_blob(store.blobs, project, name)).hexdigest())
        for project, name in store.blobs.names())
    return out


def backup(store: Store, out: str | Path, progress: Progress = _quiet) -> dict:
    """Write a backup of `store` to `out`; returns its manifest."""
    out = Path(out)
    tables: dict[str, list] = {}
    tmp = Path(tempfile.mkdtemp(prefix=".coplan-backup-", dir=out.parent))
    part = out.with_name(f".{out.name}.part")
    try:
        with store.reading() as s:  # one snapshot for every table
            for table in TABLES:
                digest = _Digest(table)
                with open(tmp / f"{table}.jsonl", "w", encoding="utf-8") as f:
                    for row in digest.feed(s.dump(table)):
                        f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
                tables[table] = digest.value()
                progress(f"{table}: {digest.count} rows")
        files = []
        with tarfile.open(part, "w") as tar:
            for table in TABLES:
                tar.add(tmp / f"{table}.jsonl", arcname=f"tables/{table}.jsonl")
            for project, name in store.blobs.names():
                data = read_blob(store.blobs, project, name)
                info = tarfile.TarInfo(f"files/{project}/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                files.append((project, name, hashlib.sha256(data).hexdigest()))
            manifest = {"format": FORMAT, "made": now(), "store": store.kind, "tables": tables,
                        "files": _files_digest(files)}
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
        progress(f"files: {len(files)}")
        part.replace(out)
    finally:
        for path in tmp.iterdir():
            path.unlink()
        tmp.rmdir()
        part.unlink(missing_ok=True)
    return manifest


def _require_empty(store: Store) -> None:
    if not is_empty(store):
        raise ConflictError("the target store is not empty: restore and migration fill a new "
                            "store only / 目标存储非空：恢复与迁移只能写入新的空存储")


def restore(store: Store, source: str | Path, progress: Progress = _quiet) -> dict:
    """Load the backup `source` into the empty `store`, then check it; returns the manifest."""
    _require_empty(store)
    try:
        tar = tarfile.open(source, "r")
    except (OSError, tarfile.TarError) as exc:
        raise InvalidInput(f"{source} is not a CoPlan backup: {exc}") from exc
    with tar:
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]  # None: caught below
        except (KeyError, AttributeError, ValueError) as exc:
            raise InvalidInput(f"{source} is not a CoPlan backup (no {MANIFEST})") from exc
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"{source}: unknown backup format {manifest.get('format')!r}")
        members = {m.name: m for m in tar.getmembers()}
        for member in members.values():
            if member.name.startswith("files/"):
                project, _, name = member.name.removeprefix("files/").partition("/")
                store.blobs.put(project, name, tar.extractfile(member).read())  # type: ignore[union-attr]  # a file
        with store.writing() as s:  # all tables or none
            for table in TABLES:
                if table in ADDED_TABLES and table not in manifest["tables"]:
                    manifest["tables"][table] = _Digest(table).value()  # older backup: empty
                    continue
                if f"tables/{table}.jsonl" not in members:
                    raise InvalidInput(f"{source}: the backup has no table {table}")
                lines = io.TextIOWrapper(tar.extractfile(members[f"tables/{table}.jsonl"]),  # type: ignore[type-var]  # a file
                                         encoding="utf-8")
                n = s.load(table, _rows(lines, f"{source}: table {table}"))
                progress(f"{table}: {n} rows")
    store.analyze()
    _check(store, manifest["tables"], manifest["files"])
    return manifest


def _rows(lines: Iterable[str], where: str) -> Iterator[dict]:
    for number, line in enumerate(lines, 1):
        try:
            yield json.loads(line)
        except ValueError as exc:
            raise InvalidInput(f"{where}, line {number}: damaged ({exc}) / 备份已损坏") from exc


def migrate(source: Store, target: Store, progress: Progress = _quiet) -> dict:
    """Copy every row and file of `source` into the empty `target`, then check that nothing was
    lost; returns {table: [rows, digest]}."""
    _require_empty(target)
    files = []
    for project, name in source.blobs.names():
        data = read_blob(source.blobs, project, name)
        target.blobs.put(project, name, data)
        files.append((project, name, hashlib.sha256(data).hexdigest()))
    tables: dict[str, list] = {}
    with source.reading() as src, target.writing() as dst:
        for table in TABLES:
            digest = _Digest(table)
            dst.load(table, digest.feed(src.dump(table)))
            tables[table] = digest.value()
            progress(f"{table}: {digest.count} rows")
    target.analyze()
    _check(target, tables, _files_digest(files))
    return {**tables, "files": _files_digest(files)}


def _check(store: Store, tables: dict, files: list) -> None:
    """InvalidInput naming every table whose rows or digest differ from what was written."""
    found = digests(store)
    wrong = [f"{t}: expected {tables[t][0]} rows {tables[t][1][:12]}…, found {found[t][0]} rows "
             f"{found[t][1][:12]}…" for t in TABLES if found[t] != tables[t]]
    if found["files"] != files:
        wrong.append(f"files: expected {files[0]}, found {found['files'][0]}")
    if wrong:
        raise InvalidInput("the copy differs from its source / 副本与源数据不一致:\n  " + "\n  ".join(wrong))
