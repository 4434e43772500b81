"""`pos hub serve` as a real process on loopback, on a port the system chooses:
a till enrolled by `pos hub enroll` while it runs pushes a sale twice (stored
once); after `pos hub revoke` its token gets 401, logged with its address; the
hub stops on SIGTERM. The process is always ended."""
from __future__ import annotations

import selectors
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from pos.hub.store import HubStore
from pos.journal import Journal
from test_hub_api import paid_sale

POS = [sys.executable, "-m", "pos", "hub"]


def first_line(proc: subprocess.Popen, timeout: float = 60.0) -> str:
    """The process's first line of output, or fail after `timeout` (never a fixed wait)."""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout), "pos hub serve printed nothing"
    return proc.stdout.readline()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*POS, *args], capture_output=True, text=True, timeout=60, check=True)


@contextmanager
def hub_serving(data: Path, log: Path, *more: str) -> Iterator[str]:
    """`pos hub serve --data DATA [MORE...]` on a port the system chooses, its stderr in `log`
    and, after the first line, its stdout (uvicorn's access log) in `log` + ".access"
    (read all along, so that a full pipe never stops the hub); yields its URL once it
    listens, and stops it (SIGTERM) after: it must end by that signal gracefully.
    The process is killed if anything fails."""
    with open(log, "w") as err:
        proc = subprocess.Popen([*POS, "serve", "--data", str(data), "--listen", "127.0.0.1:0",
                                 *more],
                                stdout=subprocess.PIPE, stderr=err, text=True)

    def drain() -> None:
        with open(f"{log}.access", "w") as access:
            for out in proc.stdout:
                access.write(out)
    drainer = threading.Thread(target=drain, daemon=True)
    try:
        line = first_line(proc)
        assert "listening on http" in line and "://127.0.0.1:" in line, line
        drainer.start()
        yield line.split("listening on ")[1].split()[0]
        proc.terminate()
        # uvicorn stops gracefully, then ends by the signal it was given
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if drainer.is_alive():
            drainer.join(30)
        proc.stdout.close()


def test_a_real_hub_takes_a_sale_once_and_refuses_a_revoked_till(tmp_path):
    data, log = tmp_path / "hub", tmp_path / "hub.log"
    with hub_serving(data, log) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            # the socket listens before the line is printed: this waits for uvicorn, no sleep
            assert client.get("/v1/health").json()["status"] == "ok"
            token = run("enroll", "till1", "--data", str(data)).stdout.strip()
            journal = Journal(tmp_path / "sales.db", till="till1")
            sale = paid_sale(journal)
            headers = {"Authorization": f"Bearer {token}"}
            first = client.post("/v1/sales", json=sale, headers=headers)
            again = client.post("/v1/sales", json=sale, headers=headers)
            assert (first.status_code, again.status_code) == (201, 200)
            run("revoke", "till1", "--data", str(data))
            revoked = client.post("/v1/sales", json=paid_sale(journal), headers=headers)
            assert revoked.status_code == 401
            journal.close()
    store = HubStore(data, create=False)
    assert store.sale_count() == 1 and store.sale_body(sale["sale_id"]) is not None
    store.close()
    text = log.read_text()
    assert "401 from 127.0.0.1" in text and "Finished server process" in text
