"""One store, one report, one export (issue 17, item 4): three tills' sales through
the hub; the report over the hub's store sales journal is the sum of the tills'
own journals, with a row per till; the hub serves it (`GET /v1/report`) and `pos
report --hub URL` prints it from a real hub process; `pos export` on the hub
writes every sale once; an unreachable hub and a refused token are exits 5 and 6."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import httpx
import pytest
from starlette.testclient import TestClient
from test_hub_serve import hub_serving, run

from pos.hub.app import create_app
from pos.hub.tokens import enroll
from pos.journal import Journal
from pos.report.options import ReportOptions, report_text
from test_hub_api import auth, paid_sale

POS = [sys.executable, "-m", "pos"]
SUMMED = ("sales", "turnover", "suggestions_shown", "accepted", "suggestion_revenue")


def sell_through(hub, tmp_path, client, sales_per_till=(3, 1, 2)) -> list[Journal]:
    journals = []
    for i, n in enumerate(sales_per_till, 1):
        till = f"till{i}"
        token = enroll(hub, till)
        journal = Journal(tmp_path / f"{till}.db", till=till)
        for k in range(n):
            sale = paid_sale(journal, skus=(f"A{k}", "B"))
            assert client.post("/v1/sales", json=sale, headers=auth(token)).status_code == 201
        journals.append(journal)
    return journals


def summary(text: str) -> dict:
    return json.loads(text)["sections"]["summary"][0]


def test_the_hubs_report_is_the_sum_of_the_tills_with_a_row_per_till(tmp_path, hub):
    options = ReportOptions(format="json", with_bundles=False)
    with TestClient(create_app(hub)) as client:
        journals = sell_through(hub, tmp_path, client)
        token = enroll(hub, "office")
        served = client.get("/v1/report", params=options.query(), headers=auth(token))
        assert client.get("/v1/report").status_code == 401
        bad = client.get("/v1/report", params={"from": "2026-13-01"}, headers=auth(token))
        assert bad.status_code == 400 and "from" in bad.json()["error"]
    store_wide = report_text(hub.sales_path, None, options)
    assert served.status_code == 200 and served.text == store_wide
    whole = summary(store_wide)
    tills = [summary(report_text(j.path, None, options)) for j in journals]
    for name in SUMMED:
        assert whole[name] == sum(t[name] for t in tills), name
    per_till = json.loads(store_wide)["sections"]["by_till"]
    assert [(r["group"], r["sales"]) for r in per_till] == [("till1", 3), ("till2", 1),
                                                            ("till3", 2)]
    for journal in journals:
        journal.close()


def test_pos_export_on_the_hub_writes_every_sale_once(tmp_path, hub):
    with TestClient(create_app(hub)) as client:
        journals = sell_through(hub, tmp_path, client)
    out = tmp_path / "baskets.csv"
    done = subprocess.run([*POS, "export", "--journal", str(hub.sales_path), "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    sold = {sid for j in journals for (sid,) in j.conn.execute("SELECT sale_id FROM sales")}
    assert {r["basket_id"] for r in rows} == sold
    assert len(rows) == 2 * len(sold)                 # two lines each, none twice
    assert {r["store_id"] for r in rows} == {"till1", "till2", "till3"}
    for journal in journals:
        journal.close()


def test_pos_report_hub_prints_the_hubs_report_of_the_whole_store(tmp_path):
    data = tmp_path / "hub"
    with hub_serving(data, tmp_path / "hub.log") as url:
        token = run("enroll", "till1", "--data", str(data)).stdout.strip()
        journal = Journal(tmp_path / "till1.db", till="till1")
        with httpx.Client(base_url=url, timeout=30) as client:
            for _ in range(2):
                client.post("/v1/sales", json=paid_sale(journal), headers=auth(token))
        token_file = tmp_path / "office-token"
        token_file.write_text(token + "\n")
        remote = subprocess.run([*POS, "report", "--hub", url, "--token-file", str(token_file),
                                 "--format", "json", "--no-bundles"],
                                capture_output=True, text=True)
        refused = subprocess.run([*POS, "report", "--hub", url, "--no-bundles"],
                                 capture_output=True, text=True,
                                 env={**os.environ, "POS_HUB_TOKEN": "wrong"})
    local = subprocess.run([*POS, "report", "--journal", str(data / "sales.db"), "--format",
                            "json", "--no-bundles"], capture_output=True, text=True)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and summary(remote.stdout)["sales"] == 2
    assert refused.returncode == 6 and "token is refused" in refused.stderr
    gone = subprocess.run([*POS, "report", "--hub", url, "--token-file", str(token_file)],
                          capture_output=True, text=True)
    assert gone.returncode == 5 and "cannot be reached" in gone.stderr
    journal.close()


@pytest.mark.parametrize("args, code, says", [
    (["--hub", "http://127.0.0.1:9"], 2, "POS_HUB_TOKEN"),
    (["--hub", "http://127.0.0.1:9", "--journal", "x.db"], 2, "not allowed with"),
    (["--hub", "http://127.0.0.1:9", "--token-file", "/nonexistent"], 6, "cannot be read"),
])
def test_report_hub_usage(args, code, says):
    done = subprocess.run([*POS, "report", *args], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "POS_HUB_TOKEN"})
    assert done.returncode == code and says in done.stderr
