"""Non-food: household, personal care, seasonal ranges, pets, deli, health,
gaming, flowers, home goods, office, toys, clothing and cosmetics."""
from __future__ import annotations

from ..names import S, Size, X, same
from ..pitches import PITCH
from ..prices import round_price, value_pitch
from ..ranges import COL, COL_POP, NL, TIER_POP, grid


def household(C):
    cat = "Household > Cleaning"
    RE = ("RE", "Ren", 1.0, 1.2)
    GL = ("GL", "Glans", 1.0, 1.1)
    grid(C, "LAUN", "Household > Laundry", "laundry", brands=[RE, NL],
         items=[("COLP", X("laundry powder|vaskepulver|tvättmedel|mosópor|אבקת כביסה"), X("for colours|kulørt|color|színes ruhákhoz|לבגדים צבעוניים"), 1.0),
                ("WHTP", X("laundry powder|vaskepulver|tvättmedel|mosópor|אבקת כביסה"), X("for whites|hvitt|vitt|fehér ruhákhoz|לבגדים לבנים"), 0.6),
                ("SENL", X("laundry liquid|flytende vaskemiddel|flytande tvättmedel|folyékony mosószer|נוזל כביסה"), X("sensitive|sensitiv|sensitive|érzékeny bőrre|לעור רגיש"), 0.7, 1.0, {"pitch": PITCH["sensitive"]}),
                ("COLL", X("laundry liquid|flytende vaskemiddel|flytande tvättmedel|folyékony mosószer|נוזל כביסה"), X("for colours|kulørt|color|színes ruhákhoz|לבגדים צבעוניים"), 0.8),
                ("SOFT", X("fabric softener|tøymykner|sköljmedel|öblítő|מרכך כביסה"), None, 0.6, 0.7)],
         sizes=lambda i, b: [("STD", S(1.5, "kg") if i.endswith("P") else S(1, "l"), 1.0, 1.0),
                             ("BIG", S(3, "kg") if i.endswith("P") else S(2, "l"), 1.75, 0.45)] if i != "SOFT" else [("STD", S(1, "l"), 1.0, 1.0)],
         base=79, margin=0.33, coverage=0.9)
    grid(C, "DISHW", cat, "dishwasher", noun=X("dishwasher tablets|oppvaskmaskintabletter|maskindisktabletter|mosogatógép tabletta|טבליות למדיח"),
         brands=[GL, NL],
         items=[("STD", None, None, 1.0), ("ALL", None, X("all in one|alt i ett|allt i ett|all in one|הכל באחד"), 0.7, 1.2)],
         sizes=[("30", S(30, "tabs"), 1.0, 1.0), ("60", S(60, "tabs"), 1.75, 0.5)], base=79, margin=0.33)
    grid(C, "DISH", cat, "dish_soap", noun=X("washing-up liquid|oppvaskmiddel|diskmedel|mosogatószer|נוזל כלים"),
         brands=[GL, NL],
         items=[("ORIG", None, X("original|original|original|eredeti|מקורי"), 1.0),
                ("LEMON", None, X("lemon|sitron|citron|citromos|לימון"), 0.7),
                ("SENS", None, X("sensitive|sensitiv|sensitive|érzékeny bőrre|לעור רגיש"), 0.5)],
         sizes=[("500", S(500, "ml"), 1.0, 1.0)], base=29, margin=0.35, coverage=0.8)
    cleaners = [("APC", X("all-purpose cleaner|universalrengjøring|allrengöring|általános tisztítószer|חומר ניקוי כללי"), None, 1.0),
                ("BATH", X("bathroom cleaner|baderomsrengjøring|badrumsrengöring|fürdőszoba tisztító|חומר ניקוי לאמבטיה"), None, 0.6),
                ("GLASS", X("glass cleaner|glassrens|fönsterputs|ablaktisztító|מנקה זכוכית"), None, 0.4),
                ("WC", X("toilet cleaner|toalettrens|toalettrengöring|WC tisztító|מנקה אסלות"), None, 0.6),
                ("SOAP", X("green soap|grønnsåpe|grönsåpa|zöldszappan|סבון ירוק לניקוי"), None, 0.5, 1.1)]
    grid(C, "CLEAN", cat, "cleaner", brands=[RE, NL], items=cleaners, base=35, margin=0.35,
         coverage=0.7, sizes=[("STD", None, 1.0, 1.0)])
    cat = "Household > Paper"
    MY = ("MY", "Myk", 1.0, 1.2)
    grid(C, "TP", cat, "toilet_paper", noun=X("toilet paper|toalettpapir|toalettpapper|toalettpapír|נייר טואלט"),
         brands=[MY, NL, ("MYP", "Myk Premium", 1.35, 0.4)], items=[("STD", None, None, 1.0)],
         sizes=lambda i, b: [("8", S(8, "rolls"), 1.0, 1.0), ("16", S(16, "rolls"), 1.8, 0.6)] + ([("24", S(24, "rolls"), 2.5, 0.3)] if b != "MYP" else []),
         base=49, margin=0.3, stock=(10, 60))
    grid(C, "TOWEL", cat, "paper_towels", noun=X("kitchen towels|tørkerull|hushållspapper|papírtörlő|מגבות נייר"),
         brands=[MY, NL], items=[("STD", None, None, 1.0)],
         sizes=[("4", S(4, "rolls"), 1.0, 1.0), ("8", S(8, "rolls"), 1.8, 0.5)], base=39, margin=0.3)
    paper = [("NAPK", X("paper napkins|servietter|servetter|papírszalvéta|מפיות נייר"), None, 0.6, 1.0, {"group": "napkins"}),
             ("BIN30", X("bin bags 30 l|avfallsposer 30 l|soppåsar 30 l|szemeteszsák 30 l|שקיות אשפה 30 ליטר"), None, 0.8, 1.0, {"group": "bags"}),
             ("BIN60", X("bin bags 60 l|avfallsposer 60 l|soppåsar 60 l|szemeteszsák 60 l|שקיות אשפה 60 ליטר"), None, 0.4, 1.2, {"group": "bags"}),
             ("FRZ", X("freezer bags|fryseposer|fryspåsar|fagyasztózacskó|שקיות הקפאה"), None, 0.5, 0.9, {"group": "bags"}),
             ("FOIL", X("aluminium foil|aluminiumsfolie|aluminiumfolie|alufólia|נייר אלומיניום"), None, 0.5, 1.0, {"group": "foil", "season": "summer+"}),
             ("CLING", X("cling film|plastfolie|plastfolie|folpack|ניילון נצמד"), None, 0.4, 0.9, {"group": "foil"}),
             ("BAKP", X("baking paper|bakepapir|bakplåtspapper|sütőpapír|נייר אפייה"), None, 0.5, 0.9, {"group": "foil", "season": "xmas+"}),
             ("SPONGE", X("sponges 3 pcs|svamper 3 stk|disksvampar 3 st|mosogatószivacs 3 db|ספוגים 3 יח'"), None, 0.5, 0.7, {"group": "sponges"}),
             ("CLOTH", X("dishcloths|kluter|disktrasor|törlőkendő|מטליות"), None, 0.4, 0.8, {"group": "sponges"}),
             ("GLOVE", X("rubber gloves|oppvaskhansker|diskhandskar|gumikesztyű|כפפות גומי"), None, 0.2, 1.0, {"group": "sponges"})]
    grid(C, "PAPER", "Household > Kitchen", "paper", brands=[NL, MY], items=paper, base=32, margin=0.35,
         coverage=0.5, sizes=[("STD", None, 1.0, 1.0)])
    cat = "Household > Batteries & bulbs"
    for bcode, brand, pf, bpop in (("LY", "Lynet", 1.3, 0.8), ("NL", "Nordlys", 1.0, 1.0)):
        for cell in ("AA", "AAA"):
            for t, (n, mul) in enumerate(((4, 1.0), (8, 1.7), (16, 2.9)), 1):
                sku = f"BATT-{bcode}-{cell}-{n}"
                price = round_price(45 * pf * mul, "g")
                first = C.by_sku.get(f"BATT-{bcode}-{cell}-4")
                C.add(sku, X("batteries|batterier|batterier|elem|סוללות"), brand=brand, var=(same(cell),),
                      size=S(n, "pcs"), price=price, margin=0.45, category=cat, group="batteries",
                      family=f"batt-{bcode}-{cell}".lower(), tier=t,
                      pitch=value_pitch(price, S(n, "pcs"), first.price, S(4, "pcs")) if first else None,
                      pop=bpop * TIER_POP[t] * (1.0 if cell == "AA" else 0.7), season="xmas+")
    bulb = X("LED bulb|LED-pære|LED-lampa|LED izzó|נורת LED")
    for code, fit, lm, nok in (("E27-806", "E27", 806, 49), ("E27-470", "E27", 470, 39),
                               ("E14-470", "E14", 470, 45), ("GU10-350", "GU10", 350, 49)):
        C.add(f"BULB-LY-{code}", bulb, brand="Lynet", var=(same(fit),), size=S(lm, "lm"),
              price=round_price(nok, "g"), margin=0.5, category=cat, group="bulbs", pop=0.4,
              durable=False)
    cat = "Household > Candles & party"
    grid(C, "TEALIGHT", cat, "tea_lights", noun=X("tea lights|telys|värmeljus|teamécses|נרות טי לייט"),
         brands=[NL], items=[("STD", None, None, 1.0)],
         sizes=[("30", S(30, "pcs"), 1.0, 1.0), ("100", S(100, "pcs"), 2.5, 0.5)], base=39, margin=0.4,
         season="xmas+")
    for sku, noun, nok, group, pop, season in (
            ("LIGHTER-NL", X("lighter|lighter|tändare|öngyújtó|מצית"), 19.9, "lighter", 0.4, None),
            ("MATCHES-NL", X("matches 10 boxes|fyrstikker 10 esker|tändstickor 10 askar|gyufa 10 doboz|גפרורים 10 קופסאות"), 24.9, "lighter", 0.2, "xmas+"),
            ("PARTY-PLATES", X("paper plates 20 pcs|papptallerkener 20 stk|papptallrikar 20 st|papírtányér 20 db|צלחות נייר 20 יח'"), 29.9, "party", 0.3, "summer+"),
            ("PARTY-CUPS", X("paper cups 30 pcs|pappkrus 30 stk|pappmuggar 30 st|papírpohár 30 db|כוסות נייר 30 יח'"), 29.9, "party", 0.4, None),
            ("PARTY-BALLOONS", X("balloons 20 pcs|ballonger 20 stk|ballonger 20 st|lufi 20 db|בלונים 20 יח'"), 39.9, "party", 0.2, None),
            ("PARTY-NAPKINS", X("party napkins|festservietter|festservetter|party szalvéta|מפיות למסיבה"), 34.9, "party", 0.3, None),
            ("PARTY-CANDLES", X("birthday candles|kakelys|tårtljus|születésnapi gyertya|נרות יום הולדת"), 24.9, "party", 0.3, None)):
        C.add(sku, noun, brand="Nordlys", price=round_price(nok, "g"), margin=0.45, category=cat,
              group=group, pop=pop, season=season)


