"""A sale as events: lines, quantities, weights, label prices, voids, upgrades,
deals, offers; totals in minor units; replaying the events rebuilds it."""
import pytest

from pos.till.sale import Sale, SaleError


def add(line, sku="A", unit_price=1000, **kw):
    return {"type": "add", "line": line, "sku": sku, "item": line, "name": sku, "unit": "each",
            "unit_price": unit_price, **kw}


def test_lines_quantities_and_total():
    sale = Sale("s1")
    sale.apply(add(1, "A", 1990))
    sale.apply(add(2, "B", 500))
    sale.apply({"type": "qty", "line": 2, "qty": 3})
    assert sale.total == 1990 + 1500
    assert sale.basket() == [("A", 1.0), ("B", 3.0)]
    assert sale.next_line == 3


def test_weighed_line_rounds_to_the_minor_unit():
    sale = Sale("s1")
    sale.apply(add(1, "CHEESE", 18990, unit="kg", weight_g=452))    # 189.90/kg x 0.452 kg
    assert sale.lines[1].total == 8583                                 # 85.8348 -> 85.83
    with pytest.raises(SaleError, match="weighed"):
        sale.apply({"type": "qty", "line": 1, "qty": 2})


def test_label_price_wins():
    sale = Sale("s1")
    sale.apply(add(1, "MEAT", 20000, price=7450))
    assert sale.total == 7450


def test_void_removes_the_line_and_its_deal():
    sale = Sale("s1")
    sale.apply(add(1, "NAPPY", 20000))
    sale.apply(add(2, "WIPES", 7490))
    sale.apply({"type": "deal", "line": 2, "bundle": "B1", "name": "Nappies and wipes",
                "saving": 3000})
    assert sale.total == 20000 + 7490 - 3000
    sale.apply({"type": "void", "line": 2})
    assert sale.total == 20000 and sale.deals == []
    sale.apply(add(3, "X", 100))          # line numbers are never reused
    with pytest.raises(SaleError, match="already used"):
        sale.apply(add(2, "Y", 100))


def test_upgrade_changes_the_line_in_place():
    sale = Sale("s1")
    sale.apply(add(1, "LT-8", 899000))
    sale.apply({"type": "upgrade", "line": 1, "sku": "LT-16", "item": 9, "name": "LT-16",
                "unit_price": 1049000})
    assert [ln.sku for ln in sale.lines.values()] == ["LT-16"] and sale.total == 1049000


def test_offers_and_declines():
    sale = Sale("s1")
    sale.apply(add(1))
    sale.apply({"type": "shown", "sku": "P", "kind": "cross", "position": 1, "score": 0.5,
                "price": 100})
    sale.apply({"type": "shown", "sku": "Q", "kind": "cross", "position": 2, "score": 0.4,
                "price": 100})
    sale.apply({"type": "outcome", "sku": "P", "outcome": "declined", "reason": "not_relevant"})
    assert sale.declined == ["P"]
    assert [o.sku for o in sale.open_offers] == ["Q"]
    with pytest.raises(SaleError, match="no suggestion"):
        sale.apply({"type": "outcome", "sku": "Z", "outcome": "accepted"})


def test_bad_events_change_nothing():
    sale = Sale("s1")
    sale.apply(add(1))
    for bad in ({"type": "qty", "line": 7, "qty": 2}, {"type": "qty", "line": 1, "qty": 0},
                {"type": "void", "line": 3}, {"type": "teleport"}):
        with pytest.raises(SaleError):
            sale.apply(bad)
    assert len(sale.events) == 1 and sale.lines[1].qty == 1


def test_paid_sale_is_closed():
    sale = Sale("s1")
    sale.apply(add(1))
    sale.apply({"type": "paid", "total": sale.total})
    assert sale.done
    with pytest.raises(SaleError, match="paid"):
        sale.apply(add(2))


def test_replay_rebuilds_the_same_sale():
    sale = Sale("s1")
    for e in (add(1, "A", 100), add(2, "B", 250), {"type": "qty", "line": 1, "qty": 4},
              {"type": "customer", "customer": "C1"}, {"type": "void", "line": 2}):
        sale.apply(e)
    again = Sale.replay("s1", sale.events)
    assert (again.total, again.customer, again.basket()) == (400, "C1", [("A", 4.0)])
    sale.restore(sale.events[:2])
    assert sale.total == 350 and sale.customer is None
