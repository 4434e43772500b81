"""Non-food: household, personal care, seasonal ranges, pets, deli, health,
gaming, flowers, home goods, office, toys, clothing and cosmetics."""
from __future__ import annotations

from ..names import S, X, same
from ..pitches import PITCH
from ..prices import round_price, value_pitch
from ..ranges import NL, TIER_POP, grid


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


# the departments made here, by code
DEPARTMENTS = (household, )
