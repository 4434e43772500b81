"""The demo store's baskets that show each kind of suggestion: `pos demo`
suggests for them, and the till's F8 (the emulator) scans their items first."""
from __future__ import annotations

# (title, skus of the demo catalog (pos/demo/data/), loyalty customer or None)
DEMO_BASKETS = [
    ("a phone", ["PH-AU8-128-BLK"], None),
    ("breakfast shopping", ["BREAD-BK-GROV-STD", "BUTTER-FG-SALT-250", "COF-NL-MEDFIL-500"], None),
    ("milk", ["MILK-FG-SKIM-1L"], None),
    ("nappies", ["NAPPY-LB-S4-40"], None),
    ("pasta, loyalty customer C10646", ["PASTA-BN-FUS-500"], "C10646"),
]
