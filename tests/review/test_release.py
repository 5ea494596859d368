"""The joint signature: any changed byte fails `coplan verify`; a valid release verifies with
only its files and the public keys; withdrawals and re-joins are logged."""

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
from app.review.signing import keygen, load_public_keys, load_signing_key

REPO = Path(__file__).resolve().parents[2]
PARTIES = [{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}]


@pytest.fixture
def signed(tmp_path):
    """A release signed by both parties; (release folder, public keys folder, private keys)."""
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
    return folder, keys, secret


def test_valid_release_verifies_on_a_machine_with_only_files_and_keys(signed, tmp_path):
    folder, keys, _ = signed
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(folder, elsewhere / "release")
    shutil.copytree(keys, elsewhere / "keys")
    # A fresh interpreter in an empty folder: nothing but the copied files and the keys.
    result = subprocess.run([sys.executable, "-m", "app.cli", "verify", "release", "--keys", "keys"],
                            cwd=elsewhere, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified" in result.stdout and "320500" in result.stdout


@pytest.mark.parametrize("name", ["text.json", "data-version.json", "ledger.json", "manifest.json"])
def test_any_changed_byte_fails_verification(signed, capsys, name):
    folder, keys, _ = signed
    path = folder / name
    data = bytearray(path.read_bytes())
    for offset in (len(data) // 3, len(data) - 3):  # a byte in the middle and one near the end
        original = data[offset]
        data[offset] = original ^ 0x01
        path.write_bytes(bytes(data))
        assert main(["verify", str(folder), "--keys", str(keys)]) != 0
        captured = capsys.readouterr()
        assert "NOT verified" in captured.out or "damaged" in captured.err
        data[offset] = original
    path.write_bytes(bytes(data))
    assert main(["verify", str(folder), "--keys", str(keys)]) == 0


def test_changed_data_version_invalidates_every_signature(signed):
    folder, keys, _ = signed
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["data_version"] = 43
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    result = release.verify(folder, load_public_keys(keys))
    assert not result.ok and not result.signed and not result.quorum_met


def test_forged_or_foreign_signatures_are_reported(signed, tmp_path):
    folder, keys, secret = signed
    lines = (folder / "signatures.jsonl").read_text().splitlines()
    forged = json.loads(lines[0])
    forged["party"] = "330400"  # claim the other party's seat with this key
    (folder / "signatures.jsonl").write_text("\n".join([json.dumps(forged), lines[1]]) + "\n")
    result = release.verify(folder, load_public_keys(keys))
    assert not result.ok and any("does not verify" in p for p in result.problems)
    (folder / "signatures.jsonl").write_text("\n".join(lines) + "\n")
    release.sign(folder, load_signing_key(secret["320500"]), "withdraw")
    stranger, _ = keygen(tmp_path / "x", "320500", "冒名")  # a key the verifier does not trust
    release.sign(folder, load_signing_key(stranger))
    result = release.verify(folder, load_public_keys(keys))
    assert not result.ok and any("unknown key" in p for p in result.problems)


def test_withdrawal_and_rejoining_are_logged(signed):
    folder, keys, secret = signed
    key = load_signing_key(secret["330400"])
    release.sign(folder, key, "withdraw", "待本市常务会议审议")
    assert not release.verify(folder, load_public_keys(keys)).ok
    with pytest.raises(ConflictError):
        release.sign(folder, key, "withdraw")
    assert release.sign(folder, key)["action"] == "rejoin"
    result = release.verify(folder, load_public_keys(keys))
    assert result.ok and [e["action"] for e in result.log] == ["sign", "sign", "withdraw", "rejoin"]


def test_at_least_quorum_and_cli_keygen_sign(tmp_path, capsys, sample):
    from app.review.events import write_jsonl
    write_jsonl(sample.log, tmp_path / "events.jsonl")
    (tmp_path / "text.json").write_text(json.dumps({"sections": {"vision": "愿景"}},
                                                   ensure_ascii=False))
    assert main(["keygen", "--party", "320500", "--signer", "张三", "--out",
                 str(tmp_path / "k")]) == 0
    key = next((tmp_path / "k").glob("*.key"))
    assert key.stat().st_mode & 0o777 == 0o600
    assert main(["release", str(tmp_path / "events.jsonl"), "--text", str(tmp_path / "text.json"),
                 "--data-version", "7", "--project", "m", "--signatory", "320500=苏州市",
                 "--signatory", "330400=嘉兴市", "--quorum", "1", "--out",
                 str(tmp_path / "rel")]) == 0
    assert main(["sign", str(tmp_path / "rel"), "--key", str(key)]) == 0
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "rel"), "--keys", str(tmp_path / "k"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["signed"] == ["320500"]
    ledger = json.loads((tmp_path / "rel" / "ledger.json").read_text())
    assert ledger["total"]["comments"] == 647
