"""Experiments (A/B tests) on the till: arms with traffic shares, each sale put
in one arm by its id, and what each arm changes in the suggestions.

A sale's arm is a pure function of the experiment's name and the sale's id:
SHA-256 of `name NUL sale_id`, its first 8 bytes as a number in [0, 1), matched
against the arms' cumulative shares. The same sale gets the same arm in any
process, on any till, after any restart; the journal keeps it with the sale
(`sales.arm`, `offers.arm`), and a resumed sale goes on in its recorded arm.

An arm may switch suggestions off (a control), change `cards`, `per_sale`,
`last_call`, `last_call_min_score`, hide the pitch, switch the next-visit
coupon on or off (`coupons`), and override any pos.EngineConfig field; what it
leaves alone comes from store.toml.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from typing import Any, Protocol, TypeVar

from ..engine_config import EngineConfig
from ..errors import ConfigError

_T = TypeVar("_T")

SHARE_TOLERANCE = 1e-9

# arm fields besides the EngineConfig ones: name -> (type, what it changes)
_ARM_FIELDS = {"name": str, "share": float, "suggestions": bool, "cards": int, "per_sale": int,
               "last_call": bool, "last_call_min_score": float, "pitch": bool,
               "coupons": bool}
_ENGINE_FIELDS = {f.name for f in fields(EngineConfig)}


class ExperimentError(ConfigError):
    """An [experiment] table that cannot be used (the message names the field)."""


@dataclass(frozen=True)
class Arm:
    name: str
    share: float
    suggestions: bool = True
    cards: int | None = None
    per_sale: int | None = None
    last_call: bool | None = None
    last_call_min_score: float | None = None
    pitch: bool = True
    coupons: bool | None = None     # the next-visit coupon (None: as [coupons] enabled says)
    engine: tuple[tuple[str, object], ...] = ()     # EngineConfig overrides, sorted


@dataclass(frozen=True)
class Experiment:
    name: str
    arms: tuple[Arm, ...]

    def position(self, sale_id: str) -> float:
        """Where the sale falls in [0, 1): the same in every process."""
        digest = hashlib.sha256(f"{self.name}\0{sale_id}".encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") / 2.0 ** 64

    def assign(self, sale_id: str) -> str:
        """The name of the arm the sale is in."""
        u = self.position(sale_id)
        upto = 0.0
        for arm in self.arms:
            upto += arm.share
            if u < upto:
                return arm.name
        return [a for a in self.arms if a.share > 0][-1].name   # shares summing to 1 - 1e-12

    def arm(self, name: str | None) -> Arm | None:
        for arm in self.arms:
            if arm.name == name:
                return arm
        return None


@dataclass(frozen=True)
class Settings:
    """What the suggestions of one sale follow: store.toml, with its arm's overrides."""
    suggestions: bool
    cards: int
    per_sale: int
    last_call: bool
    last_call_min_score: float
    pitch: bool
    engine: EngineConfig
    coupons: bool = True            # next-visit coupons ([coupons] enabled, or the arm's)


class TillSettings(Protocol):
    """What settings_for reads of the till's config (a TillConfig, whose module
    imports this one)."""

    @property
    def cards(self) -> int: ...
    @property
    def per_sale(self) -> int: ...
    @property
    def last_call(self) -> bool: ...
    @property
    def last_call_min_score(self) -> float: ...
    @property
    def engine(self) -> EngineConfig: ...
    @property
    def experiment(self) -> Experiment | None: ...
    @property
    def coupons(self) -> Any: ...          # a CouponConfig: its `enabled`


_CACHE: dict[tuple[int, str | None], tuple[object, Settings]] = {}


def _either(mine: _T | None, theirs: _T) -> _T:
    """The arm's setting, or the base's where the arm has none."""
    return theirs if mine is None else mine


def settings_for(config: TillSettings, arm_name: str | None) -> Settings:
    """The settings of a sale in arm `arm_name` under `config` (a TillConfig). A sale
    with no arm, or an arm the config no longer has (a sale resumed after the
    experiment changed), follows store.toml alone. Cached by the config object: the
    same arm gives the same EngineConfig object, which the engine does not copy again."""
    key = (id(config), arm_name)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is config:
        return hit[1]
    if len(_CACHE) >= 256:
        _CACHE.clear()
    settings = _settings(config, arm_name)
    _CACHE[key] = (config, settings)
    return settings


