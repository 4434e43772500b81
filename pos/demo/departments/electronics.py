"""Electronics (phones and their accessories, audio, computers, tablets, TVs,
service plans) and small appliances."""
from __future__ import annotations

from ..names import RAW, S, Size, X, same
from ..pitches import PITCH
from ..prices import round_price
from ..ranges import COL, COL_POP, TIER_POP

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


def electronics(C):
    phone = X("smartphone|smarttelefon|smartphone|okostelefon|סמארטפון")
    for code, brand, model, storages, prices, cols, pop, sd, active in PHONES:
        full = f"{brand} {model}"
        for col in cols:
            fam = f"phone-{code}-{col}".lower()
            for t, (gb, nok) in enumerate(zip(storages, prices), 1):
                size = S(1, "TB") if gb >= 1024 else S(gb, "GB")
                tag = "1TB" if gb >= 1024 else str(gb)
                C.add(f"PH-{code}-{tag}-{col}", phone, brand=brand, model=model, size=size,
                      colour=COL[col], price=round_price(nok, "e"), margin=0.14,
                      category="Electronics > Phones", group="phone", family=fam, tier=t,
                      pitch=PITCH["storage"] if t > 1 else None,
                      pop=pop * TIER_POP[t] * COL_POP[col], durable=True, active=active,
                      stock=(0, 3) if not active else (1, 12), qty="one",
                      meta={"model": code, "sd": sd, "colour": col})
        for ctype, noun, nok, ccols, cpop in CASES:
            for col in ccols:
                sku = f"CASE-{code}-{ctype}" + (f"-{col}" if col else "")
                C.add(sku, noun, brand="Skallvik", for_=full, colour=COL[col] if col else None,
                      price=round_price(nok, "e"), margin=0.62,
                      category="Electronics > Phone accessories > Cases", group="case",
                      pitch=PITCH["case_" + ctype], pop=pop * cpop * COL_POP.get(col, 0.9),
                      durable=True, active=active, stock=(0, 4) if not active else (2, 20),
                      qty="one", meta={"model": code, "colour": col, "type": ctype})
        if brand == "Nordtek" and active:
            for col in ("BLK", "BLU", "SLV", "PNK"):
                C.add(f"CASE-{code}-NT-{col}", X("official silicone case|original silikondeksel|originalt silikonskal|gyári szilikon tok|כיסוי סיליקון מקורי"),
                      brand="Nordtek", for_=full, colour=COL[col], price=49900, margin=0.55,
                      category="Electronics > Phone accessories > Cases", group="case",
                      pitch=X("Made by Nordtek for this exact model|Laget av Nordtek for akkurat denne modellen|Gjort av Nordtek för exakt den här modellen|A Nordtek gyártja pont ehhez a modellhez|מיוצר על ידי Nordtek בדיוק לדגם הזה"),
                      pop=pop * 0.3 * COL_POP[col], durable=True, stock=(1, 10), qty="one",
                      meta={"model": code, "colour": col, "type": "NT"})
        for gtype, noun, nok, gpop in (
                ("STD", X("tempered glass screen protector|skjermbeskytter i herdet glass|skärmskydd i härdat glas|edzett üveg kijelzővédő|מגן מסך מזכוכית מחוסמת"), 199, 1.0),
                ("PRIV", X("privacy screen protector|skjermbeskytter med innsynsvern|skärmskydd med insynsskydd|betekintésvédő kijelzővédő|מגן מסך פרטיות"), 299, 0.3)):
            C.add(f"GLASS-{code}-{gtype}", noun, brand="Skallvik", for_=full,
                  price=round_price(nok, "e"), margin=0.7,
                  category="Electronics > Phone accessories > Screen protection",
                  group="glass", pitch=PITCH["glass_" + gtype], pop=pop * gpop, durable=True,
                  active=active, stock=(2, 25), qty="one", meta={"model": code})

    cat = "Electronics > Charging & cables"
    charger = X("USB-C charger|USB-C-lader|USB-C-laddare|USB-C töltő|מטען USB-C")
    for col in ("WHT", "BLK"):
        for t, (w, nok) in enumerate(((20, 199), (35, 299), (65, 499)), 1):
            C.add(f"CHG-LY-USBC-{w}W-{col}", charger, brand="Lynet", size=S(w, "W"),
                  colour=COL[col], price=round_price(nok, "e"), margin=0.55, category=cat,
                  group="charger", family=f"charger-usbc-{col}".lower(), tier=t,
                  pitch=PITCH[f"charger{t}"], pop=TIER_POP[t] * COL_POP[col], durable=True,
                  stock=(3, 30), qty="one", meta={"watt": w})
    C.add("CHG-LY-WIRELESS-15W", X("wireless charger|trådløs lader|trådlös laddare|vezeték nélküli töltő|מטען אלחוטי"),
          brand="Lynet", size=S(15, "W"), price=34900, margin=0.55, category=cat,
          group="wireless_charger", pop=0.5, durable=True, qty="one")
    C.add("CHG-LY-STAND-3IN1", X("3-in-1 charging stand|3-i-1 ladestativ|3-i-1 laddställ|3 az 1-ben töltőállvány|מעמד טעינה 3 ב-1"),
          brand="Lynet", price=79900, margin=0.5, category=cat, group="wireless_charger",
          pop=0.2, durable=True, qty="one")
    C.add("CHG-LY-CAR-30W", X("car charger|billader|billaddare|autós töltő|מטען לרכב"),
          brand="Lynet", size=S(30, "W"), price=24900, margin=0.55, category=cat,
          group="car_charger", pop=0.4, durable=True, qty="one")
    pb = X("power bank|powerbank|powerbank|powerbank|סוללה ניידת")
    for col in ("BLK", "WHT"):
        for t, (mah, nok) in enumerate(((10000, 349), (20000, 549)), 1):
            C.add(f"PWR-LY-{mah // 1000}K-{col}", pb, brand="Lynet", size=S(mah, "mAh"),
                  colour=COL[col], price=round_price(nok, "e"), margin=0.5, category=cat,
                  group="powerbank", family=f"powerbank-ly-{col}".lower(), tier=t,
                  pitch=PITCH["powerbank2"] if t == 2 else None,
                  pop=0.7 * TIER_POP[t] * COL_POP[col], durable=True, qty="one")
    cc = X("USB-C to USB-C cable|USB-C til USB-C-kabel|USB-C till USB-C-kabel|USB-C – USB-C kábel|כבל USB-C ל-USB-C")
    ac = X("USB-A to USB-C cable|USB-A til USB-C-kabel|USB-A till USB-C-kabel|USB-A – USB-C kábel|כבל USB-A ל-USB-C")
    braided = X("braided|flettet|flätad|szövött|קלוע")
    for col in ("BLK", "WHT"):
        for m in (1, 2):
            C.add(f"CBL-LY-CC-{m}M-{col}", cc, brand="Lynet", size=S(m, "m"), colour=COL[col],
                  price=round_price(129 + 50 * (m - 1), "e"), margin=0.7, category=cat,
                  group="cable", pop=0.8 * COL_POP[col] / m, durable=True)
            C.add(f"CBL-LY-CCB-{m}M-{col}", cc, brand="Lynet", var=(braided,), size=S(m, "m"),
                  colour=COL[col], price=round_price(199 + 50 * (m - 1), "e"), margin=0.72,
                  category=cat, group="cable", pitch=PITCH["braided"],
                  pop=0.35 * COL_POP[col] / m, durable=True)
        C.add(f"CBL-LY-AC-1M-{col}", ac, brand="Lynet", size=S(1, "m"), colour=COL[col],
              price=9900, margin=0.7, category=cat, group="cable", pop=0.5 * COL_POP[col],
              durable=True)
    hdmi = X("HDMI cable|HDMI-kabel|HDMI-kabel|HDMI kábel|כבל HDMI")
    for spec, nok, ppop in (("4K", 149, 1.0), ("8K", 299, 0.4)):
        for m in (1.5, 3):
            C.add(f"CBL-LY-HDMI{spec}-{str(m).replace('.', '')}M", hdmi, brand="Lynet",
                  var=(same(spec),), size=S(m, "m"), price=round_price(nok + 50 * (m > 2), "e"),
                  margin=0.7, category=cat, group="hdmi",
                  pitch=PITCH["hdmi8k"] if spec == "8K" else None, pop=ppop / m, durable=True)

    cat = "Electronics > Memory"
    sd = X("microSD memory card|microSD-minnekort|microSD-minneskort|microSD memóriakártya|כרטיס זיכרון microSD")
    for brand, bcode, f, bpop in (("Datavik", "DV", 1.0, 1.0), ("Nordtek", "NT", 1.25, 0.6)):
        for t, (gb, nok) in enumerate(((64, 129), (128, 199), (256, 349), (512, 649)), 1):
            C.add(f"MSD-{bcode}-{gb}", sd, brand=brand, size=S(gb, "GB"),
                  price=round_price(nok * f, "e"), margin=0.55, category=cat, group="microsd",
                  family=f"microsd-{bcode}".lower(), tier=t,
                  pitch=PITCH["memory2"] if t > 1 else PITCH["memory1"],
                  pop=bpop * TIER_POP[t], durable=True, qty="one", meta={"gb": gb})
    usb = X("USB flash drive|minnepenn|USB-minne|pendrive|דיסק און קי")
    for t, (gb, nok) in enumerate(((32, 99), (64, 149), (128, 229)), 1):
        C.add(f"USB-DV-{gb}", usb, brand="Datavik", size=S(gb, "GB"), price=round_price(nok, "e"),
              margin=0.55, category=cat, group="usb_drive", family="usb-dv", tier=t,
              pitch=PITCH["memory2"] if t > 1 else None, pop=0.4 * TIER_POP[t], durable=True)

    cat = "Electronics > Audio"
    buds = X("wireless earbuds|trådløse ørepropper|trådlösa hörlurar|vezeték nélküli fülhallgató|אוזניות אלחוטיות")
    for brand, line in (("Sonora", [("Buds", 499, None), ("Buds Pro", 1290, "anc")]),
                        ("Nordtek", [("Buds Lite", 399, None), ("Buds 2", 990, "better_sound"),
                                     ("Buds Pro 2", 2290, "anc")])):
        for col in ("BLK", "WHT"):
            for t, (model, nok, pk) in enumerate(line, 1):
                C.add(f"EAR-{brand[:2].upper()}-{model.replace(' ', '').upper()}-{col}", buds,
                      brand=brand, model=model, colour=COL[col], price=round_price(nok, "e"),
                      margin=0.35, category=cat, group="earbuds",
                      family=f"earbuds-{brand}-{col}".lower(), tier=t,
                      pitch=PITCH[pk] if pk else None, pop=0.9 * TIER_POP[t] * COL_POP[col],
                      durable=True, qty="one")
    C.add("EAR-NO-BUDS3-BLK", buds, brand="Nordtek", model="Buds 3", colour=COL["BLK"],
          price=149000, margin=0.35, category=cat, group="earbuds", durable=True,
          history=False, stock=(10, 20), qty="one", meta={"new": True})
    hp = X("over-ear headphones|hodetelefoner|hörlurar|fejhallgató|אוזניות קשת")
    spk = X("Bluetooth speaker|Bluetooth-høyttaler|Bluetooth-högtalare|Bluetooth hangszóró|רמקול בלוטות'")
    for col in ("BLK", "SLV"):
        for t, (model, nok) in enumerate((("Studio", 1490), ("Studio ANC", 2490)), 1):
            C.add(f"HP-SO-{model.replace(' ', '').upper()}-{col}", hp, brand="Sonora", model=model,
                  colour=COL[col], price=round_price(nok, "e"), margin=0.33, category=cat,
                  group="headphones", family=f"headphones-so-{col}".lower(), tier=t,
                  pitch=PITCH["anc"] if t == 2 else None, pop=0.35 * TIER_POP[t] * COL_POP[col],
                  durable=True, qty="one")
    for col in ("BLK", "BLU"):
        for t, (model, nok) in enumerate((("Go Mini", 399), ("Go", 799), ("Go XL", 1490)), 1):
            C.add(f"SPK-SO-{model.replace(' ', '').upper()}-{col}", spk, brand="Sonora", model=model,
                  colour=COL[col], price=round_price(nok, "e"), margin=0.35, category=cat,
                  group="speaker", family=f"speaker-so-{col}".lower(), tier=t,
                  pitch=PITCH["louder"] if t > 1 else None, pop=0.45 * TIER_POP[t] * COL_POP[col],
                  durable=True, qty="one", season="summer+")

    cat = "Electronics > Wearables"
    watch = X("smartwatch|smartklokke|smartklocka|okosóra|שעון חכם")
    for col in ("BLK", "SLV"):
        for t, (model, nok) in enumerate((("Watch 3", 2990), ("Watch 3 LTE", 3690)), 1):
            C.add(f"WATCH-NT-{model.replace(' ', '').upper()}-{col}", watch, brand="Nordtek",
                  model=model, colour=COL[col], price=round_price(nok, "e"), margin=0.2,
                  category=cat, group="watch", family=f"watch-nt3-{col}".lower(), tier=t,
                  pitch=PITCH["lte"] if t == 2 else None, pop=0.35 * TIER_POP[t] * COL_POP[col],
                  durable=True, qty="one")
    band = X("fitness band|aktivitetsarmbånd|aktivitetsarmband|aktivitásmérő karkötő|צמיד כושר")
    for col in ("BLK", "PNK"):
        C.add(f"BAND-FJ-2-{col}", band, brand="Fjordtel", model="Band 2", colour=COL[col],
              price=49900, margin=0.35, category=cat, group="watch", pop=0.3 * COL_POP[col],
              durable=True, qty="one")
    strap = X("sport strap|sportsreim|sportarmband|sport szíj|רצועת ספורט")
    for col in ("BLK", "BLU", "PNK", "GRN"):
        C.add(f"STRAP-NT-W3-{col}", strap, brand="Nordtek", for_="Watch 3", colour=COL[col],
              price=29900, margin=0.7, category=cat, group="strap", pitch=PITCH["strap"],
              pop=0.25 * COL_POP[col], durable=True, qty="one")

    cat = "Electronics > Computers > Laptops"
    laptop = X("laptop|bærbar PC|bärbar dator|laptop|מחשב נייד")
    specs = {8: "8 GB RAM, 256 GB SSD", 16: "16 GB RAM, 512 GB SSD", 32: "32 GB RAM, 1 TB SSD"}
    for code, brand, model, inch, rams, prices, cols, pop in (
            ("NTB13", "Nordtek", "Book 13", 13, [8, 16, 32], [7990, 9990, 13990], ["SLV", "GRY"], 1.0),
            ("NTB15", "Nordtek", "Book 15", 15, [8, 16, 32], [9490, 11490, 15490], ["SLV"], 0.7),
            ("KVA14", "Kvasar", "Aero 14", 14, [8, 16, 32], [6490, 8490, 11990], ["GRY"], 0.9),
            ("KVP16", "Kvasar", "Play 16", 16, [16, 32], [12990, 16990], ["BLK"], 0.35)):
        for col in cols:
            for t, (ram, nok) in enumerate(zip(rams, prices), 1):
                C.add(f"LT-{code}-{ram}-{col}", laptop, brand=brand, model=model,
                      size=RAW(specs[ram]), colour=COL[col], price=round_price(nok, "e"),
                      margin=0.12, category=cat, group="laptop", family=f"laptop-{code}-{col}".lower(),
                      tier=t, pitch=PITCH["laptop"] if t > 1 else None,
                      pop=pop * TIER_POP[t] * COL_POP[col], durable=True, stock=(0, 6), qty="one",
                      meta={"inch": inch, "model": code})
    cat = "Electronics > Computers > Accessories"
    sleeve = X("laptop sleeve|PC-hylster|datorfodral|laptoptok|שרוול למחשב נייד")
    for inch in (13, 14, 15, 16):
        for col in ("GRY", "BLK"):
            C.add(f"SLV-SK-{inch}-{col}", sleeve, brand="Skallvik", size=Size(inch, "in"),
                  colour=COL[col], price=round_price(299 + 25 * (inch - 13), "e"), margin=0.6,
                  category=cat, group="sleeve", pitch=PITCH["sleeve"], pop=0.5 * COL_POP[col],
                  durable=True, qty="one", meta={"inch": inch})
    mouse = X("wireless mouse|trådløs mus|trådlös mus|vezeték nélküli egér|עכבר אלחוטי")
    for col in ("BLK", "WHT"):
        for t, (model, nok) in enumerate((("Click", 199), ("Click Silent", 299), ("Click Pro", 799)), 1):
            C.add(f"MOUSE-LY-{model.replace(' ', '').upper()}-{col}", mouse, brand="Lynet",
                  model=model, colour=COL[col], price=round_price(nok, "e"), margin=0.5,
                  category=cat, group="mouse", family=f"mouse-ly-{col}".lower(), tier=t,
                  pitch={2: PITCH["mouse2"], 3: PITCH["mouse3"]}.get(t),
                  pop=0.8 * TIER_POP[t] * COL_POP[col], durable=True, qty="one")
    hub = X("USB-C hub|USB-C-hub|USB-C-hubb|USB-C elosztó|מפצל USB-C")
    for t, (ports, nok) in enumerate(((4, 299), (7, 599)), 1):
        C.add(f"HUB-LY-{ports}P", hub, brand="Lynet",
              var=((f"{ports} ports", f"{ports} porter", f"{ports} portar", f"{ports} portos",
                    f"{ports} יציאות"),), price=round_price(nok, "e"), margin=0.5, category=cat,
              group="hub", family="hub-ly", tier=t, pitch=PITCH["hub2"] if t == 2 else None,
              pop=0.5 * TIER_POP[t], durable=True, qty="one")
    C.add("STAND-SK-LAPTOP", X("laptop stand|PC-stativ|datorställ|laptopállvány|מעמד למחשב נייד"),
          brand="Skallvik", price=39900, margin=0.6, category=cat, group="laptop_extra", pop=0.3,
          durable=True, qty="one")
    C.add("KB-LY-NORDIC", X("wireless keyboard, Nordic layout|trådløst tastatur, nordisk|trådlöst tangentbord, nordisk layout|vezeték nélküli billentyűzet, skandináv kiosztás|מקלדת אלחוטית, פריסה נורדית"),
          brand="Lynet", price=49900, margin=0.45, category=cat, group="laptop_extra", pop=0.35,
          durable=True, qty="one")
    for col in ("BLK", "GRY"):
        C.add(f"BAG-SK-15-{col}", X("laptop backpack|PC-sekk|datorryggsäck|laptophátizsák|תיק גב למחשב נייד"),
              brand="Skallvik", size=Size(15, "in"), colour=COL[col], price=59900, margin=0.55,
              category=cat, group="laptop_extra", pop=0.3 * COL_POP[col], durable=True, qty="one",
              season="school+")

    cat = "Electronics > Tablets"
    tab = X("tablet|nettbrett|surfplatta|tablet|טאבלט")
    for code, brand, model, gbs, prices, cols, pop in (
            ("NTT11", "Nordtek", "Tab 11", [64, 128, 256], [3990, 4690, 5690], ["GRY", "SLV"], 1.0),
            ("AUP10", "Aurora", "Pad 10", [64, 128], [2490, 2990], ["GRY"], 0.8)):
        for col in cols:
            for t, (gb, nok) in enumerate(zip(gbs, prices), 1):
                C.add(f"TAB-{code}-{gb}-{col}", tab, brand=brand, model=model, size=S(gb, "GB"),
                      colour=COL[col], price=round_price(nok, "e"), margin=0.15, category=cat,
                      group="tablet", family=f"tablet-{code}-{col}".lower(), tier=t,
                      pitch=PITCH["storage"] if t > 1 else None, pop=pop * TIER_POP[t] * COL_POP[col],
                      durable=True, stock=(0, 8), qty="one", meta={"model": code})
    for col in ("BLU", "PNK"):
        C.add(f"TAB-FJKIDS-32-{col}", tab, brand="Fjordtel", model="Kids Tab", size=S(32, "GB"),
              colour=COL[col], price=129000, margin=0.2, category=cat, group="tablet",
              pop=0.5 * COL_POP[col], durable=True, qty="one", meta={"model": "FJKIDS"})
    folio = X("folio case|folioetui|foliofodral|fóliótok|כיסוי ספר")
    for code, full, cols, nok in (("NTT11", "Nordtek Tab 11", ["BLK", "BLU"], 449),
                                  ("AUP10", "Aurora Pad 10", ["BLK"], 349)):
        for col in cols:
            C.add(f"TCASE-{code}-{col}", folio, brand="Skallvik", for_=full, colour=COL[col],
                  price=round_price(nok, "e"), margin=0.6, category="Electronics > Tablet accessories",
                  group="tablet_case", pitch=PITCH["tab_case"], pop=0.6 * COL_POP[col],
                  durable=True, qty="one", meta={"model": code})
        C.add(f"TGLASS-{code}", X("screen protector|skjermbeskytter|skärmskydd|kijelzővédő|מגן מסך"),
              brand="Skallvik", for_=full, price=29900, margin=0.7,
              category="Electronics > Tablet accessories", group="tablet_case",
              pitch=PITCH["glass_STD"], pop=0.3, durable=True, qty="one", meta={"model": code})
    C.add("PEN-NT-1", X("stylus pen|pekepenn|styluspenna|érintőceruza|עט דיגיטלי"), brand="Nordtek",
          model="Pen", price=99000, margin=0.35, category="Electronics > Tablet accessories",
          group="stylus", pitch=PITCH["stylus"], pop=0.3, durable=True, qty="one",
          meta={"model": "NTT11"})

    cat = "Electronics > TV & video > TVs"
    for brand, bcode, noun, sizes, pop in (
            ("Aurora", "AU4K", X("4K TV|4K-TV|4K-TV|4K televízió|טלוויזיה 4K"),
             [(43, 3990), (50, 4990), (55, 5990), (65, 8990)], 1.0),
            ("Lumivik", "LVOLED", X("OLED TV|OLED-TV|OLED-TV|OLED televízió|טלוויזיה OLED"),
             [(55, 12990), (65, 17990), (77, 29990)], 0.35)):
        for t, (inch, nok) in enumerate(sizes, 1):
            C.add(f"TV-{bcode}-{inch}", noun, brand=brand, size=Size(inch, "in"),
                  price=round_price(nok, "e"), margin=0.13, category=cat, group="tv",
                  family=f"tv-{bcode}".lower(), tier=t, pitch=PITCH["tv"] if t > 1 else None,
                  pop=pop * TIER_POP[t] * (1.3 if inch == 55 else 1.0), durable=True,
                  stock=(0, 5), qty="one", meta={"inch": inch})
    cat = "Electronics > TV & video > Sound & accessories"
    bar = X("soundbar|lydplanke|soundbar|hangprojektor|מקרן קול")
    for t, (model, nok) in enumerate((("Bar", 2490), ("Bar Plus", 4990)), 1):
        C.add(f"SB-SO-{model.replace(' ', '').upper()}", bar, brand="Sonora", model=model,
              price=round_price(nok, "e"), margin=0.3, category=cat, group="soundbar",
              family="soundbar-so", tier=t, pitch=PITCH["soundbar2" if t == 2 else "soundbar1"],
              pop=0.5 * TIER_POP[t], durable=True, qty="one")
    mount = X("TV wall mount|TV-veggfeste|TV-väggfäste|TV fali tartó|זרוע קיר לטלוויזיה")
    for code, rng_txt, nok in (("S", '32–55"', 399), ("L", '55–85"', 699)):
        C.add(f"MOUNT-SK-{code}", mount, brand="Skallvik", var=(same(rng_txt),),
              price=round_price(nok, "e"), margin=0.6, category=cat, group="wall_mount",
              pitch=PITCH["mount"], pop=0.5, durable=True, qty="one", meta={"range": code})
    C.add("STREAM-NT-4K", X("streaming stick|strømmepinne|streamingsticka|streaming stick|סטרימר"),
          brand="Nordtek", model="Stream 4K", price=59900, margin=0.3, category=cat,
          group="streaming", pop=0.5, durable=True, qty="one")

    cat_w = "Services > Warranties"
    cat_s = "Services > Setup"
    for sku, noun, years, nok, cat in (
            ("CARE-PHONE-2Y", X("care plan for phones|serviceavtale for mobil|serviceavtal för mobil|szervizcsomag telefonhoz|תוכנית שירות לסמארטפון"), 2, 990, cat_w),
            ("CARE-LAPTOP-3Y", X("care plan for laptops|serviceavtale for bærbar PC|serviceavtal för bärbar dator|szervizcsomag laptophoz|תוכנית שירות למחשב נייד"), 3, 1490, cat_w),
            ("CARE-TABLET-2Y", X("care plan for tablets|serviceavtale for nettbrett|serviceavtal för surfplatta|szervizcsomag tablethez|תוכנית שירות לטאבלט"), 2, 690, cat_w),
            ("CARE-TV-5Y", X("care plan for TVs|serviceavtale for TV|serviceavtal för tv|szervizcsomag televízióhoz|תוכנית שירות לטלוויזיה"), 5, 1290, cat_w)):
        yrs = {2: ("2 years", "2 år", "2 år", "2 év", "שנתיים"),
               3: ("3 years", "3 år", "3 år", "3 év", "3 שנים"),
               5: ("5 years", "5 år", "5 år", "5 év", "5 שנים")}[years]
        C.add(sku, noun, brand="Nordlys", var=(yrs,), price=round_price(nok, "e"),
              margin=0.75, category=cat, group="service", history=False, stock=None)
    for sku, noun, nok in (
            ("SETUP-PHONE", X("phone setup and data transfer|oppsett av mobil og overføring av data|installation av mobil och överföring av data|telefon beüzemelése és adatátvitel|הגדרת טלפון והעברת נתונים"), 299),
            ("SETUP-LAPTOP", X("laptop setup|oppsett av bærbar PC|installation av bärbar dator|laptop beüzemelése|התקנת מחשב נייד"), 399),
            ("SETUP-TV-WALL", X("TV wall mounting at home|montering av TV på vegg hjemme|montering av tv på vägg hemma|TV falra szerelése otthon|התקנת טלוויזיה על הקיר בבית"), 1490)):
        C.add(sku, noun, brand="Nordlys", price=round_price(nok, "e"), margin=0.6, category=cat_s,
              group="service", history=False, stock=None)


# the departments made here, by code
DEPARTMENTS = (electronics, )
