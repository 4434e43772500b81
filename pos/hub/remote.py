"""What the commands ask the store hub for (`pos report --hub URL`): the token
to ask with, and the hub's answer as text, its refusals as pos errors with
their exit codes (a hub that cannot be reached: 5, a token it refuses: 6, a
question it finds wrong: 2)."""
from __future__ import annotations

import os
import ssl
from pathlib import Path

import httpx

from ..errors import EXIT_STORE, ConfigError, PosError, UsageError
from ..report.options import ReportOptions
from ..till.config import tls_trust

TOKEN_ENV = "POS_HUB_TOKEN"


class HubUnreachable(PosError):
    """The store hub did not answer, or answered with a failure of its own."""
    exit_code = EXIT_STORE


def read_token(path: Path | None) -> str:
    """The token in `path` (a file `pos hub enroll` output went to), else $POS_HUB_TOKEN."""
    if path is not None:
        try:
            token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"--token-file {path}: cannot be read ({exc.strerror})") from None
        if not token:
            raise ConfigError(f"--token-file {path}: empty")
        return token
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"--hub needs a token: --token-file FILE or ${TOKEN_ENV}")
    return token


def _error(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body.get("error")) if isinstance(body, dict) else response.text[:200]
    except ValueError:
        return response.text[:200] or response.reason_phrase


def verify_with(ca: Path | None) -> ssl.SSLContext | bool:
    """How an https hub's certificate is checked: against `ca` (a PEM file), else
    the system's certificates."""
    try:
        return tls_trust(ca)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"--ca {ca}: not a readable PEM certificate "
                          f"({getattr(exc, 'strerror', None) or exc})") from None


def fetch_report(url: str, token: str, options: ReportOptions, timeout: float = 300.0,
                 verify: ssl.SSLContext | bool = True) -> str:
    """The hub's report of the whole store (GET /v1/report), as rendered there."""
    try:
        with httpx.Client(base_url=url, timeout=timeout, verify=verify) as client:
            response = client.get("/v1/report", params=options.query(),
                                  headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise HubUnreachable(f"--hub {url}: cannot be reached ({exc})") from None
    if response.status_code == 200:
        return response.text
    if response.status_code == 401:
        raise ConfigError(f"--hub {url}: the token is refused ({_error(response)})")
    if response.status_code == 400:
        raise UsageError(f"--hub {url}: {_error(response)}")
    raise HubUnreachable(f"--hub {url}: answered {response.status_code} ({_error(response)})")