def _settings(config: TillSettings, arm_name: str | None) -> Settings:
    experiment = config.experiment
    arm = experiment.arm(arm_name) if experiment is not None else None
    base = Settings(True, config.cards, config.per_sale, config.last_call,
                    config.last_call_min_score, True, config.engine, bool(config.coupons.enabled))
    if arm is None:
        return base
    overrides: dict[str, Any] = dict(arm.engine)   # EngineConfig checked them on reading
    return Settings(arm.suggestions, _either(arm.cards, base.cards), _either(arm.per_sale, base.per_sale),
                    _either(arm.last_call, base.last_call),
                    _either(arm.last_call_min_score, base.last_call_min_score), arm.pitch,
                    replace(config.engine, **overrides) if arm.engine else config.engine,
                    _either(arm.coupons, base.coupons))


def parse_experiment(where: str, table: dict[str, Any]) -> Experiment:
    """The [experiment] table of store.toml: `name`, then one [[experiment.arm]] per
    arm. ExperimentError names the file, the arm and the field."""
    for key in table:
        if key not in ("name", "arm"):
            raise ExperimentError(f"{where}: [experiment] unknown field {key!r} (known: name, arm)")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ExperimentError(f"{where}: [experiment] name: a non-empty string expected "
                              f"(it seeds the assignment), got {name!r}")
    raw = table.get("arm")
    if not isinstance(raw, list) or not raw or not all(isinstance(a, dict) for a in raw):
        raise ExperimentError(f"{where}: [experiment] needs at least one [[experiment.arm]] "
                              "table with a name and a share")
    arms = [_arm(where, i, a) for i, a in enumerate(raw, 1)]
    seen: set[str] = set()
    for arm in arms:
        if arm.name in seen:
            raise ExperimentError(f"{where}: [[experiment.arm]] name {arm.name!r} used twice")
        seen.add(arm.name)
    total = sum(a.share for a in arms)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        parts = " + ".join(f"{a.name} {a.share:g}" for a in arms)
        raise ExperimentError(f"{where}: [[experiment.arm]] share: the shares must add up to 1, "
                              f"not {total:.12g} ({parts})")
    return Experiment(name.strip(), tuple(arms))


def _arm(where: str, number: int, table: dict[str, Any]) -> Arm:
    label = f"{where}: [[experiment.arm]] #{number}"
    if isinstance(table.get("name"), str):
        label += f" {table['name']!r}"
    values: dict[str, Any] = {}
    engine: dict[str, Any] = {}
    for key, value in table.items():
        if key in _ENGINE_FIELDS:
            engine[key] = value
            continue
        kind = _ARM_FIELDS.get(key)
        if kind is None:
            known = ", ".join([*_ARM_FIELDS, "or an [engine] field"])
            raise ExperimentError(f"{label}: unknown field {key!r} (known: {known})")
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            raise ExperimentError(f"{label}: {key}: a {kind.__name__} expected, got {value!r}")
        values[key] = float(value) if kind is float else value
    for key in ("name", "share"):
        if key not in values:
            raise ExperimentError(f"{label}: {key} is missing")
    if not values["name"].strip():
        raise ExperimentError(f"{label}: name: a non-empty string expected")
    if not 0.0 <= values["share"] <= 1.0:
        raise ExperimentError(f"{label}: share: between 0 and 1, not {values['share']:g}")
    if "cards" in values and not 1 <= values["cards"] <= 3:
        raise ExperimentError(f"{label}: cards: 1 to 3 cards, not {values['cards']}")
    if "per_sale" in values and values["per_sale"] < 0:
        raise ExperimentError(f"{label}: per_sale: 0 or more, not {values['per_sale']}")
    try:
        EngineConfig(**engine)
    except (TypeError, ValueError) as exc:
        raise ExperimentError(f"{label}: {exc}") from None
    return Arm(**values, engine=tuple(sorted(engine.items())))
