"""Suggestions as JSON: what `pos suggest --json` and `--jsonl` write, and the
request a `--jsonl` line holds ({"basket": [...], "customer": ..., "declined": [...]}),
checked field by field.

`answer_line` is one `--jsonl` line's answer; the hub's `POST /v1/suggest`
(pos.hub.suggest) gives the same object for the same request: `load_request`
and `check_request` (a bad request: ValueError with the reason, the `--jsonl`
line's "error"), then `answer`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from .engine import Engine, Suggestion

FIELDS = {"basket", "customer", "declined"}


class Request(NamedTuple):
    """A checked request: the basket (skus or (sku, quantity) pairs), the loyalty
    customer, the skus declined."""
    basket: list[str | tuple[str, float]]
    customer: str | None
    declined: list[str]


def as_dict(s: Suggestion) -> dict[str, object]:
    """A suggestion's fields as `--jsonl` writes them. `anchor`: the basket sku that
    explains it (an upsell's: the line it upgrades), or None; a till reports it
    back with a decline, which teaches the day's learning (pos.learning)."""
    return {"sku": s.sku, "name": s.name, "kind": s.kind, "score": round(s.score, 6),
            "price": s.price, "reason": s.reason, "anchor": s.anchor}


def full_dict(s: Suggestion) -> dict[str, object]:
    """A suggestion's fields as `--json` writes them: also its pitch, what it
    replaces, its bundle and saving (where it has them) and its source."""
    d = as_dict(s)
    for key in ("pitch", "replaces", "bundle", "saving"):
        if getattr(s, key) is not None:
            d[key] = getattr(s, key)
    d["source"] = s.source
    return d


def load_request(line: str | bytes) -> object:
    """A request's JSON (a `--jsonl` line, or a body as UTF-8 bytes), decoded;
    ValueError with the reason."""
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        return json.loads(text)
    except UnicodeDecodeError:
        raise ValueError("not JSON: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ValueError("not JSON: nested too deep") from None


def check_request(obj: object) -> Request:
    """The checked request of a decoded JSON object; ValueError with the reason."""
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
    return Request(entries, customer, declined)


def parse_request(line: str | bytes) -> Request:
    """(basket, customer, declined) or raises ValueError with the reason."""
    return check_request(load_request(line))


def warnings(unknown: list[str]) -> list[str]:
    return [f"unknown sku: {sku}" for sku in dict.fromkeys(unknown)]


def answer(engine: Engine, request: Request, k: int) -> dict[str, object]:
    """The suggestions (and warnings) for a checked request, on the engine's own
    overlay (`engine.learned`); ValueError when the engine refuses it (a quantity
    that is not finite)."""
    result, unknown = engine.suggest_ex(request.basket, k=k, customer=request.customer,
                                        declined=request.declined)
    out: dict[str, object] = {"suggestions": [as_dict(s) for s in result]}
    if unknown:
        out["warnings"] = warnings(unknown)
    return out


def answer_line(engine: Engine, k: int, line: str) -> dict[str, object]:
    """One `--jsonl` line's answer: the suggestions (and warnings), or the error."""
    if not line.strip():
        return {"error": "empty line"}
    try:
        return answer(engine, parse_request(line), k)
    except ValueError as exc:
        return {"error": str(exc)}


def run_jsonl(engine: Engine, k: int, stdin: TextIO, stdout: TextIO) -> None:
    """One JSON line out per line in: the suggestions (and warnings), or the error."""
    for line in stdin:
        stdout.write(json.dumps(answer_line(engine, k, line), ensure_ascii=False) + "\n")
        stdout.flush()
