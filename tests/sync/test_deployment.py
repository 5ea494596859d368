"""Running the server as deployed: liveness and readiness, X-Forwarded-* from the trusted proxy
only, JSON logs without secrets (on a real `coplan serve` process), and the packaging files
(systemd unit, nginx config, runbook commands) checked against the code they configure."""

from __future__ import annotations

import configparser
import http.client
import json
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.errors import InvalidInput
from app.sync.server.api import create_app
from app.sync.server.limits import BodyLimit
from app.sync.server.logs import redact
from app.sync.server.serve import LOCAL_PROXY, serve, trusted_proxies
from app.sync.server.store import open_store

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def sqlite_store(tmp_path):
    store = open_store(tmp_path / "srv")
    yield store
    store.close()


# --- health and readiness --------------------------------------------------------------------

def test_health_is_liveness_and_ready_asks_the_store(sqlite_store):
    with TestClient(create_app(sqlite_store)) as client:
        assert client.get("/api/v1/health").json()["status"] == "ok"
        ready = client.get("/api/v1/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["store"] == "sqlite"


@pytest.mark.parametrize("failure", [sqlite3.OperationalError("disk I/O error"),
                                     RuntimeError("pool closed")])
def test_ready_is_503_in_the_envelope_when_the_store_fails(sqlite_store, monkeypatch, failure):
    def broken():
        raise failure
    monkeypatch.setattr(sqlite_store, "reading", broken)
    with TestClient(create_app(sqlite_store), raise_server_exceptions=False) as client:
        ready = client.get("/api/v1/ready")
        health = client.get("/api/v1/health")
    assert ready.status_code == 503 and ready.headers["Retry-After"] == "1"
    assert ready.json() == {"error": {"code": "unavailable", "retryable": True,
                                      "message": "the server's store does not answer; see the server log"}}
    assert health.status_code == 200  # the process itself is alive: do not restart it


# --- options ---------------------------------------------------------------------------------

def test_trusted_proxies(monkeypatch):
    monkeypatch.delenv("COPLAN_FORWARDED_ALLOW_IPS", raising=False)
    assert trusted_proxies(None) is None  # no proxy: forwarded headers are ignored
    assert trusted_proxies(None, enabled=True) == LOCAL_PROXY
    assert trusted_proxies("10.0.0.5, 192.168.0.0/16") == ("10.0.0.5", "192.168.0.0/16")
    monkeypatch.setenv("COPLAN_FORWARDED_ALLOW_IPS", "::1")
    assert trusted_proxies(None) == ("::1",)
    with pytest.raises(InvalidInput, match="nginx.local"):
        trusted_proxies("nginx.local")


def test_unknown_log_format_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="use text or json"):
        serve(str(tmp_path / "srv"), log_format="xml")


def test_redact_masks_store_passwords_and_tokens():
    token = "0123456789abcdef.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
    text = redact(f"postgresql://coplan:s3cret@db/coplan Authorization: Bearer {token} {token}")
    assert "s3cret" not in text and token not in text and "AbCdEf" not in text
    assert "postgresql://coplan:***@db/coplan" in text
    assert redact("missing bearer token") == "missing bearer token"


# --- a real server behind a (forged) proxy ---------------------------------------------------

