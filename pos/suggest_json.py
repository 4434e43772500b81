"""Suggestions as JSON: what `pos suggest --json` and `--jsonl` write, and the
request a `--jsonl` line holds ({"basket": [...], "customer": ..., "declined": [...]}),
checked field by field."""
from __future__ import annotations

import json

FIELDS = {"basket", "customer", "declined"}


def as_dict(s) -> dict:
    """A suggestion's fields as `--jsonl` writes them."""
    return {"sku": s.sku, "name": s.name, "kind": s.kind, "score": round(s.score, 6),
            "price": s.price, "reason": s.reason}


def full_dict(s) -> dict:
    """A suggestion's fields as `--json` writes them: also its pitch, what it
    replaces, its bundle and saving (where it has them) and its source."""
    d = as_dict(s)
    for key in ("pitch", "replaces", "bundle", "saving"):
        if getattr(s, key) is not None:
            d[key] = getattr(s, key)
    d["source"] = s.source
    return d


def parse_request(line: str):
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
    entries: list[str | tuple[str, float]] = []
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


def warnings(unknown: list[str]) -> list[str]:
    return [f"unknown sku: {sku}" for sku in dict.fromkeys(unknown)]


def run_jsonl(engine, k: int, stdin, stdout) -> None:
    """One JSON line out per line in: the suggestions (and warnings), or the error."""
    for line in stdin:
        if not line.strip():
            stdout.write(json.dumps({"error": "empty line"}) + "\n")
            stdout.flush()
            continue
        try:
            basket, customer, declined = parse_request(line)
            result, unknown = engine.suggest_ex(basket, k=k, customer=customer,
                                                declined=declined)
            out: dict[str, object] = {"suggestions": [as_dict(s) for s in result]}
            if unknown:
                out["warnings"] = warnings(unknown)
        except ValueError as exc:
            out = {"error": str(exc)}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
