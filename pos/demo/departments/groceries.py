"""Groceries: pasta and rice, sauces, dairy, coffee and tea, bakery, snacks,
beverages, baby, fruit and veg, meat and fish, frozen, baking and canned."""
from __future__ import annotations

from ..names import HU_SIZE_SUFFIX, LANGS, S, Size, X, compose, months, same
from ..pitches import PITCH
from ..prices import round_price, value_pitch
from ..ranges import NL, grid

G500 = [("500", S(500, "g"), 1.0, 1.0)]


def coffee_tea(C):
    cat = "Groceries > Coffee & tea"
    coffee = X("coffee|kaffe|kaffe|kávé|קפה")
    roast = {"LIGHT": X("light roast|lysbrent|ljusrost|világos pörkölésű|קלייה בהירה"),
             "MED": X("medium roast|mellombrent|mellanrost|közepes pörkölésű|קלייה בינונית"),
             "DARK": X("dark roast|mørkbrent|mörkrost|sötét pörkölésű|קלייה כהה")}
    grind = {"FIL": X("filter ground|filtermalt|bryggmalet|filteres őrlésű|טחון לפילטר"),
             "PRESS": X("coarse ground|kokmalt|kokmalet|durva őrlésű|טחון גס"),
             "BEAN": X("whole beans|hele bønner|hela bönor|szemes|פולים שלמים")}
    brands = [NL, ("BV", "Brennvik", 1.3, 0.8), ("PB", "Polarbønne", 1.0, 1.1), ("FK", "Fjellkaffe", 1.1, 0.6),
              ("KH", "Kaffehuset", 1.2, 0.4)]
    items = []
    for r, rpop in (("MED", 1.0), ("DARK", 0.7), ("LIGHT", 0.5)):
        for g, gpop in (("FIL", 1.0), ("PRESS", 0.35), ("BEAN", 0.45)):
            items.append((f"{r}{g}", coffee, None, rpop * gpop, 1.0 + 0.08 * (g == "BEAN"),
                          {"meta": {"grind": g, "roast": r}}))
    made = grid(C, "COF", cat, "coffee", brands=brands, items=items, base=64, margin=0.27,
                coverage=0.85, brand_pitch={"BV": PITCH["roasted_oslo"]},
                sizes=lambda i, b: ([("250", S(250, "g"), 0.56, 0.6)] if not i.endswith("BEAN") else [])
                + [("500", S(500, "g"), 1.0, 1.0), ("1KG", S(1, "kg"), 1.78, 0.45)])
    # coffee names carry two words between noun and size: grind and roast
    for p in made:
        code = p.meta["item"]
        r, g = code[:-len(p.meta["grind"])], p.meta["grind"]
        size = {"250": S(250, "g"), "500": S(500, "g"), "1KG": S(1, "kg")}[p.meta["size"]]
        p.names = tuple(compose(lang, coffee, p.brand, (grind[g], roast[r]), size) for lang in LANGS)
    grid(C, "ESP", cat, "coffee", noun=X("espresso beans|espressobønner|espressobönor|szemes eszpresszókávé|פולי אספרסו"),
         brands=[("BV", "Brennvik", 1.0, 1.0), ("PB", "Polarbønne", 0.85, 0.8)],
         items=[("STD", None, None, 1.0, 1.0, {"meta": {"grind": "BEAN"}})],
         sizes=[("500", S(500, "g"), 1.0, 1.0), ("1KG", S(1, "kg"), 1.8, 0.5)], base=99, margin=0.3)
    grid(C, "INST", cat, "instant_coffee", noun=X("instant coffee|pulverkaffe|snabbkaffe|instant kávé|קפה נמס"),
         brands=[("PB", "Polarbønne", 1.0, 1.0), NL], items=[("STD", None, None, 1.0)],
         sizes=[("100", S(100, "g"), 1.0, 1.0), ("200", S(200, "g"), 1.75, 0.5)], base=59, margin=0.3)
    grid(C, "CAPS", cat, "capsules", noun=X("coffee capsules|kaffekapsler|kaffekapslar|kávékapszula|קפסולות קפה"),
         brands=[("BV", "Brennvik", 1.0, 1.0), ("PB", "Polarbønne", 0.85, 1.0)],
         items=[("ESP", None, X("espresso|espresso|espresso|espresso|אספרסו"), 1.0),
                ("LUN", None, X("lungo|lungo|lungo|lungo|לונגו"), 0.8),
                ("DEC", None, X("decaf|koffeinfri|koffeinfri|koffeinmentes|נטול קפאין"), 0.3),
                ("CAR", None, X("caramel|karamell|karamell|karamellás|קרמל"), 0.3)],
         sizes=[("10", S(10, "pcs"), 1.0, 1.0), ("30", S(30, "pcs"), 2.6, 0.4)], base=45, margin=0.35,
         coverage=0.8)
    tea = X("tea|te|te|tea|תה")
    grid(C, "TEA", cat, "tea", noun=tea,
         brands=[("TB", "Tebladet", 1.0, 1.0), NL, ("HT", "Høyfjell Te", 1.3, 0.5), ("TK", "Tekannen", 1.1, 0.4)],
         items=[("BLACK", None, X("English breakfast|English breakfast|English breakfast|English breakfast|ארוחת בוקר אנגלית"), 1.0),
                ("EARL", None, X("Earl Grey|Earl Grey|Earl Grey|Earl Grey|ארל גריי"), 0.8),
                ("GREEN", None, X("green|grønn|grönt|zöld|ירוק"), 0.8),
                ("CHAM", None, X("chamomile|kamille|kamomill|kamilla|קמומיל"), 0.5),
                ("MINT", None, X("peppermint|peppermynte|pepparmint|borsmenta|נענע"), 0.5),
                ("ROOI", None, X("rooibos|rooibos|rooibos|rooibos|רויבוש"), 0.3),
                ("FRUIT", None, X("forest fruits|skogsbær|skogsbär|erdei gyümölcs|פירות יער"), 0.4),
                ("GING", None, X("ginger & lemon|ingefær og sitron|ingefära och citron|gyömbér-citrom|ג'ינג'ר ולימון"), 0.4)],
         sizes=lambda i, b: [("20", S(20, "bags"), 1.0, 1.0)] + ([("50", S(50, "bags"), 2.1, 0.35)] if i in ("BLACK", "EARL", "GREEN") and b != "HT" else []),
         base=32, margin=0.35, coverage=0.85, brand_pitch={"HT": PITCH["powerful_tea"]})
    filt = X("coffee filters|kaffefilter|kaffefilter|kávéfilter|פילטרים לקפה")
    grid(C, "FILT", cat, "coffee_filters", noun=filt, brands=[NL, ("SV", "Solvik", 1.2, 0.8)],
         items=[("1X4", None, same("1x4"), 1.0), ("1X4B", None, (
             "1x4 unbleached", "1x4 ubleket", "1x4 oblekt", "1x4 fehérítetlen", "1x4 לא מולבן"), 0.5),
                ("1X2", None, same("1x2"), 0.3)],
         sizes=[("100", S(100, "pcs"), 1.0, 1.0)], base=25, margin=0.45, item_pitch={
             "1X4": PITCH["filters"], "1X4B": PITCH["filters"], "1X2": PITCH["filters"]})
    grid(C, "COCOA", cat, "cocoa", brands=[("FS", "Fjellsjokolade", 1.0, 1.0), NL],
         items=[("DRINK", X("hot chocolate powder|kakaopulver til drikke|chokladdryckspulver|kakaóitalpor|אבקת שוקו"), None, 0.6,
                 1.0, {"season": "xmas+"})],
         sizes=[("500", S(500, "g"), 1.0, 1.0)], base=45, margin=0.3)
    grid(C, "SUGARC", cat, "sugar", brands=[NL],
         items=[("CUBE", X("sugar cubes|sukkerbiter|sockerbitar|kockacukor|קוביות סוכר"), None, 0.3)],
         sizes=G500, base=24, margin=0.3)


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
DEPARTMENTS = (coffee_tea, baby, )
