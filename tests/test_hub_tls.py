"""TLS between the tills and the hub (issue 17, item 5), on a real `pos hub serve
--cert --key` process with a certificate from a test CA (trustme): a till whose
store.toml trusts the hub's CA (`[hub] ca`) sends its sale; one that trusts only
the system's certificates sends nothing and keeps it waiting; `pos report --hub
https://... --ca` reads the report, without --ca it cannot reach the hub (5);
a `ca` setting that cannot be used stops the till at start (6)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import trustme
from test_hub_serve import hub_serving, run

from pos.errors import ConfigError
from pos.hub.link import TillHubLink
from pos.journal import Journal
from pos.till.config import load_config
from test_hub_api import paid_sale


@pytest.fixture
def certified(tmp_path):
    """(the hub's certificate chain, its key, the CA's certificate) as PEM files."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    chain, key, ca_pem = tmp_path / "hub.crt", tmp_path / "hub.key", tmp_path / "hub-ca.pem"
    cert.private_key_pem.write_to_path(str(key))
    chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    ca.cert_pem.write_to_path(str(ca_pem))
    return chain, key, ca_pem


def till_link(tmp_path, url, token, ca: str | None) -> TillHubLink:
    config = tmp_path / "store.toml"
    config.write_text(f'[till]\nid = "till1"\n[hub]\nurl = "{url}"\ntoken = "{token}"\n'
                      + (f'ca = "{ca}"\n' if ca else ""))
    hub = load_config(config).hub
    assert hub is not None
    return TillHubLink.for_till(hub, tmp_path / "sales.db", "till1")


def test_a_till_that_trusts_the_hubs_ca_sends_over_tls_and_one_that_does_not_waits(
        tmp_path, certified):
    chain, key, ca_pem = certified
    data = tmp_path / "hub"
    with hub_serving(data, tmp_path / "hub.log", "--cert", str(chain), "--key",
                     str(key)) as url:
        assert url.startswith("https://")
        token = run("enroll", "till1", "--data", str(data)).stdout.strip()
        journal = Journal(tmp_path / "sales.db", till="till1")
        sale = paid_sale(journal)
        untrusting = till_link(tmp_path, url, token, None)
        assert untrusting.pusher.push_once() is not None          # a delay: not sent
        assert untrusting.pusher.state == "unreachable" and journal.hub_waiting() == (1, 0)
        untrusting.stop()
        trusting = till_link(tmp_path, url, token, ca_pem.name)
        assert trusting.pusher.push_once() is None and trusting.pusher.state == "connected"
        assert journal.pending_for_hub() == []
        assert trusting.follower.pull_once(wait=0) is not None
        trusting.stop()
        pos = [sys.executable, "-m", "pos", "report", "--hub", url, "--no-bundles",
               "--format", "json"]
        env_token = {"POS_HUB_TOKEN": token, "PATH": "/usr/bin:/bin"}
        trusted = subprocess.run([*pos, "--ca", str(ca_pem)], capture_output=True, text=True,
                                 env=env_token)
        untrusted = subprocess.run(pos, capture_output=True, text=True, env=env_token)
    assert trusted.returncode == 0, trusted.stderr
    assert '"sales": 1' in trusted.stdout
    assert untrusted.returncode == 5 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    copy = Journal(tmp_path / "sales-store.db", till="check")
    assert copy.hub_sale(sale["sale_id"]) == sale                  # read back over TLS
    copy.close()
    journal.close()


@pytest.mark.parametrize("url, ca, says", [
    ("http://10.0.0.5:8700", "hub-ca.pem", "only for an https:// url"),
    ("https://10.0.0.5:8700", "missing.pem", "not a readable PEM certificate"),
    ("https://10.0.0.5:8700", "store.toml", "not a readable PEM certificate"),
])
def test_a_ca_that_cannot_be_used_is_a_config_error(tmp_path, certified, url, ca, says):
    config = tmp_path / "store.toml"
    config.write_text(f'[till]\nid = "till1"\n[hub]\nurl = "{url}"\ntoken = "t0k3n"\n'
                      f'ca = "{ca}"\n')
    with pytest.raises(ConfigError, match=says):
        load_config(config)