class Process:
    """`coplan serve --port 0` with extra options; its stderr (the log) goes to a file."""

    def __init__(self, tmp_path: Path, store: str, *options: str):
        self.log_path = tmp_path / "server.log"
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--store", store, "--port", "0", *options],
                cwd=REPO, stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.proc.stdout.readline()
        assert "serving on" in line, self.log_path.read_text(encoding="utf-8")
        self.port = int(line.rsplit(":", 1)[1])

    def get(self, path: str, headers: dict, source: str = "127.0.0.1") -> http.client.HTTPResponse:
        """GET from the local address `source` (any 127.x.y.z is this machine)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                          source_address=(source, 0))
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def stop(self) -> list[dict]:
        """Stop it gracefully (every access line written) and return the log as JSON objects."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)
        self.proc.stdout.close()
        return [json.loads(line) for line in self.log_path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def server(tmp_path, sqlite_store):
    sqlite_store.add_user("sh", PASSWORD)  # argon2: only here, where a login needs it
    sqlite_store.create_project("metro", "上海大都市圈", 1)
    sqlite_store.add_party("metro", "310000", "上海市", "city")
    sqlite_store.grant("metro", "sh", "310000", "editor")
    token = sqlite_store.issue_token("sh")
    made = []

    def start(*options: str) -> Process:
        made.append(Process(tmp_path, str(tmp_path / "srv"), *options))
        made[-1].token = token
        return made[-1]
    yield start
    for process in made:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait(timeout=10)


FORGED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def access(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "coplan.access"]


def test_forwarded_headers_are_honoured_from_the_trusted_proxy_only(server):
    srv = server("--forwarded-allow-ips", "127.0.0.1", "--log-format", "json")
    # FastAPI redirects /health/ to /health with an absolute URL: the one URL the API builds.
    trusted = srv.get("/api/v1/health/", {**FORGED, "Host": "coplan.example.org"})
    untrusted = srv.get("/api/v1/health/", {**FORGED, "Host": "coplan.example.org"},
                        source="127.0.0.2")
    assert trusted.status == untrusted.status == 307
    assert trusted.getheader("location") == "https://coplan.example.org/api/v1/health"
    assert untrusted.getheader("location") == "http://coplan.example.org/api/v1/health"
    lines = access(srv.stop())
    assert [(line["path"], line["client"]) for line in lines] == [
        ("/api/v1/health/", "203.0.113.7"), ("/api/v1/health/", "127.0.0.2")]


def test_json_logs_have_the_fields_and_no_secrets(server):
    srv = server("--log-format", "json")  # and no proxy options: forwarded headers are ignored
    forged = srv.get("/api/v1/health/", {**FORGED, "Host": "coplan.example.org"})
    assert forged.getheader("location") == "http://coplan.example.org/api/v1/health"
    secret = srv.token.split(".", 1)[1]
    ok = srv.get("/api/v1/projects/metro?token=" + srv.token,
                 {"Authorization": f"Bearer {srv.token}"})
    bad = srv.get("/api/v1/projects", {"Authorization": "Bearer 0123456789abcdef.forged-secret-xyz"})
    login = login_as(srv.port, "sh", PASSWORD)
    issued = json.loads(login.body)["token"]
    wrong = login_as(srv.port, "sh", "wrong-password-42")
    assert (ok.status, bad.status, login.status, wrong.status) == (200, 401, 200, 401)
    lines = srv.stop()  # every line parses as one JSON object
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert {line["logger"] for line in lines} >= {"coplan.access", "uvicorn.error"}
    records = access(lines)
    assert [(r["method"], r["path"], r["status"], r["user"]) for r in records] == [
        ("GET", "/api/v1/health/", 307, None), ("GET", "/api/v1/projects/metro", 200, "sh"),
        ("GET", "/api/v1/projects", 401, None), ("POST", "/api/v1/login", 200, "sh"),
        ("POST", "/api/v1/login", 401, None)]
    assert all(r["client"] == "127.0.0.1" and r["duration_ms"] >= 0 for r in records)
    text = srv.log_path.read_text(encoding="utf-8")
    for leak in (secret, srv.token, issued.split(".", 1)[1], "forged-secret", PASSWORD,
                 "wrong-password", "Authorization", "token="):
        assert leak not in text


def login_as(port: int, user: str, password: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/login", body=json.dumps({"user": user, "password": password}),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


# --- the packaging files ---------------------------------------------------------------------

def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(PACKAGING / "coplan-server.service", encoding="utf-8")
    return parser


def cli_parses(line: str) -> None:
    """The coplan command in `line` (after `runuser -u coplan --`, say) parses with the real
    command-line parser."""
    from app.cli import parser
    argv = shlex.split(line)
    start = next(i for i, word in enumerate(argv[:-1])  # not the user of `runuser -u coplan --`
                 if Path(word).name == "coplan" and not argv[i + 1].startswith("-"))
    try:
        parser().parse_args(argv[start + 1:])
    except SystemExit as exc:
        pytest.fail(f"not a valid coplan command ({exc}): {line}")


def test_systemd_unit_is_hardened_and_runs_a_real_command(tmp_path):
    service = unit()["Service"]
    for key, value in [("User", "coplan"), ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"),
                       ("PrivateTmp", "yes"), ("Restart", "on-failure"),
                       ("ReadWritePaths", "/var/lib/coplan"),
                       ("EnvironmentFile", "/etc/coplan/server.env")]:
        assert service[key] == value
    cli_parses(service["ExecStart"])
    assert "--proxy-headers" in service["ExecStart"] and "127.0.0.1" in service["ExecStart"]
    coplan = Path(sys.executable).with_name("coplan")
    if not shutil.which("systemd-analyze") or not coplan.exists():
        pytest.skip("systemd-analyze or the coplan script is not here")
    local = (PACKAGING / "coplan-server.service").read_text(encoding="utf-8").replace(
        "/opt/coplan/venv/bin/coplan", str(coplan))
    (tmp_path / "coplan-server.service").write_text(local)
    check = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "coplan-server.service")],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "coplan-server" not in check.stderr, check.stderr


