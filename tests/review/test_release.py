"""The joint signature offline: any changed byte fails `coplan verify`; a valid release verifies
with only its files and the server's keyring; the signature log is a hash chain; verify tells
tampering, a missing signature, an unknown or revoked key and a broken chain apart."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.errors import ConflictError
from app.review import release
from app.review.signing import (
    Keyring,
    TrustedKey,
    UntrustedKeys,
    keygen,
    load_keyring,
    load_public_keys,
    load_signing_key,
)

REPO = Path(__file__).resolve().parents[2]
PARTIES = [{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}]


def write_keyring(keys: Path, path: Path, revoked: set[str] = frozenset()) -> Path:
    """A keyring file trusting the public keys in `keys` (as a server would export them)."""
    ring = Keyring.of(load_public_keys(keys))
    ring = Keyring({k: TrustedKey(t.key, "2026-05-01T00:00:00Z",
                                  "2026-05-02T00:00:00Z" if t.key.party in revoked else None)
                    for k, t in ring.keys.items()}, {})
    path.write_text(json.dumps(ring.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def signed(tmp_path):
    """A release signed by both parties; (release folder, keyring file, private keys)."""
    keys, secret = tmp_path / "keys", {}
    for p in PARTIES:
        key, _ = keygen(tmp_path / f"secret-{p['code']}", p["code"], f"{p['name']}签署人")
        shutil.copy(key.with_suffix(".pub.json"), keys.mkdir(exist_ok=True) or keys)
        secret[p["code"]] = key
    folder = tmp_path / "release"
    release.freeze(folder, project="m", title="会签稿", sections={"vision": "建设卓越的全球城市区域"},
                   data_version={"project": "m", "version": 42},
                   ledger={"format": "coplan.ledger/v1", "total": {"comments": 647}},
                   parties=PARTIES, quorum={"rule": "all"})
    for key in secret.values():
        release.sign(folder, load_signing_key(key))
    return folder, write_keyring(keys, tmp_path / "keyring.json"), secret


def codes(folder: Path, keyring: Path) -> list[str]:
    return release.verify(folder, load_keyring(keyring)).codes


def test_valid_release_verifies_on_a_machine_with_only_files_and_keyring(signed, tmp_path):
    folder, keyring, _ = signed
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(folder, elsewhere / "release")
    shutil.copy(keyring, elsewhere / "keyring.json")
    # A fresh interpreter in an empty folder: nothing but the copied files and the keyring.
    result = subprocess.run([sys.executable, "-m", "app.cli", "verify", "release", "--keyring",
                             "keyring.json"], cwd=elsewhere, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified" in result.stdout and "320500" in result.stdout


@pytest.mark.parametrize("name", ["text.json", "data-version.json", "ledger.json", "manifest.json"])
def test_any_changed_byte_fails_verification(signed, capsys, name):
    folder, keyring, _ = signed
    path = folder / name
    data = bytearray(path.read_bytes())
    for offset in (len(data) // 3, len(data) - 3):  # a byte in the middle and one near the end
        original = data[offset]
        data[offset] = original ^ 0x01
        path.write_bytes(bytes(data))
        assert main(["verify", str(folder), "--keyring", str(keyring)]) != 0
        captured = capsys.readouterr()
        assert "NOT verified: tampered" in captured.out and not captured.err
        data[offset] = original
    path.write_bytes(bytes(data))
    assert main(["verify", str(folder), "--keyring", str(keyring)]) == 0


def test_an_edited_manifest_is_tampering_not_a_missing_signature(signed, capsys):
    folder, keyring, _ = signed
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["data_version"] = 43
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    result = release.verify(folder, load_keyring(keyring))
    assert not result.ok and not result.signed and result.codes[0] == "tampered"
    assert "manifest.json has been changed" in result.problems[0]
    assert "broken_chain" not in result.codes and "unknown_key" not in result.codes
    assert main(["verify", str(folder), "--keyring", str(keyring)]) == 1
    assert "TAMPERED: manifest.json has been changed" in capsys.readouterr().out


def test_deleting_a_withdrawal_breaks_the_chain(signed):
    folder, keyring, secret = signed
    release.sign(folder, load_signing_key(secret["330400"]), "withdraw", "待本市常务会议审议")
    release.sign(folder, load_signing_key(secret["320500"]), "withdraw")
    assert codes(folder, keyring) == ["missing_signature"]
    lines = (folder / "signatures.jsonl").read_text().splitlines()
    (folder / "signatures.jsonl").write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    found = release.verify(folder, load_keyring(keyring))
    assert "broken_chain" in found.codes and not found.ok
    assert "line 3 does not follow line 2" in " ".join(found.problems)


def test_reordered_lines_break_the_chain(signed):
    folder, keyring, _ = signed
    lines = (folder / "signatures.jsonl").read_text().splitlines()
    (folder / "signatures.jsonl").write_text("\n".join(reversed(lines)) + "\n")
    assert codes(folder, keyring)[0] == "broken_chain"


def test_a_cut_off_tail_is_caught_by_the_server_head_in_the_keyring(signed):
    folder, keyring, secret = signed
    release.sign(folder, load_signing_key(secret["330400"]), "withdraw")
    entries = release.read_log(folder)
    data = json.loads(keyring.read_text())
    data["chains"] = {release.manifest(folder)[1]: {"head": release.entry_hash(entries[-1]),
                                                    "length": len(entries)}}
    keyring.write_text(json.dumps(data))
    release.write_log(folder, entries[:-1])  # the withdrawal was the last line
    found = release.verify(folder, load_keyring(keyring))
    assert found.codes == ["broken_chain"] and "lacks entries the server holds" in found.problems[0]


def test_a_forged_key_file_is_not_trusted(signed, tmp_path, capsys):
    folder, keyring, _ = signed
    forged, pub = keygen(tmp_path / "forged", "310000", "冒名")  # "310000" claims a party
    shutil.copy(pub, folder / pub.name)  # lying in the release folder, or any keys folder
    shutil.copy(pub, tmp_path / "keys" / pub.name)
    parties = [*PARTIES, {"code": "310000", "name": "上海市"}]
    other = tmp_path / "other"
    release.freeze(other, project="m", title="t", sections={"a": "b"},
                   data_version={"version": 1}, ledger={}, parties=parties,
                   quorum={"rule": "at_least", "n": 1})
    release.sign(other, load_signing_key(forged))
    assert codes(other, keyring) == ["unknown_key", "missing_signature"]
    with pytest.raises(UntrustedKeys):
        load_keyring(tmp_path / "keys")
    assert main(["verify", str(other), "--keys", str(tmp_path / "keys")]) == 2
    assert "use --keyring" in capsys.readouterr().err


def test_a_revoked_key_no_longer_counts(signed, tmp_path):
    folder, _, secret = signed
    revoked = write_keyring(tmp_path / "keys", tmp_path / "revoked.json", {"330400"})
    found = release.verify(folder, load_keyring(revoked))
    assert found.codes == ["revoked_key", "missing_signature"] and found.missing == ["330400"]
    # Revoked after the two signatures: those count, a withdrawal signed with it later does not.
    data = json.loads(revoked.read_text())
    for key in data["keys"]:
        key["before_revocation"] = {release.manifest(folder)[1]: 2}
    revoked.write_text(json.dumps(data))
    assert release.verify(folder, load_keyring(revoked)).ok
    release.sign(folder, load_signing_key(secret["330400"]), "withdraw")
    assert release.verify(folder, load_keyring(revoked)).codes == ["revoked_key"]


def test_forged_or_foreign_signatures_are_reported(signed):
    folder, keyring, _ = signed
    lines = (folder / "signatures.jsonl").read_text().splitlines()
    forged = json.loads(lines[0])
    forged["party"] = "330400"  # claim the other party's seat with this key
    (folder / "signatures.jsonl").write_text("\n".join([json.dumps(forged), lines[1]]) + "\n")
    found = release.verify(folder, load_keyring(keyring))
    assert "bad_signature" in found.codes and not found.ok


def test_withdrawal_and_rejoining_are_logged(signed):
    folder, keyring, secret = signed
    key = load_signing_key(secret["330400"])
    release.sign(folder, key, "withdraw", "待本市常务会议审议")
    assert not release.verify(folder, load_keyring(keyring)).ok
    with pytest.raises(ConflictError):
        release.sign(folder, key, "withdraw")
    with pytest.raises(ConflictError):  # a rejoin needs a withdrawal before it
        release.next_action([], "330400", "rejoin")
    assert release.sign(folder, key)["action"] == "rejoin"
    result = release.verify(folder, load_keyring(keyring))
    assert result.ok and [e["action"] for e in result.log] == ["sign", "sign", "withdraw", "rejoin"]
    assert [e["prev"] for e in result.log][0] == result.release


def test_at_least_quorum_and_cli_keygen_sign(tmp_path, capsys):
    assert main(["keygen", "--party", "320500", "--signer", "张三", "--out",
                 str(tmp_path / "k")]) == 0
    key = next((tmp_path / "k").glob("*.key"))
    assert key.stat().st_mode & 0o777 == 0o600
    release.freeze(tmp_path / "rel", project="m", title="t", sections={"vision": "愿景"},
                   data_version={"version": 7}, ledger={}, parties=PARTIES,
                   quorum={"rule": "at_least", "n": 1})
    assert main(["sign", str(tmp_path / "rel"), "--key", str(key)]) == 0
    capsys.readouterr()
    keyring = write_keyring(tmp_path / "k", tmp_path / "keyring.json")
    assert main(["verify", str(tmp_path / "rel"), "--keyring", str(keyring), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["signed"] == ["320500"] and answer["problems"] == [] and answer["ok"]
