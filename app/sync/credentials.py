"""Where the client keeps its tokens: one per server URL, in a file only the user can read."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.errors import AuthError


def credentials_path() -> Path:
    """$COPLAN_CREDENTIALS, else ~/.config/coplan/credentials.json."""
    custom = os.environ.get("COPLAN_CREDENTIALS")
    if custom:
        return Path(custom)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "coplan" / "credentials.json"


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        return {}  # a damaged file is replaced on the next login


USERS = "_users"  # url -> the user name that logged in (never a URL, so no clash with tokens)


def save_token(url: str, token: str, user: str | None = None) -> Path:
    """Remember `token` (and who logged in) for the server at `url` (file mode 0600, written
    atomically)."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _load(path)
    data[url.rstrip("/")] = token
    if user:
        data.setdefault(USERS, {})[url.rstrip("/")] = user
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)
    return path


def token_for(url: str) -> str:
    """The token to use with `url`: $COPLAN_TOKEN, else the saved one; AuthError if none."""
    token = os.environ.get("COPLAN_TOKEN") or _load(credentials_path()).get(url.rstrip("/"))
    if not token:
        raise AuthError(f"not logged in to {url}; run: coplan login {url} --user NAME")
    return token


def user_for(url: str) -> str | None:
    """The user name that last logged in to `url` with `coplan login`, if known."""
    users = _load(credentials_path()).get(USERS)
    return users.get(url.rstrip("/")) if isinstance(users, dict) else None
