"""`pos suggest`: suggestions for one basket (a table or JSON), or for one basket
per stdin line (`--jsonl`, one output line per input line)."""
from __future__ import annotations

import json
import sys

EXIT_OK, EXIT_STORE = 0, 5
FIELDS = {"basket", "customer", "declined"}


def _as_dict(s) -> dict:
    return {"sku": s.sku, "name": s.name, "kind": s.kind, "score": round(s.score, 6),
            "price": s.price, "reason": s.reason}


def _full(s) -> dict:
    d = _as_dict(s)
    for key in ("pitch", "replaces", "bundle", "saving"):
        if getattr(s, key) is not None:
            d[key] = getattr(s, key)
    d["source"] = s.source
    return d


def _parse_line(line: str):
    """(basket, customer, declined) or raises ValueError with the reason."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object like {\"basket\": [\"sku\", ...]}")
    extra = sorted(set(obj) - FIELDS)
    if extra:
        raise ValueError(f"unknown field(s): {', '.join(extra)}")
    if "basket" not in obj:
        raise ValueError("missing field: basket")
    basket = obj["basket"]
    if not isinstance(basket, list):
        raise ValueError("basket must be a list")
    entries = []
    for entry in basket:
        if isinstance(entry, str):
            entries.append(entry)
        elif (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
              and isinstance(entry[1], (int, float)) and not isinstance(entry[1], bool)
              and entry[1] > 0):
            entries.append((entry[0], entry[1]))
        else:
            raise ValueError(f"a basket entry must be \"sku\" or [\"sku\", quantity > 0], "
                             f"not {json.dumps(entry, ensure_ascii=False)}")
    customer = obj.get("customer")
    if customer is not None and not isinstance(customer, str):
        raise ValueError("customer must be a string")
    declined = obj.get("declined", [])
    if not isinstance(declined, list) or not all(isinstance(s, str) for s in declined):
        raise ValueError("declined must be a list of skus")
    return entries, customer, declined


def _warnings(unknown: list[str]) -> list[str]:
    return [f"unknown sku: {sku}" for sku in dict.fromkeys(unknown)]


def run_jsonl(engine, k: int, stdin, stdout) -> None:
    for line in stdin:
        if not line.strip():
            stdout.write(json.dumps({"error": "empty line"}) + "\n")
            stdout.flush()
            continue
        try:
            basket, customer, declined = _parse_line(line)
            result, unknown = engine.suggest_ex(basket, k=k, customer=customer,
                                                declined=declined)
            out = {"suggestions": [_as_dict(s) for s in result]}
            if unknown:
                out["warnings"] = _warnings(unknown)
        except ValueError as exc:
            out = {"error": str(exc)}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from .engine import Engine
    from .errors import StoreError

    err = Console(stderr=True, soft_wrap=True)
    try:
        engine = Engine.open(args.db, lang=args.lang)
    except StoreError as exc:
        err.print(f"[bold red]pos suggest:[/] {exc}", highlight=False)
        return EXIT_STORE
    if args.jsonl:
        if args.skus:
            err.print("pos suggest: --jsonl reads the baskets from stdin; give no skus")
            return 2
        run_jsonl(engine, args.k, sys.stdin, sys.stdout)
        return EXIT_OK
    if not args.skus:
        err.print("pos suggest: give the basket's skus (or --jsonl)")
        return 2
    result, unknown = engine.suggest_ex(args.skus, k=args.k, customer=args.customer,
                                        declined=args.declined or ())
    if args.json:
        out = {"suggestions": [_full(s) for s in result]}
        if unknown:
            out["warnings"] = _warnings(unknown)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    for warning in _warnings(unknown):
        err.print(f"warning: {warning}", highlight=False, markup=False)
    table = Table(title=f"Suggestions for {', '.join(args.skus)}")
    for column in ("#", "kind", "sku", "name", "price", "reason"):
        table.add_column(column, overflow="fold")
    for rank, s in enumerate(result, 1):
        price = ("+" if s.kind == "upsell" else "") + engine.money(s.price)
        table.add_row(str(rank), s.kind, s.sku, s.name, price, s.reason, style=None)
    if not result:
        err.print("no suggestions for this basket")
    Console(soft_wrap=True).print(table)
    return EXIT_OK
