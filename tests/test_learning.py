"""Learning from the store's own sales on the demo store, through the till: a
pair the store never mined becomes a suggestion after enough of today's sales;
a pair declined again and again drops out of the cards and comes back as the
declines decay; training sales never teach; a store swap and a restart rebuild
the overlay from the journal (a restart: the same suggestions, to the bit)."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from conftest import build_demo_store
from pos.engine import Engine
from pos.journal import Journal
from pos.learning import learner_from_journal
from pos.store.engine_data import FLAG_ACTIVE, FLAG_AGE_RESTRICTED, FLAG_IN_STOCK, read_engine_data
from pos.store.publish import publish
from pos.store.reader import open_store
from pos.till.config import TillConfig
from pos.till.session import Till

PASTA = "PASTA-BN-FUS-500"
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()   # the demo store's
DAY = 86400.0


class Clock:
    """UTC seconds the test moves by hand (the till's and the journal's)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def new_till(store, journal_path, clock, **config) -> Till:
    return Till(store, Journal(journal_path, "t1", clock),
                TillConfig(till_id="t1", lang="en", **config), clock)


def sell(till: Till, clock: Clock, *skus: str, decline: bool = False) -> list[str]:
    """One sale of `skus` (declining every card shown when asked), paid a minute
    later; the skus of the cards declined."""
    declined = []
    for sku in skus:
        assert till.add_sku(sku) is not None
    if decline:
        declined = [s.sku for s in till.decline()]
    clock.now += 60
    till.pay()
    return declined


def unmined_partner(store) -> str:
    """An item the store never paired with PASTA and never suggests with it, which
    could be suggested (active, in stock, priced, not age-restricted)."""
    conn = open_store(store)
    try:
        data, texts = read_engine_data(conn)
    finally:
        conn.close()
    a = texts.sku_index[PASTA]
    listed = {c for c, *_ in data.neighbours(a)}
    shown = {s.sku for s in Engine.open(store).suggest([PASTA], k=10, now=EXPORT)}
    for c in sorted(range(data.n_items), key=lambda i: texts.skus[i]):
        f = data.flags[c]
        if (c != a and c not in listed and texts.skus[c] not in shown and f & FLAG_ACTIVE
                and f & FLAG_IN_STOCK and not f & FLAG_AGE_RESTRICTED and data.price[c] > 0
                and data.family[c] < 0):
            return texts.skus[c]
    raise AssertionError("no unmined partner in the demo store")


def cards_for(till: Till, *skus: str) -> list[str]:
    """The cards a new sale of `skus` would show (the engine's best 3 now)."""
    return [s.sku for s in till.engine.suggest(list(skus), k=till.config.cards, now=till.clock())]


def test_a_pair_never_mined_becomes_a_suggestion(tmp_path, demo_store):
    partner = unmined_partner(demo_store)
    clock = Clock(EXPORT + 3600)
    till = new_till(demo_store, tmp_path / "sales.db", clock)
    assert partner not in cards_for(till, PASTA)
    for n in range(1, 21):  # noqa: B007 (n, the sales it took, is checked below)
        sell(till, clock, PASTA, partner)
        if partner in cards_for(till, PASTA):
            break
    assert partner in cards_for(till, PASTA), "20 sales together did not make it a suggestion"
    best = {s.sku: s for s in till.engine.suggest([PASTA], k=10, now=clock())}[partner]
    # the reason counts today's baskets: n of the 8 + n baskets with pasta
    assert best.anchor == PASTA and f"{round(100 * n / (8 + n))}%" in best.reason
    assert till.engine.learned.stats()["baskets"] == n
    # without the overlay, the store alone still does not suggest it
    assert partner not in {s.sku for s in till.engine.suggest([PASTA], k=10, now=clock(),
                                                             learned=False)}
    till.close()


def test_declined_pairs_drop_out_and_come_back_as_declines_decay(tmp_path, demo_store):
    clock = Clock(EXPORT + 3600)
    till = new_till(demo_store, tmp_path / "sales.db", clock)
    first = cards_for(till, PASTA)
    assert first
    for _ in range(3):
        assert sell(till, clock, PASTA, decline=True)
    now_cards = cards_for(till, PASTA)
    assert not set(first) & set(now_cards), (first, now_cards)
    assert till.engine.learned.stats()["declines"] >= 3
    clock.now += 30 * DAY            # 10 half-lives (3 days): the declines weigh 1/1000
    assert cards_for(till, PASTA) == first
    till.close()


def test_training_sales_never_feed_it(tmp_path, demo_store):
    partner = unmined_partner(demo_store)
    clock = Clock(EXPORT + 3600)
    journal = tmp_path / "sales.db"
    trainee = new_till(demo_store, journal, clock, training=True)
    before = trainee.engine.suggest([PASTA], k=10, now=clock())
    for _ in range(20):
        sell(trainee, clock, PASTA, partner)
        sell(trainee, clock, PASTA, decline=True)
    assert trainee.engine.learned.stats() == {"baskets": 0, "weight": 0.0, "pairs": 0,
                                              "declines": 0, "dropped": 0}
    assert trainee.engine.suggest([PASTA], k=10, now=clock()) == before
    trainee.close()
    # nor does a rebuild from the journal, where they are (as training sales)
    again = new_till(demo_store, journal, clock)
    assert again.journal.conn.execute("SELECT COUNT(*) FROM sales WHERE status = 'paid'"
                                      ).fetchone()[0] == 40
    assert again.engine.learned.stats()["baskets"] == 0
    assert again.engine.learned.stats()["declines"] == 0
    again.close()


