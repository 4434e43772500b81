"""Groceries: pasta and rice, sauces, dairy, coffee and tea, bakery, snacks,
beverages, baby, fruit and veg, meat and fish, frozen, baking and canned."""
from __future__ import annotations

from ..names import HU_SIZE_SUFFIX, LANGS, S, Size, X, compose, months
from ..pitches import PITCH
from ..prices import round_price, value_pitch
from ..ranges import NL, grid

G500 = [("500", S(500, "g"), 1.0, 1.0)]


def nappy_size(size, n):
    return Size(None, "raw", text=(f"size {size}, {n} pcs", f"str. {size}, {n} stk", f"stl. {size}, {n} st",
                                   f"{size}{HU_SIZE_SUFFIX[size]} méret, {n} db", f"מידה {size}, {n} יח'"))


def baby(C):
    cat = "Baby > Food"
    LB = ("LB", "Lillebror", 1.0, 1.2)
    jar = X("baby food|barnemat|barnmat|bébiétel|מזון תינוקות")
    jars = [("APPE", X("apple & pear|eple og pære|äpple och päron|alma-körte|תפוח ואגס"), 4, 1.0),
            ("CARR", X("carrot & potato|gulrot og potet|morot och potatis|sárgarépa-burgonya|גזר ותפוח אדמה"), 4, 0.9),
            ("BANB", X("banana & blueberry|banan og blåbær|banan och blåbär|banán-áfonya|בננה ואוכמניות"), 6, 0.9),
            ("VLAS", X("vegetable lasagne|grønnsakslasagne|grönsakslasagne|zöldséges lasagne|לזניה ירקות"), 8, 0.7),
            ("BEEF", X("beef stew|lapskaus|köttgryta|marharagu|תבשיל בקר"), 8, 0.7),
            ("SALM", X("salmon & vegetables|laks og grønnsaker|lax och grönsaker|lazac zöldségekkel|סלמון וירקות"), 8, 0.6),
            ("BOLO", X("pasta bolognese|pasta bolognese|pasta bolognese|bolognai tészta|פסטה בולונז"), 12, 0.8),
            ("CHRI", X("chicken & rice|kylling og ris|kyckling och ris|csirke rizzsel|עוף ואורז"), 12, 0.6)]
    items = [(c, jar, v, p, 1.0, {"meta": {"months": m}}) for c, v, m, p in jars]
    made = grid(C, "BFOOD", cat, "baby_food", brands=[LB, NL, ("TU", "Tuttelu", 1.15, 0.5)], items=items,
                base=21, margin=0.3, coverage=0.8, qty="baby", sizes=[("190", S(190, "g"), 1.0, 1.0)])
    for p in made:
        v = next(v for c, v, m, _ in jars if c == p.meta["item"])
        p.names = tuple(compose(lang, jar, p.brand, (v, months(p.meta["months"])), S(190, "g"))
                        for lang in LANGS)
    grid(C, "POUCH", cat, "baby_food", noun=X("fruit pouch|fruktpose|fruktpåse|gyümölcspüré tasakban|מחית פירות בשקית"),
         brands=[LB],
         items=[("APMA", None, X("apple & mango|eple og mango|äpple och mango|alma-mangó|תפוח ומנגו"), 1.0),
                ("PEBA", None, X("pear & banana|pære og banan|päron och banan|körte-banán|אגס ובננה"), 0.8),
                ("BERR", None, X("mixed berries|bærmiks|bärmix|bogyós|פירות יער"), 0.6)],
         sizes=[("90", S(90, "g"), 1.0, 1.0), ("4X90", S(90, "g", 4), 3.4, 0.5)], base=17, margin=0.3, qty="baby")
    grid(C, "BPORR", cat, "baby_porridge", noun=X("baby porridge|barnegrøt|barngröt|bébikása|דייסת תינוקות"),
         brands=[LB, NL],
         items=[("OAT", None, X("oat|havre|havre|zabos|שיבולת שועל"), 1.0),
                ("MULTI", None, X("multigrain|flerkorn|flerkorn|többgabonás|רב דגנים"), 0.7),
                ("RICE", None, X("rice|ris|ris|rizses|אורז"), 0.4)],
         sizes=[("480", S(480, "g"), 1.0, 1.0)], base=49, margin=0.3, coverage=0.6)
    grid(C, "FORMULA", cat, "formula", noun=X("infant formula|morsmelkerstatning|modersmjölksersättning|tápszer|תמ\"ל"),
         brands=[LB],
         items=[("1", None, X("stage 1|trinn 1|steg 1|1-es|שלב 1"), 1.0),
                ("2", None, X("stage 2|trinn 2|steg 2|2-es|שלב 2"), 0.8),
                ("3", None, X("stage 3|trinn 3|steg 3|3-as|שלב 3"), 0.5)],
         sizes=[("800", S(800, "g"), 1.0, 1.0)], base=189, margin=0.2)
    cat = "Baby > Nappies & care"
    nappy = X("nappies|bleier|blöjor|pelenka|חיתולים")
    for bcode, brand, pf, bpop in (("LB", "Lillebror", 1.0, 1.2), ("NL", "Nordlys", 0.75, 1.0),
                                   ("TU", "Tuttelu", 1.15, 0.5)):
        for size in range(1, 7):
            n = {1: 50, 2: 46, 3: 44, 4: 40, 5: 36, 6: 32}[size]
            fam = f"nappies-{bcode}-{size}".lower() if bcode == "LB" and size >= 3 else None
            C.add(f"NAPPY-{bcode}-S{size}-{n}", nappy, brand=brand, size=nappy_size(size, n),
                  price=round_price(169 * pf, "g"), margin=0.25, category=cat, group="nappies",
                  family=fam, tier=1 if fam else None, pop=bpop * (1.3 if size in (3, 4, 5) else 0.8),
                  meta={"size": size})
            if fam:
                p1 = C.by_sku[f"NAPPY-{bcode}-S{size}-{n}"]
                price = round_price(169 * pf * 1.8, "g")
                C.add(f"NAPPY-{bcode}-S{size}-{2 * n}", nappy, brand=brand, size=nappy_size(size, 2 * n),
                      price=price, margin=0.25, category=cat, group="nappies", family=fam, tier=2,
                      pitch=value_pitch(price, S(2 * n, "pcs"), p1.price, S(n, "pcs")),
                      pop=bpop * 0.6, meta={"size": size})
    for bcode, brand, pf in (("LB", "Lillebror", 1.0), ("NL", "Nordlys", 0.8), ("TU", "Tuttelu", 1.15)):
        for size in (4, 5, 6):
            C.add(f"PANTS-{bcode}-S{size}", X("nappy pants|bleiebukser|byxblöjor|bugyipelenka|חיתולי מכנסון"),
                  brand=brand, size=Size(size, "size"), price=round_price(189 * pf, "g"), margin=0.25,
                  category=cat, group="nappies", pitch=PITCH["pants"], pop=0.5 * pf, meta={"size": size})
    grid(C, "WIPES", cat, "wipes", noun=X("baby wipes|våtservietter|våtservetter|popsitörlő|מגבונים לחים"),
         brands=[("LB", "Lillebror", 1.0, 1.2), NL],
         items=[("SENS", None, X("sensitive|sensitiv|sensitiv|érzékeny bőrre|לעור רגיש"), 1.0, 1.0, {"pitch": PITCH["sensitive"]}),
                ("ALOE", None, X("aloe vera|aloe vera|aloe vera|aloe verás|אלוורה"), 0.6)],
         sizes=[("64", S(64, "pcs"), 1.0, 1.0), ("3X64", S(64, "pcs", 3), 2.6, 0.6)], base=29, margin=0.35)
    for sku, noun, nok, pop in (
            ("BABY-LB-SHAMPOO", X("baby shampoo|babysjampo|babyschampo|babasampon|שמפו לתינוקות"), 49, 0.4),
            ("BABY-LB-NAPCREAM", X("nappy cream|sinkkrem|zinksalva|popsikrém|משחת החתלה"), 59, 0.5),
            ("BABY-LB-LOTION", X("baby lotion|babylotion|babylotion|babatej|קרם גוף לתינוקות"), 55, 0.3),
            ("BABY-LB-OIL", X("baby oil|babyolje|babyolja|babaolaj|שמן לתינוקות"), 49, 0.2)):
        C.add(sku, noun, brand="Lillebror", price=round_price(nok, "g"), margin=0.35, category=cat,
              group="baby_care", pop=pop)


# the departments made here, by code
DEPARTMENTS = (baby, )
