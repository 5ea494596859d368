"""The sample review of the Shanghai metro plan: events, ledger, handling reports and a signed
release. `build_review(out)` writes them; sample_projects/build.py calls it."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "shanghai-metro" / "source"
SIGNING_CITIES = ("310000", "320500", "320200", "320400", "320600", "330200", "330400",
                  "330900", "330500")  # the vision report was signed by all nine cities


def sample_key(party: str, name: str, folder: Path):
    """A deterministic SAMPLE signing key (derived from the party code: never use for real)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.review import signing

    seed = hashlib.sha256(f"coplan-sample-key/{party}".encode()).digest()
    private = Ed25519PrivateKey.from_private_bytes(seed)
    raw = signing._raw_public(private)
    kid = signing.key_id(raw)
    public = {"format": signing.PUBLIC_FORMAT, "party": party, "signer": f"{name}（示例签署人）",
              "key_id": kid, "created": "2022-01-10T00:00:00Z",
              "ed25519_public": base64.b64encode(raw).decode()}
    (folder / f"{party}-{kid}.pub.json").write_text(json.dumps(public, ensure_ascii=False,
                                                               indent=1) + "\n", encoding="utf-8")
    return signing.SigningKey(signing.PublicKey(kid, party, public["signer"], raw), private)


def build_review(out: Path, reference: Path = REFERENCE, *, pdfs: bool = True) -> dict:
    """Write the sample review into `out`; returns a summary (counts, rate, release hash)."""
    from app.review import events, export, ledger, report
    from app.review.charts import ledger_figure, png_bytes
    from sample_projects.review.simulate import PLAN, Simulation

    out.mkdir(parents=True, exist_ok=True)
    sim = Simulation(reference)
    found = sim.run()
    events.write_jsonl(found, out / "events.jsonl")
    book = ledger.compute(sim.state)
    export.write_csv(book, out / "ledger.csv")
    export.write_xlsx(book, out / "ledger.xlsx")
    (out / "ledger.png").write_bytes(png_bytes(ledger_figure(book)))
    signatures = _release(out, sim, book.to_json())
    if pdfs:
        report.write_reports(sim.state, out / "reports", plan=PLAN, signatures=signatures)
        report.summary_report(sim.state, out / "reports" / "summary-en.pdf",
                              plan="Shanghai Metropolitan Area Spatial Plan", lang="en",
                              signatures=signatures)
    log.info("sample review: %d events, %d comments, adoption %.1f %%", len(found),
             book.total.comments, 100 * (book.total.rate or 0))
    return {"events": len(found), "comments": book.total.comments, "rate": book.total.rate,
            "release": signatures.release}


def _release(out: Path, sim, ledger_json: dict):
    """Freeze the final release and sign it with the nine cities' sample keys."""
    import shutil

    from app.review import release
    from app.review.events import digest
    from app.review.report import Signatures
    from app.review.signing import Keyring, load_keyring, load_public_keys

    folder, keys = out / "release", out / "keys"
    for old in (folder, keys):
        shutil.rmtree(old, ignore_errors=True)
    keys.mkdir(parents=True)
    parties = [{"code": c, "name": sim.parties[c][0]} for c in SIGNING_CITIES]
    release.freeze(folder, project="shanghai-metro", title="上海大都市圈空间协同规划（会签稿）",
                   sections=sim.drafts[-1], data_version={"project": "shanghai-metro",
                                                          "version": 1, "note": "sample"},
                   ledger=ledger_json, parties=parties, quorum={"rule": "all"},
                   created="2022-01-10T00:00:00Z")
    for n, p in enumerate(parties):
        release.sign(folder, sample_key(p["code"], p["name"], keys),
                     at=f"2022-01-{12 + n:02d}T02:00:00Z")
    # The trusted set, as `coplan keys export` writes it from the server's registered keys.
    keyring = out / "keyring.json"
    keyring.write_text(json.dumps(Keyring.of(load_public_keys(keys)).to_json(), ensure_ascii=False,
                                  indent=1, sort_keys=True) + "\n", encoding="utf-8")
    result = release.verify(folder, load_keyring(keyring))
    assert result.ok, result.problems
    return Signatures(result.release, parties, result.signed, ledger=digest(ledger_json))