def test_restart_rebuilds_the_same_overlay(tmp_path, demo_store):
    partner = unmined_partner(demo_store)
    clock = Clock(EXPORT + 3600)
    journal = tmp_path / "sales.db"
    till = new_till(demo_store, journal, clock)
    for i in range(6):
        sell(till, clock, PASTA, partner, "MILK-FG-SKIM-1L")
        sell(till, clock, PASTA, decline=True)
        sell(till, clock, "MILK-FG-SKIM-1L", partner, decline=i % 2 == 0)
    probes = [[PASTA], ["MILK-FG-SKIM-1L"], [partner], [PASTA, "MILK-FG-SKIM-1L"]]
    live = [till.engine.suggest(p, k=10, now=clock()) for p in probes]
    stats = till.engine.learned.stats()
    assert stats["baskets"] == 18 and stats["declines"] > 0
    till.close()
    again = new_till(demo_store, journal, clock)
    assert again.engine.learned.stats() == stats
    assert [again.engine.suggest(p, k=10, now=clock()) for p in probes] == live
    # and the overlay did change something
    assert [again.engine.suggest(p, k=10, now=clock(), learned=False) for p in probes] != live
    again.close()


def test_a_store_swap_rebuilds_from_the_journal(tmp_path, demo_store):
    live = tmp_path / "store.db"
    shutil.copy(demo_store, live)
    partner = unmined_partner(demo_store)
    clock = Clock(datetime(2026, 11, 21, 12, tzinfo=timezone.utc).timestamp())
    till = new_till(live, tmp_path / "sales.db", clock)
    sell(till, clock, PASTA, partner)
    sell(till, clock, PASTA, decline=True)
    old = till.engine.learned
    assert old.stats()["baskets"] == 2
    newer = build_demo_store(tmp_path / "newer", baskets=1500, export_time="2026-11-21T23:00:00Z")
    publish(newer, live)
    clock.now = datetime(2026, 11, 22, 1, tzinfo=timezone.utc).timestamp()
    sell(till, clock, PASTA, partner)      # paid on the old store, then the swap
    assert old.stats()["baskets"] == 3
    learned = till.engine.learned
    assert learned is not old and learned.engine is till.engine
    # the new store holds the sales before its export: only the last one is new;
    # the declines of the last days are kept
    assert learned.stats()["baskets"] == 1
    assert learned.stats()["declines"] == old.stats()["declines"] > 0
    till.close()


def test_learner_api(tmp_path, demo_store):
    engine = Engine.open(demo_store)
    learner = engine.new_learner()
    assert learner.add_sale([PASTA, "NO-SUCH-SKU", PASTA, "MILK-FG-SKIM-1L"]) == 2
    assert learner.add_decline(PASTA, "NO-SUCH-SKU", EXPORT) is False
    assert learner.add_decline(None, PASTA, EXPORT) is False
    assert learner.add_decline("MILK-FG-SKIM-1L", PASTA, EXPORT) is True
    assert learner.stats() == {"baskets": 1, "weight": 1.0, "pairs": 2, "declines": 1,
                               "dropped": 0}
    assert learner.memory > 0
    other = Engine.open(demo_store)
    with pytest.raises(ValueError):
        other.suggest([PASTA], learned=learner)
    # an empty journal: an empty overlay, the same suggestions as none
    journal = Journal(tmp_path / "sales.db", "t1")
    empty = learner_from_journal(engine, journal, int(EXPORT), EXPORT)
    assert empty.stats()["baskets"] == 0
    assert (engine.suggest([PASTA], k=10, now=EXPORT, learned=empty)
            == engine.suggest([PASTA], k=10, now=EXPORT))


def test_adding_while_other_threads_suggest(demo_store):
    # the Learner's lock keeps adds out of running score calls
    import threading
    engine = Engine.open(demo_store)
    engine.learned = engine.new_learner()
    partner = unmined_partner(demo_store)
    errors: list[BaseException] = []
    done = threading.Event()

    def suggest() -> None:
        try:
            while not done.is_set():
                engine.suggest([PASTA], k=10, now=EXPORT)
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=suggest) for _ in range(2)]
    for t in threads:
        t.start()
    for i in range(300):
        engine.learned.add_sale([PASTA, partner])
        engine.learned.add_decline(PASTA, partner, EXPORT + i)
    done.set()
    for t in threads:
        t.join()
    assert not errors
    assert engine.learned.stats()["baskets"] == 300
    assert engine.learned.stats()["declines"] == 300
