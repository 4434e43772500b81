"""Experiments (A/B arms): store.toml parsing and its errors, assignment by sale id
(matching the shares, the same in another process and after a restart), and what
an arm changes on the till: no cards for a control, one card for k=1, the
engine config and the pitch."""
import json
import random
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import scan_code
from pos.engine import EngineConfig
from pos.journal import Journal
from pos.till.config import ConfigError, load_config
from pos.till.experiments import settings_for
from pos.till.session import Till
from till_harness import run_till

PASTA, CHOC = "PASTA-BN-FUS-500", "CHOC-NS-DARK-60"
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()
ROOT = Path(__file__).resolve().parents[1]

THREE_ARMS = """
[till]
id = "t1"
lang = "en"
[engine]
upsell_cap = 0.4
[experiment]
name = "cards-2026-11"
[[experiment.arm]]
name = "control"
share = 0.2
suggestions = false
[[experiment.arm]]
name = "one-card"
share = 0.4
cards = 1
[[experiment.arm]]
name = "three-cards"
share = 0.4
cards = 3
margin_weight = 0.0
pitch = false
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "store.toml"
    path.write_text(text, encoding="utf-8")
    return path


def one_arm(tmp_path, arm: str) -> Path:
    """A store.toml whose experiment sends every sale to one arm."""
    return write(tmp_path, f'[till]\nid = "t1"\nlang = "en"\n[experiment]\nname = "x"\n'
                           f'[[experiment.arm]]\nname = "only"\nshare = 1.0\n{arm}\n')


def sale_ids(n: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    return [f"t1-{uuid.UUID(int=rnd.getrandbits(128), version=4).hex}" for _ in range(n)]


# ---- store.toml ----------------------------------------------------------------------

def test_arms_are_parsed_with_their_overrides(tmp_path):
    config = load_config(write(tmp_path, THREE_ARMS))
    ex = config.experiment
    assert ex.name == "cards-2026-11"
    assert [(a.name, a.share) for a in ex.arms] == [("control", 0.2), ("one-card", 0.4),
                                                    ("three-cards", 0.4)]
    control, one, three = (settings_for(config, a.name) for a in ex.arms)
    assert control.suggestions is False
    assert one.cards == 1 and one.engine == config.engine and one.pitch is True
    assert three.cards == 3 and three.pitch is False
    # the arm's override on top of [engine], which it leaves alone otherwise
    assert three.engine.margin_weight == 0.0 and three.engine.upsell_cap == 0.4
    # no arm, or an arm the config no longer has: store.toml alone
    assert settings_for(config, None) == settings_for(config, "gone") == replace(
        one, cards=3)


def test_no_experiment_section_means_no_experiment(tmp_path):
    assert load_config(write(tmp_path, '[till]\nid = "t1"\n')).experiment is None


@pytest.mark.parametrize("text, expected", [
    (THREE_ARMS.replace("share = 0.2", "share = 0.25"),
     "share: the shares must add up to 1, not 1.05 (control 0.25 + one-card 0.4 + three-cards 0.4)"),
    (THREE_ARMS.replace("pitch = false", "pitchh = false"),
     "[[experiment.arm]] #3 'three-cards': unknown field 'pitchh'"),
    (THREE_ARMS.replace("cards = 1", "cards = 4"),
     "[[experiment.arm]] #2 'one-card': cards: 1 to 3 cards, not 4"),
    (THREE_ARMS.replace("cards = 1", 'cards = "one"'),
     "[[experiment.arm]] #2 'one-card': cards: a int expected, got 'one'"),
    (THREE_ARMS.replace("margin_weight = 0.0", "margin_weight = -1.0"),
     "'three-cards': EngineConfig.margin_weight must be a finite number >= 0, not -1.0"),
    (THREE_ARMS.replace("suggestions = false", "suggestions = 0"),
     "'control': suggestions: a bool expected, got 0"),
    (THREE_ARMS.replace('name = "one-card"', 'name = "control"'),
     "[[experiment.arm]] name 'control' used twice"),
    (THREE_ARMS.replace('name = "control"\n', ""), "[[experiment.arm]] #1: name is missing"),
    (THREE_ARMS.replace("share = 0.2\n", "share = -0.2\n"),
     "'control': share: between 0 and 1, not -0.2"),
    (THREE_ARMS.replace('name = "cards-2026-11"', ""), "[experiment] name: a non-empty string"),
    (THREE_ARMS.replace('name = "cards-2026-11"', 'name = "x"\nseed = 3'),
     "[experiment] unknown field 'seed' (known: name, arm)"),
    ('[experiment]\nname = "x"\n', "[experiment] needs at least one [[experiment.arm]]"),
])
def test_bad_experiments_are_refused_naming_file_and_field(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert expected in str(error.value)


def test_shares_within_a_billionth_of_one_are_accepted(tmp_path):
    def three(share: str) -> Path:
        return write(tmp_path, '[experiment]\nname = "x"\n' + "".join(
            f'[[experiment.arm]]\nname = "a{i}"\nshare = {share}\n' for i in range(3)))
    ex = load_config(three("0.3333333333")).experiment          # adds up to 1 - 1e-10
    assert {ex.assign(s) for s in sale_ids(300)} == {"a0", "a1", "a2"}
    assert ex.assign("a sale past the last share") in {"a0", "a1", "a2"}
    with pytest.raises(ConfigError, match="must add up to 1, not 0.99999999 "):   # 1 - 1e-8
        load_config(three("0.33333333"))


# ---- assignment ------------------------------------------------------------------------

# chi-square critical values at p = 0.001 by degrees of freedom: a fair assignment
# fails this once in a thousand seeds; the ids here are fixed, so the test is stable
CHI2_999 = {1: 10.83, 2: 13.82, 3: 16.27}


@pytest.mark.parametrize("shares", [(0.2, 0.4, 0.4), (0.5, 0.5), (0.05, 0.95), (0.1, 0.2, 0.3, 0.4)])
def test_twenty_thousand_sales_land_in_arms_as_the_shares_say(tmp_path, shares):
    text = '[experiment]\nname = "cards-2026-11"\n' + "".join(
        f'[[experiment.arm]]\nname = "a{i}"\nshare = {s}\n' for i, s in enumerate(shares))
    ex = load_config(write(tmp_path, text)).experiment
    n = 20_000
    counts = {a.name: 0 for a in ex.arms}
    for sale_id in sale_ids(n):
        counts[ex.assign(sale_id)] += 1
    chi2 = sum((counts[f"a{i}"] - n * s) ** 2 / (n * s) for i, s in enumerate(shares))
    assert chi2 < CHI2_999[len(shares) - 1], (counts, chi2)


def test_assignment_is_the_same_in_another_process(tmp_path):
    path = write(tmp_path, THREE_ARMS)
    ids = sale_ids(500, seed=2)
    here = [load_config(path).experiment.assign(s) for s in ids]
    code = ("import json, sys; from pos.till.config import load_config; "
            "ex = load_config(sys.argv[1]).experiment; "
            "print(json.dumps([ex.assign(s) for s in json.load(sys.stdin)]))")
    there = subprocess.run([sys.executable, "-c", code, str(path)], input=json.dumps(ids),
                           capture_output=True, text=True, check=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    assert json.loads(there.stdout) == here
    assert set(here) == {"control", "one-card", "three-cards"}


def test_another_experiment_name_reshuffles_the_arms(tmp_path):
    a = load_config(write(tmp_path, THREE_ARMS)).experiment
    b = replace(a, name="cards-2026-12")
    ids = sale_ids(1000, seed=3)
    same = sum(a.assign(s) == b.assign(s) for s in ids)
    # independent draws agree with probability 0.2² + 0.4² + 0.4² = 0.36
    assert 280 < same < 440


# ---- on the till ---------------------------------------------------------------------

def make_till(store, journal: Path, config_path: Path) -> Till:
    return Till(store, Journal(journal, till="t1"), load_config(config_path), lambda: EXPORT)


def test_sales_get_their_arm_in_the_journal_and_offers(tmp_path, demo_store):
    till = make_till(demo_store, tmp_path / "sales.db", write(tmp_path, THREE_ARMS))
    try:
        arms = []
        for _ in range(12):
            arms.append(till.sale.arm)
            assert till.sale.arm == till.config.experiment.assign(till.sale.sale_id)
            till.scan(scan_code(demo_store, PASTA))
            till.pay()
        conn = sqlite3.connect(tmp_path / "sales.db")
        rows = conn.execute("SELECT s.arm, o.arm FROM sales s JOIN offers o USING (sale_id)").fetchall()
        assert rows and all(sale_arm == offer_arm for sale_arm, offer_arm in rows)
        paid = [a for (a,) in conn.execute("SELECT arm FROM sales WHERE status = 'paid' "
                                           "ORDER BY started_at")]
        assert paid == arms
        assert "control" not in {a for a, _ in rows}      # the control logs no offers
    finally:
        till.close()


def test_resumed_sale_keeps_its_arm_after_a_restart_even_with_new_shares(tmp_path, demo_store):
    journal = tmp_path / "sales.db"
    till = make_till(demo_store, journal, write(tmp_path, THREE_ARMS))
    while till.sale.arm != "one-card":     # a sale in the one-card arm
        till.pay() if till.sale.lines else till.next_sale()
    sale_id = till.sale.sale_id
    till.scan(scan_code(demo_store, PASTA))
    assert len(till.cards) == 1
    till.close()
    till.journal.close()
    # restart with shares that would put this sale elsewhere now
    moved = THREE_ARMS.replace("share = 0.2", "share = 0.0").replace(
        "name = \"one-card\"\nshare = 0.4", "name = \"one-card\"\nshare = 0.0").replace(
        "name = \"three-cards\"\nshare = 0.4", "name = \"three-cards\"\nshare = 1.0")
    again = make_till(demo_store, journal, write(tmp_path, moved))
    try:
        assert again.config.experiment.assign(sale_id) == "three-cards"
        assert again.resumable.sale_id == sale_id and again.resumable.arm == "one-card"
        again.resume()
        assert again.sale.arm == "one-card" and len(again.cards) == 1
        again.scan(scan_code(demo_store, CHOC))
        assert len(again.cards) == 1
        again.pay()
        assert again.sale.arm == "three-cards"       # the next sale follows the new shares
    finally:
        again.close()


def test_control_arm_shows_no_cards_and_logs_no_offers(tmp_path, demo_store):
    till = make_till(demo_store, tmp_path / "sales.db", one_arm(tmp_path, "suggestions = false"))
    try:
        till.scan(scan_code(demo_store, PASTA))
        till.scan(scan_code(demo_store, CHOC))
        assert till.sale.arm == "only" and till.cards == [] and till.sale.offers == {}
        assert till.last_call() is None
        till.pay()
        conn = sqlite3.connect(tmp_path / "sales.db")
        assert conn.execute("SELECT count(*) FROM offers").fetchone() == (0,)
        assert conn.execute("SELECT arm, status FROM sales").fetchall()[0] == ("only", "paid")
    finally:
        till.close()


def test_one_card_arm_shows_one_card(tmp_path, demo_store):
    till = make_till(demo_store, tmp_path / "sales.db", one_arm(tmp_path, "cards = 1"))
    try:
        till.scan(scan_code(demo_store, PASTA))
        assert len(till.cards) == 1 and len(till.sale.offers) == 1
        till.decline()
        assert len(till.cards) == 1 and len(till.sale.offers) == 2   # the next best, alone
    finally:
        till.close()


def test_margin_weight_and_pitch_overrides_reach_the_engine(tmp_path, demo_store):
    till = make_till(demo_store, tmp_path / "sales.db",
                     one_arm(tmp_path, "margin_weight = 3.0\npitch = false"))
    seen = []
    real = till.engine.suggest

    def spy(*args, **kw):
        seen.append(kw.get("config"))
        return real(*args, **kw)
    till.engine.suggest = spy
    try:
        till.scan(scan_code(demo_store, CHOC))
        assert seen and all(c.margin_weight == 3.0 for c in seen)
        assert all(c.upsell_cap == EngineConfig().upsell_cap for c in seen)
        heavy = real(till.sale.basket(), k=3, now=EXPORT, config=seen[-1])
        plain = real(till.sale.basket(), k=3, now=EXPORT)
        assert [c.sku for c in till.cards] == [s.sku for s in heavy]
        assert [round(c.score, 9) for c in till.cards] == [round(s.score, 9) for s in heavy]
        assert [s.score for s in heavy] != [s.score for s in plain]     # it changes the ranking
        assert any(s.pitch for s in plain + heavy) and all(c.pitch is None for c in till.cards)
    finally:
        till.close()


def test_control_arm_in_the_app_shows_no_cards(tmp_path, demo_store):
    config = one_arm(tmp_path, "suggestions = false")

    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        assert h.till.sale.arm == "only" and len(h.till.sale.lines) == 1
        assert all(h.app.query_one(f"#card-{n}").has_class("-empty") for n in (1, 2, 3))
    run_till(demo_store, tmp_path / "sales.db", flow, config=config)