RE_BRAND = ("RE", "Ren", 1.0, 1.2)


def office_toys_clothing(C):
    cat = "Office & school"
    items = [("NB-A4", X("notebook A4, lined|notatbok A4, linjert|anteckningsblock A4, linjerat|füzet A4, vonalas|מחברת A4 בשורות"), 29, 1.0),
             ("NB-A5", X("notebook A5, squared|notatbok A5, rutet|anteckningsbok A5, rutad|füzet A5, kockás|מחברת A5 משובצת"), 25, 0.8),
             ("PEN-BLU-4", X("ballpoint pens, blue, 4 pcs|kulepenner, blå, 4 stk|kulspetspennor, blå, 4 st|golyóstoll, kék, 4 db|עטים כחולים, 4 יח'"), 29, 1.0),
             ("PEN-BLK-10", X("ballpoint pens, black, 10 pcs|kulepenner, sorte, 10 stk|kulspetspennor, svarta, 10 st|golyóstoll, fekete, 10 db|עטים שחורים, 10 יח'"), 59, 0.5),
             ("PENCIL-6", X("pencils, 6 pcs|blyanter, 6 stk|blyertspennor, 6 st|ceruza, 6 db|עפרונות, 6 יח'"), 29, 0.6),
             ("ERASER", X("eraser|viskelær|suddgummi|radír|מחק"), 15, 0.4),
             ("GLUE", X("glue stick|limstift|limstift|ragasztóstift|דבק סטיק"), 25, 0.5),
             ("SCISSORS", X("scissors|saks|sax|olló|מספריים"), 49, 0.3),
             ("TAPE", X("clear tape|tape|tejp|átlátszó ragasztószalag|סלוטייפ שקוף"), 19, 0.4),
             ("HIGHL", X("highlighters, 4 pcs|merkepenner, 4 stk|överstrykningspennor, 4 st|szövegkiemelő, 4 db|מדגשים, 4 יח'"), 45, 0.4),
             ("PAPER-500", X("printer paper A4, 500 sheets|kopipapir A4, 500 ark|kopieringspapper A4, 500 ark|nyomtatópapír A4, 500 lap|נייר מדפסת A4, 500 דפים"), 69, 0.6),
             ("ENVEL", X("envelopes C5, 25 pcs|konvolutter C5, 25 stk|kuvert C5, 25 st|boríték C5, 25 db|מעטפות C5, 25 יח'"), 39, 0.3),
             ("CRAYON", X("crayons, 12 colours|fargestifter, 12 farger|färgpennor, 12 färger|színes ceruza, 12 szín|צבעים, 12 גוונים"), 49, 0.5),
             ("FOLDER", X("plastic folders, 10 pcs|plastlommer, 10 stk|plastfickor, 10 st|genotherm, 10 db|שקיות ניילון לתיקייה, 10 יח'"), 35, 0.3)]
    for code, noun, nok, pop in items:
        C.add(f"OFF-{code}", noun, brand="Nordlys", price=round_price(nok, "g"), margin=0.5, category=cat,
              group="office", pop=pop, season="school+")
    C.add("OFF-BACKPACK-KIDS", X("school backpack|skolesekk|skolryggsäck|iskolatáska|תיק בית ספר"),
          brand="Skallvik", price=49900, margin=0.5, category=cat, group="office", pop=0.3, season="school+",
          durable=True, qty="one")
    cat = "Toys & games"
    toys = [("PUZZLE-500", X("jigsaw puzzle, 500 pieces|puslespill, 500 brikker|pussel, 500 bitar|kirakó, 500 darabos|פאזל 500 חלקים"), 149, 0.5),
            ("PUZZLE-1000", X("jigsaw puzzle, 1000 pieces|puslespill, 1000 brikker|pussel, 1000 bitar|kirakó, 1000 darabos|פאזל 1000 חלקים"), 199, 0.35),
            ("CARDS", X("playing cards|kortstokk|kortlek|francia kártya|חפיסת קלפים"), 39, 0.5),
            ("BOARDGAME", X("family board game|familiespill|familjespel|családi társasjáték|משחק קופסה משפחתי"), 299, 0.3),
            ("QUIZ", X("quiz game|quizspill|frågespel|kvízjáték|משחק טריוויה"), 349, 0.2),
            ("BUBBLES", X("soap bubbles|såpebobler|såpbubblor|buborékfújó|בועות סבון"), 29, 0.4),
            ("CHALK", X("pavement chalk|fortauskritt|gatukritor|aszfaltkréta|גירים למדרכה"), 49, 0.3),
            ("PLAYDOUGH", X("modelling dough, 4 colours|modellkitt, 4 farger|modellera, 4 färger|gyurma, 4 szín|בצק משחק, 4 צבעים"), 69, 0.35),
            ("BALL", X("football|fotball|fotboll|futball-labda|כדורגל"), 149, 0.3),
            ("SWIMRING", X("swim ring|badering|badring|úszógumi|גלגל ים"), 79, 0.3),
            ("TEDDY", X("teddy bear|kosebamse|gosedjur nalle|plüssmaci|דובי"), 199, 0.3),
            ("CARS", X("toy cars, 3 pcs|lekebiler, 3 stk|leksaksbilar, 3 st|kisautó, 3 db|מכוניות צעצוע, 3 יח'"), 99, 0.3)]
    seasons = {"BUBBLES": "summer", "CHALK": "summer", "SWIMRING": "summer", "BALL": "summer+",
               "PUZZLE-500": "xmas+", "PUZZLE-1000": "xmas+", "BOARDGAME": "xmas+", "QUIZ": "xmas+",
               "TEDDY": "xmas+", "CARS": "xmas+"}
    for code, noun, nok, pop in toys:
        C.add(f"TOY-{code}", noun, brand="Lekebua", price=round_price(nok, "g"), margin=0.45, category=cat,
              group="toys", pop=pop, season=seasons.get(code), qty="one")
    cat = "Clothing > Socks & tights"
    socks = X("socks, 3 pairs|sokker, 3 par|strumpor, 3 par|zokni, 3 pár|גרביים, 3 זוגות")
    wool = X("wool socks|ullsokker|ullstrumpor|gyapjúzokni|גרבי צמר")
    for code, noun, pf, season, pop in (("SOCK", socks, 1.0, None, 1.0), ("WOOL", wool, 1.6, "xmas+", 0.6)):
        for sz in ("36-40", "41-45"):
            for col in ("BLK", "GRY", "BLU"):
                C.add(f"CLO-{code}-{sz.replace('-', '')}-{col}", noun, brand="Varmt",
                      size=Size(None, "raw", text=(f"size {sz}", f"str. {sz}", f"stl. {sz}", f"{sz} méret", f"מידה {sz}")),
                      colour=COL[col], price=round_price(99 * pf, "g"), margin=0.55, category=cat,
                      group="clothing", pop=0.25 * pop * COL_POP[col], season=season)
    tights = X("tights 40 den|strømpebukse 40 den|strumpbyxor 40 den|harisnya 40 den|גרביונים 40 דנייר")
    for sz in ("S", "M", "L"):
        for col in ("BLK", "BEI"):
            C.add(f"CLO-TIGHTS-{sz}-{col}", tights, brand="Varmt", size=Size(None, "raw", text=same(sz)),
                  colour=COL[col], price=round_price(89, "g"), margin=0.55, category=cat, group="clothing",
                  pop=0.2 * COL_POP[col])
    cat = "Clothing > Winter"
    for code, noun, nok in (("HAT", X("knitted hat|strikkelue|stickad mössa|kötött sapka|כובע צמר סרוג"), 149),
                            ("GLOVES", X("knitted gloves|strikkevotter|stickade vantar|kötött kesztyű|כפפות סרוגות"), 129),
                            ("SCARF", X("scarf|skjerf|halsduk|sál|צעיף"), 199)):
        for col in ("BLK", "GRY", "RED"):
            C.add(f"CLO-{code}-{col}", noun, brand="Varmt", colour=COL[col], price=round_price(nok, "g"),
                  margin=0.55, category=cat, group="clothing", pop=0.15 * COL_POP[col], season="xmas+",
                  qty="one")


# the departments made here, by code
DEPARTMENTS = (household, office_toys_clothing, )
