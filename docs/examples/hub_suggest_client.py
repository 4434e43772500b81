"""A till that is not pos, using the store hub as its recommender (docs/hub.md,
"Suggestions for tills that are not pos"). It needs only httpx.

    python hub_suggest_client.py --hub http://10.0.0.5:8700 --token-file odoo1.token \\
        --client odoo1 --currency NOK --accept 1 PASTA-BN-FUS-500:2990 MILK-FG-SKIM-1L:2190

Each SKU:PRICE is a line of the basket at its unit price in minor units (2990 is
29.90). The client asks POST /v1/suggest for the basket and shows the
suggestions; the customer takes card --accept (0: none) and declines the others;
then the client posts the paid sale, with every suggestion shown and its outcome,
to POST /v1/sales, so that the hub keeps them in the store's offer log and
learns from them as it does from a pos till's sales. `--client` is the name the
client was enrolled as (`pos hub enroll odoo1`), its token in --token-file.
"""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import httpx

# Shopify POS gives an app 3 s for its recommendations. Ask for less: without an
# answer in time, the sale goes on without suggestions.
SUGGEST_TIMEOUT = httpx.Timeout(1.0, connect=0.5)
SALE_TIMEOUT = httpx.Timeout(10.0)


def suggest(hub: httpx.Client, basket: list[str], customer: str | None,
            declined: list[str]) -> list[dict]:
    """The hub's suggestions for the basket; none when it is away, slow or refuses."""
    try:
        r = hub.post("/v1/suggest", timeout=SUGGEST_TIMEOUT,
                     json={"basket": basket, "customer": customer, "declined": declined})
    except httpx.HTTPError as exc:
        print(f"no suggestions: the hub did not answer ({exc!r})", file=sys.stderr)
        return []
    if r.status_code != 200:
        print(f"no suggestions: {r.status_code} {r.json()['error']}", file=sys.stderr)
        return []
    answer = r.json()
    for warning in answer.get("warnings", []):       # e.g. "unknown sku: X"
        print(f"hub: {warning}", file=sys.stderr)
    return answer["suggestions"]


def take(lines: list[dict], card: dict) -> int:
    """Puts an accepted suggestion into the sale; what it added (minor units)."""
    if card["kind"] == "upsell":              # the line of its anchor, upgraded: price is the step
        line = next(line for line in lines if line["sku"] == card["anchor"])
        line["sku"] = card["sku"]
        line["unit_price"] += card["price"]
        line["total"] = line["unit_price"] * line["qty"]
        return card["price"] * line["qty"]
    lines.append({"line": len(lines) + 1, "sku": card["sku"], "qty": 1, "weight_g": None,
                  "unit_price": card["price"], "total": card["price"]})
    return card["price"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hub", required=True, help="the hub's URL, http://HOST:PORT")
    p.add_argument("--token-file", type=Path, required=True)
    p.add_argument("--client", required=True, help="the id this client was enrolled as")
    p.add_argument("--currency", required=True, help="the store's currency, e.g. NOK")
    p.add_argument("--exponent", type=int, default=2, help="its decimals (default 2)")
    p.add_argument("--customer", help="the loyalty customer's id, if known")
    p.add_argument("--accept", type=int, default=1, help="the card the customer takes (0: none)")
    p.add_argument("--reason", choices=("not_relevant", "too_expensive", "already_has"),
                   help="why the others were declined (default: none given)")
    p.add_argument("lines", nargs="+", metavar="SKU:PRICE")
    args = p.parse_args()

    lines = []
    for n, text in enumerate(args.lines, 1):
        sku, _, price = text.rpartition(":")
        lines.append({"line": n, "sku": sku, "qty": 1, "weight_g": None,
                      "unit_price": int(price), "total": int(price)})
    token = args.token_file.read_text().strip()
    started_at = time.time()

    with httpx.Client(base_url=args.hub, headers={"Authorization": f"Bearer {token}"}) as hub:
        cards = suggest(hub, [line["sku"] for line in lines], args.customer, declined=[])
        shown_at = time.time()
        for n, card in enumerate(cards, 1):
            step = "+" if card["kind"] == "upsell" else " "
            print(f"{n}. {card['kind']:<6} {card['sku']:<22} {step}"
                  f"{card['price'] / 10 ** args.exponent:>9.2f}  {card['reason']}")

        # ... the customer looks at the cards; here: takes card --accept, declines the rest.
        # (Asking again later in the sale, send the declined skus in "declined".)
        decided_at = time.time()
        offers = []
        for n, card in enumerate(cards, 1):
            accepted = n == args.accept
            offers.append({
                "sku": card["sku"], "kind": card["kind"], "position": n,
                "score": card["score"], "price": card["price"], "anchor": card["anchor"],
                "outcome": "accepted" if accepted else "declined",
                "reason": None if accepted else args.reason,
                "revenue": take(lines, card) if accepted else 0, "margin": None,
                "shown_at": shown_at, "outcome_at": decided_at})

        sale = {"sale_id": f"{args.client}-{uuid.uuid4().hex}", "till": args.client,
                "training": False, "started_at": started_at, "paid_at": time.time(),
                "cashier": None, "customer": args.customer, "arm": None,
                "currency": args.currency, "currency_exponent": args.exponent,
                "total": sum(line["total"] for line in lines), "lines": lines, "offers": offers}
        # A real till keeps the sale and sends it again until it gets 201 or 200
        # (a repeat is not stored twice), as pos's tills do from their outbox.
        r = hub.post("/v1/sales", json=sale, timeout=SALE_TIMEOUT)
        print(f"sale {sale['sale_id']}: {r.status_code} {r.json()}")
        return 0 if r.status_code in (200, 201) else 1


if __name__ == "__main__":
    sys.exit(main())
