"""Electronics (phones and their accessories, audio, computers, tablets, TVs,
service plans) and small appliances."""
from __future__ import annotations

from ..names import X

# code, brand, model, storage (GB), prices, colours, popularity, memory-card slot, active
PHONES = [
    ("NTX5", "Nordtek", "X5", [128, 256, 512], [7990, 8990, 10490], ["BLK", "WHT", "BLU"], 1.0, False, True),
    ("NTX5P", "Nordtek", "X5 Pro", [256, 512, 1024], [11990, 13490, 15990], ["BLK", "SLV"], 0.45, False, True),
    ("NTA3", "Nordtek", "A3", [64, 128, 256], [2990, 3490, 3990], ["BLK", "GRN", "WHT"], 1.1, True, True),
    ("AU8", "Aurora", "8", [128, 256, 512], [6490, 7290, 8490], ["BLK", "PNK", "BLU"], 0.8, False, True),
    ("AU8L", "Aurora", "8 Lite", [64, 128], [3290, 3790], ["BLK", "WHT"], 0.9, True, True),
    ("FJ1", "Fjordtel", "One", [64, 128, 256], [1990, 2390, 2790], ["BLK", "RED"], 0.8, True, True),
    ("NTX4", "Nordtek", "X4", [64, 128], [5990, 6990], ["BLK", "WHT"], 0.9, False, False),
]
CASES = [  # type, noun, price, colours, popularity
    ("SIL", X("silicone case|silikondeksel|silikonskal|szilikon tok|כיסוי סיליקון"), 249, ["BLK", "BLU", "RED", "PNK", "GRN", "WHT", "PUR"], 1.0),
    ("CLR", X("clear case|gjennomsiktig deksel|genomskinligt skal|átlátszó tok|כיסוי שקוף"), 199, [None], 0.9),
    ("WAL", X("wallet case|lommebokdeksel|plånboksfodral|pénztárcás tok|כיסוי ארנק"), 399, ["BLK", "BRN", "BEI"], 0.45),
    ("RUG", X("rugged case|robust deksel|tåligt skal|ütésálló tok|כיסוי מוקשח"), 349, ["BLK", "GRY"], 0.35),
]


# the departments made here, by code
DEPARTMENTS = ()