def nginx_size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", text.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 ** 2}[unit]


def test_nginx_allows_the_largest_body_the_server_takes(sqlite_store):
    conf = (PACKAGING / "nginx-coplan.conf").read_text(encoding="utf-8")
    [limit] = re.findall(r"^\s*client_max_body_size\s+(\S+);", conf, re.M)
    [middleware] = [m for m in create_app(sqlite_store).user_middleware if m.cls is BodyLimit]
    largest = max([middleware.kwargs["default"]] + [cap for _, _, cap in middleware.kwargs["caps"]])
    assert nginx_size(limit) == largest  # larger would be refused by the server with a 413 anyway
    for needed in ("proxy_set_header X-Forwarded-For $remote_addr;",
                   "proxy_set_header X-Forwarded-Proto $scheme;", "Strict-Transport-Security",
                   "ssl_protocols TLSv1.2 TLSv1.3;", "server 127.0.0.1:8470;"):
        assert needed in conf


def test_nginx_in_front_of_a_real_server(tmp_path, server):
    """nginx -t accepts the config; then, on local ports with a self-signed certificate, a
    forged X-Forwarded-For from the client is replaced and the redirect says https."""
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    if not Path(nginx).exists() or not openssl:
        pytest.skip("nginx or openssl is not installed")
    import requests
    import urllib3
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    srv = server("--proxy-headers", "--log-format", "json")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=coplan.example.org", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    https_port = free_port()
    conf = (PACKAGING / "nginx-coplan.conf").read_text(encoding="utf-8")
    conf = re.sub(r"^\s*listen \[::\].*\n", "", conf, flags=re.M)
    for old, new in [("listen 80;", f"listen 127.0.0.1:{free_port()};"),
                     ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
                     ("127.0.0.1:8470", f"127.0.0.1:{srv.port}"),
                     ("/etc/letsencrypt/live/coplan.example.org/fullchain.pem", str(tmp_path / "cert.pem")),
                     ("/etc/letsencrypt/live/coplan.example.org/privkey.pem", str(tmp_path / "key.pem")),
                     ("/var/www/html", str(tmp_path))]:
        assert old in conf
        conf = conf.replace(old, new)
    (tmp_path / "coplan.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(textwrap.dedent(f"""\
        daemon off; master_process off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
        events {{}}
        http {{
            access_log off;
            client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            include {tmp_path}/coplan.conf;
        }}
        """))
    command = [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
               "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run(command + ["-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        url = f"https://127.0.0.1:{https_port}"
        answer = wait_for(lambda: requests.get(url + "/api/v1/health/", verify=False, timeout=5,
                                               allow_redirects=False,
                                               headers={**FORGED, "Host": "coplan.example.org"}))
        ready = requests.get(url + "/api/v1/ready", verify=False, timeout=5)
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
    assert answer.headers["Location"] == "https://coplan.example.org/api/v1/health"
    assert answer.headers["Strict-Transport-Security"] == "max-age=63072000"
    assert ready.json()["status"] == "ready"
    clients = {line["client"] for line in access(srv.stop())}
    assert clients == {"127.0.0.1"}  # nginx's $remote_addr, not the forged 203.0.113.7


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(request):
    """The first answer of `request` once nginx listens (it starts in the background)."""
    import time

    import requests
    for _ in range(100):
        try:
            return request()
        except requests.ConnectionError:
            time.sleep(0.05)
    return request()


def test_runbook_commands_are_real_commands():
    runbook = (PACKAGING / "RUNBOOK.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", runbook, re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    commands = [line for line in lines if re.search(r"(^|\s|/)coplan (serve|admin)\b", line)]
    assert len(commands) >= 10  # the extraction found them
    for command in commands:
        cli_parses(command.replace("$(date +%F)", "2026-12-05"))
