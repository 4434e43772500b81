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


def fruit_veg(C):
    cat = "Groceries > Fruit & vegetables"
    # sku, noun, price per kg / each, unit, group, popularity, season, kg range
    items = [
        ("FV-BANANA", X("bananas|bananer|bananer|banán|בננות"), 24.9, "kg", "banana", 4.0, None, (0.5, 1.6)),
        ("FV-BANANA-ORG", X("organic bananas|økologiske bananer|ekologiska bananer|bio banán|בננות אורגניות"), 34.9, "kg", "banana", 0.8, None, (0.5, 1.4)),
        ("FV-APPLE-GALA", X("Royal Gala apples|epler Royal Gala|äpplen Royal Gala|Royal Gala alma|תפוחי רויאל גאלה"), 34.9, "kg", "apple", 1.6, None, (0.5, 1.5)),
        ("FV-APPLE-GRANNY", X("Granny Smith apples|epler Granny Smith|äpplen Granny Smith|Granny Smith alma|תפוחי גרני סמית'"), 36.9, "kg", "apple", 0.7, None, (0.5, 1.5)),
        ("FV-APPLE-PINK", X("Pink Lady apples|epler Pink Lady|äpplen Pink Lady|Pink Lady alma|תפוחי פינק ליידי"), 44.9, "kg", "apple", 0.6, None, (0.5, 1.5)),
        ("FV-APPLE-AROMA", X("Norwegian Aroma apples|norske epler Aroma|norska äpplen Aroma|norvég Aroma alma|תפוחי ארומה נורווגיים"), 39.9, "kg", "apple", 1.0, "autumn", (0.5, 1.5)),
        ("FV-PEAR", X("pears|pærer|päron|körte|אגסים"), 39.9, "kg", "pear", 0.8, None, (0.4, 1.2)),
        ("FV-ORANGE", X("oranges|appelsiner|apelsiner|narancs|תפוזים"), 29.9, "kg", "citrus", 1.2, "easter+", (0.6, 2.0)),
        ("FV-CLEMENTINE", X("clementines|klementiner|clementiner|klementin|קלמנטינות"), 32.9, "kg", "clementine", 2.0, "xmas", (0.6, 2.2)),
        ("FV-LEMON", X("lemons|sitroner|citroner|citrom|לימונים"), 39.9, "kg", "lemon_lime", 0.6, None, (0.15, 0.5)),
        ("FV-LIME", X("limes|lime|lime|lime|ליים"), 59.9, "kg", "lemon_lime", 0.4, None, (0.1, 0.4)),
        ("FV-GRAPES-G", X("green grapes|grønne druer|gröna vindruvor|zöld szőlő|ענבים ירוקים"), 69.9, "kg", "grapes", 0.8, None, (0.3, 0.9)),
        ("FV-GRAPES-R", X("red grapes|røde druer|röda vindruvor|piros szőlő|ענבים אדומים"), 69.9, "kg", "grapes", 0.6, None, (0.3, 0.9)),
        ("FV-TOMATO", X("tomatoes|tomater|tomater|paradicsom|עגבניות"), 44.9, "kg", "tomato", 2.2, None, (0.3, 1.0)),
        ("FV-TOMATO-VINE", X("vine tomatoes|stilktomater|kvisttomater|fürtös paradicsom|עגבניות על אשכול"), 59.9, "kg", "tomato", 0.8, None, (0.3, 0.8)),
        ("FV-ONION", X("onions|løk|gul lök|vöröshagyma|בצל"), 19.9, "kg", "onion", 1.4, None, (0.3, 1.0)),
        ("FV-ONION-RED", X("red onions|rødløk|rödlök|lilahagyma|בצל סגול"), 29.9, "kg", "onion", 0.7, None, (0.2, 0.6)),
        ("FV-POTATO", X("potatoes|poteter|potatis|burgonya|תפוחי אדמה"), 17.9, "kg", "potato", 1.6, None, (1.0, 2.5)),
        ("FV-POTATO-ALM", X("almond potatoes|mandelpoteter|mandelpotatis|mandulaburgonya|תפוחי אדמה מנדל"), 34.9, "kg", "potato", 0.3, "xmas+", (0.8, 2.0)),
        ("FV-SWEETPOT", X("sweet potatoes|søtpoteter|sötpotatis|édesburgonya|בטטה"), 34.9, "kg", "potato", 0.5, None, (0.4, 1.2)),
        ("FV-CARROT", X("carrots|gulrøtter|morötter|sárgarépa|גזר"), 19.9, "kg", "carrot", 1.3, None, (0.4, 1.2)),
        ("FV-GINGER", X("ginger|ingefær|ingefära|gyömbér|ג'ינג'ר"), 69.9, "kg", "herbs", 0.4, None, (0.05, 0.2)),
        ("FV-SPROUTS", X("Brussels sprouts|rosenkål|brysselkål|kelbimbó|כרוב ניצנים"), 49.9, "kg", "sprouts", 0.7, "xmas", (0.3, 0.8)),
        ("FV-REDCAB", X("red cabbage|rødkål|rödkål|lilakáposzta|כרוב אדום"), 24.9, "kg", "cabbage", 0.8, "xmas", (0.6, 1.5)),
        ("FV-SWEDE", X("swede|kålrot|kålrot|karórépa|לפת"), 19.9, "kg", "cabbage", 0.6, "xmas", (0.6, 1.5)),
        ("FV-CABBAGE", X("white cabbage|hvitkål|vitkål|fejeskáposzta|כרוב לבן"), 16.9, "kg", "cabbage", 0.5, None, (0.8, 2.0)),
        ("FV-WATERMELON", X("watermelon|vannmelon|vattenmelon|görögdinnye|אבטיח"), 24.9, "kg", "watermelon", 1.4, "summer", (2.0, 5.0)),
        ("FV-CUCUMBER", X("cucumber|agurk|gurka|kígyóuborka|מלפפון"), 14.9, "each", "cucumber", 2.5, None, None),
        ("FV-ICEBERG", X("iceberg lettuce|isbergsalat|isbergssallad|jégsaláta|חסה אייסברג"), 24.9, "each", "lettuce", 1.4, None, None),
        ("FV-ROMAINE", X("romaine lettuce|romanosalat|romansallad|római saláta|חסה רומית"), 29.9, "each", "lettuce", 0.5, None, None),
        ("FV-PEPPER-R", X("red pepper|rød paprika|röd paprika|piros paprika|פלפל אדום"), 16.9, "each", "pepper", 1.3, None, None),
        ("FV-PEPPER-Y", X("yellow pepper|gul paprika|gul paprika|sárga paprika|פלפל צהוב"), 16.9, "each", "pepper", 0.6, None, None),
        ("FV-PEPPER-G", X("green pepper|grønn paprika|grön paprika|zöld paprika|פלפל ירוק"), 12.9, "each", "pepper", 0.4, None, None),
        ("FV-GARLIC", X("garlic bulb|hvitløk|vitlök|fokhagyma|ראש שום"), 9.9, "each", "garlic", 1.0, None, None),
        ("FV-AVOCADO", X("avocado|avokado|avokado|avokádó|אבוקדו"), 16.9, "each", "avocado", 1.0, None, None),
        ("FV-AVOCADO-2", X("ripe avocados|modne avokadoer|mogna avokador|érett avokádó|אבוקדו בשל"), 39.9, "each", "avocado", 0.5, None, None),
        ("FV-KIWI", X("kiwi|kiwi|kiwi|kivi|קיווי"), 5.9, "each", "exotic", 0.5, None, None),
        ("FV-MANGO", X("mango|mango|mango|mangó|מנגו"), 24.9, "each", "exotic", 0.5, None, None),
        ("FV-BROCCOLI", X("broccoli|brokkoli|broccoli|brokkoli|ברוקולי"), 24.9, "each", "broccoli", 1.2, None, None),
        ("FV-CAULI", X("cauliflower|blomkål|blomkål|karfiol|כרובית"), 29.9, "each", "broccoli", 0.6, None, None),
        ("FV-LEEK", X("leek|purre|purjolök|póréhagyma|כרישה"), 14.9, "each", "onion", 0.5, None, None),
        ("FV-SPRINGON", X("spring onions|vårløk|salladslök|újhagyma|בצל ירוק"), 19.9, "each", "onion", 0.5, None, None),
        ("FV-CORN-2", X("corn on the cob|maiskolber|majskolvar|csemegekukorica csövön|קלחי תירס"), 29.9, "each", "corn_cob", 1.0, "summer", None),
    ]
    for sku, noun, nok, unit, group, pop, season, kg in items:
        C.add(sku, noun, price=round_price(nok, "g"), margin=0.32, category=cat, group=group,
              unit=unit, pop=pop, season=season, stock=(5.0, 60.0) if unit == "kg" else (5, 60),
              qty=("kg", kg) if unit == "kg" else "veg")
    packs = [
        ("FV-CHERRYTOM", X("cherry tomatoes|cherrytomater|körsbärstomater|koktélparadicsom|עגבניות שרי"), S(250, "g"), 24.9, "tomato", 1.2, None),
        ("FV-MUSHROOM", X("mushrooms|sjampinjong|champinjoner|csiperkegomba|פטריות שמפיניון"), S(250, "g"), 24.9, "mushroom", 1.0, None),
        ("FV-CARROT-1KG", X("carrots|gulrøtter|morötter|sárgarépa|גזר"), S(1, "kg"), 19.9, "carrot", 0.7, None),
        ("FV-SALADMIX", X("salad mix|salatmiks|salladsmix|salátakeverék|תערובת עלי חסה"), S(150, "g"), 29.9, "lettuce", 0.9, None),
        ("FV-SPINACH", X("baby spinach|babyspinat|babyspenat|bébispenót|תרד בייבי"), S(200, "g"), 32.9, "lettuce", 0.5, None),
        ("FV-RUCOLA", X("rocket|ruccola|ruccola|rukkola|ארוגולה"), S(65, "g"), 24.9, "lettuce", 0.35, None),
        ("FV-BASIL", X("basil in pot|basilikum i potte|basilika i kruka|cserepes bazsalikom|בזיליקום בעציץ"), None, 29.9, "herbs", 0.4, None),
        ("FV-PARSLEY", X("parsley in pot|persille i potte|persilja i kruka|cserepes petrezselyem|פטרוזיליה בעציץ"), None, 24.9, "herbs", 0.3, None),
        ("FV-STRAWB", X("strawberries|jordbær|jordgubbar|eper|תותים"), S(400, "g"), 49.9, "berries", 1.5, "summer"),
        ("FV-BLUEB", X("blueberries|blåbær|blåbär|áfonya|אוכמניות"), S(125, "g"), 29.9, "berries", 0.8, None),
        ("FV-RASPB", X("raspberries|bringebær|hallon|málna|פטל"), S(125, "g"), 34.9, "berries", 0.5, "summer+"),
    ]
    for sku, noun, size, nok, group, pop, season in packs:
        C.add(sku, noun, size=size, price=round_price(nok, "g"), margin=0.32, category=cat,
              group=group, pop=pop, season=season, stock=(5, 40))
    cat = "Groceries > Deli"
    deli = [
        ("DELI-HAM", X("sliced ham|kokt skinke|kokt skinka|főtt sonka|נקניק חזיר פרוס"), 249, "deli_meat", 1.0, None, (0.1, 0.35)),
        ("DELI-SALAMI", X("salami|salami|salami|szalámi|סלמי"), 299, "deli_meat", 0.7, None, (0.08, 0.3)),
        ("DELI-ROASTBEEF", X("roast beef|roastbiff|rostbiff|marhasült|רוסטביף"), 399, "deli_meat", 0.5, None, (0.08, 0.25)),
        ("DELI-TURKEY", X("turkey breast|kalkunbryst|kalkonbröst|pulykamell|חזה הודו"), 329, "deli_meat", 0.4, None, (0.08, 0.25)),
        ("DELI-OLIVES", X("mixed olives|olivenmiks|olivmix|vegyes olívabogyó|זיתים מעורבים"), 249, "olives", 0.5, None, (0.1, 0.3)),
        ("DELI-PRAWNS", X("cooked prawns|kokte reker|kokta räkor|főtt garnélarák|שרימפס מבושלים"), 199, "prawns", 1.0, "summer+", (0.3, 1.0)),
        ("DELI-SMSALMON", X("smoked salmon|røkelaks|rökt lax|füstölt lazac|סלמון מעושן"), 449, "smoked_salmon", 0.6, "xmas+", (0.1, 0.3)),
        ("DELI-POTSALAD", X("potato salad|potetsalat|potatissallad|krumplisaláta|סלט תפוחי אדמה"), 119, "deli_salad", 0.7, "summer+", (0.2, 0.6)),
        ("DELI-ITSALAD", X("Italian salad|italiensk salat|italiensk sallad|olasz saláta|סלט איטלקי"), 129, "deli_salad", 0.4, None, (0.15, 0.4)),
        ("DELI-COLESLAW", X("coleslaw|coleslaw|coleslaw|káposztasaláta|סלט כרוב"), 99, "deli_salad", 0.4, "summer+", (0.2, 0.5)),
    ]
    for sku, noun, nok, group, pop, season, kg in deli:
        C.add(sku, noun, price=round_price(nok, "g"), margin=0.38, category=cat, group=group,
              unit="kg", pop=pop, season=season, stock=(2.0, 15.0), qty=("kg", kg))


# the departments made here, by code
DEPARTMENTS = (coffee_tea, baby, fruit_veg, )
