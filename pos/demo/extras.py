"""What head office adds to the catalog: upgrades, bundles and deals, manager
rules, and the names of the categories the rules trigger on."""
from __future__ import annotations

from .dates import wfrom, wto
from .names import X
from .pitches import PITCH
from .prices import money

UPG = {
    "pro_camera": X("Pro camera with 3x optical zoom|Pro-kamera med 3x optisk zoom|Pro-kamera med 3x optisk zoom|Pro kamera 3x optikai zoommal|מצלמת Pro עם זום אופטי פי 3"),
    "full_phone": X("Brighter screen and a better camera|Lysere skjerm og bedre kamera|Ljusare skärm och bättre kamera|Fényesebb kijelző és jobb kamera|מסך בהיר יותר ומצלמה טובה יותר"),
    "oled": X("OLED: deeper blacks and wider viewing angles|OLED: dypere svart og bredere synsvinkel|OLED: djupare svart och bredare betraktningsvinkel|OLED: mélyebb fekete, szélesebb betekintési szög|OLED: שחור עמוק יותר וזווית צפייה רחבה יותר"),
    "bigger_laptop": X("A bigger 15-inch screen, same memory and storage|Større 15-tommers skjerm, samme minne og lagring|Större 15-tumsskärm, samma minne och lagring|Nagyobb, 15 hüvelykes kijelző, ugyanannyi memória és tárhely|מסך גדול יותר של 15 אינץ', אותו זיכרון ואחסון"),
    "electric": X("An electric brush with a two-minute timer|En elektrisk børste med tominutters timer|En eltandborste med tvåminuterstimer|Elektromos fogkefe kétperces időzítővel|מברשת חשמלית עם טיימר של שתי דקות"),
    "nappy": X("Stretchy sides for a snugger fit|Elastiske sider som sitter bedre|Elastiska sidor som sitter bättre|Rugalmas oldal, jobban illeszkedik|צדדים גמישים להתאמה טובה יותר"),
}


def coffee_pitch(ratio):
    r_en = f"{ratio:.1f}"
    r_eu = r_en.replace(".", ",")
    return (f"Four times the coffee for {r_en} times the price",
            f"Fire ganger så mye kaffe for {r_eu} ganger prisen",
            f"Fyra gånger så mycket kaffe för {r_eu} gånger priset",
            f"Négyszer annyi kávé, {r_eu}× áron",
            f"פי ארבעה קפה תמורת פי {r_en} במחיר")


def build_upgrades(C):
    by = C.by_sku
    edges = []

    def edge(a, b, pitch):
        if a in by and b in by and a != b:
            edges.append((a, b, pitch))

    n = 0
    for brand in ("NL", "PB", "BV", "FK", "KH"):
        for item in ("MEDFIL", "DARKFIL", "MEDPRESS"):
            a, b = by.get(f"COF-{brand}-{item}-250"), by.get(f"COF-{brand}-{item}-1KG")
            if a is not None and b is not None and n < 8:
                edge(a.sku, b.sku, coffee_pitch(b.price / a.price))
                n += 1
    for item in ("SPA", "PEN", "FUS"):
        edge(f"PASTA-NL-{item}-500", f"PASTA-PR-{item}-500", PITCH["bronze"])
    for flav in ("SALT", "SCO", "PAPR"):
        edge(f"CHIPS-NL-{flav}-175", f"CHIPS-HL-{flav}-175", PITCH["handcooked"])
    for g in ("MEDFIL", "DARKFIL", "MEDBEAN"):
        edge(f"COF-NL-{g}-500", f"COF-BV-{g}-500", PITCH["roasted_oslo"])
    for b in ("NL", "FG"):
        for n_ in ("6", "12"):
            edge(f"EGG-{b}-STD-{n_}", f"EGG-{b}-FREE-{n_}", PITCH["freerange"])
            edge(f"EGG-{b}-FREE-{n_}", f"EGG-{b}-ORG-{n_}", PITCH["organic"])
    edge("MILK-NL-SEMI-1L", "MILK-FGO-SEMI-1L", PITCH["organic"])
    edge("MILK-FG-SEMI-1L", "MILK-FGO-SEMI-1L", PITCH["organic"])
    for b in ("NL", "FK"):
        for s in ("400", "800"):
            edge(f"MINCE-{b}-14-{s}", f"MINCE-{b}-5-{s}", PITCH["lean"])
    for it in ("PEPP", "HAMM", "MARG"):
        edge(f"PIZZA-NL-{it}-STD", f"PIZZA-ST-{it}-STD", PITCH["stone"])
    for s in (3, 4, 5, 6):
        n_ = {3: 44, 4: 40, 5: 36, 6: 32}[s]
        edge(f"NAPPY-NL-S{s}-{n_}", f"NAPPY-LB-S{s}-{n_}", UPG["nappy"])
    for col in ("BLK",):
        edge(f"PH-NTX5-256-{col}", f"PH-NTX5P-256-{col}", UPG["pro_camera"])
        edge(f"PH-NTX5-512-{col}", f"PH-NTX5P-512-{col}", UPG["pro_camera"])
        edge(f"PH-AU8L-128-{col}", f"PH-AU8-128-{col}", UPG["full_phone"])
    for inch in (55, 65):
        edge(f"TV-AU4K-{inch}", f"TV-LVOLED-{inch}", UPG["oled"])
    for ram in (8, 16, 32):
        edge(f"LT-NTB13-{ram}-SLV", f"LT-NTB15-{ram}-SLV", UPG["bigger_laptop"])
    for col in ("BLK", "WHT"):
        edge(f"EAR-SO-BUDS-{col}", f"EAR-NO-BUDSPRO2-{col}", PITCH["anc"])
    edge("TBRUSH-FR-SOFT-STD", "EBRUSH-VA-SMILE-WHT", UPG["electric"])
    edge("TBRUSH-NL-SOFT-STD", "EBRUSH-VA-SMILE-WHT", UPG["electric"])
    edge("KETTLE-HJ-17-WHT", "KETTLE-VA-17T", PITCH["kettle3"])
    edges.sort(key=lambda e: (e[0], e[1]))
    return edges

def build_bundles(C, W):
    by = C.by_sku
    out = []

    def bundle(bid, names, skus, price=None, saving=None, window=None):
        missing = [s for s in skus if s not in by]
        if missing:
            raise ValueError(f"bundle {bid}: unknown skus {missing}")
        total = sum(by[s].price for s in skus)
        if price is not None:
            if price >= total:
                price = total - 1000
            price_s, saving_s = money(price), ""
        else:
            saving_s, price_s = money(saving), ""
        vf, vt = (wfrom(window[0]), wto(window[1])) if window else ("", "")
        out.append((bid, names, "|".join(skus), price_s, saving_s, vf, vt))

    def deal(skus, frac):
        total = sum(by[s].price for s in skus if s in by)
        return int(total * (1 - frac)) // 100 * 100

    bundle("PASTA-NIGHT", X("Pasta night|Pastakveld|Pastakväll|Tésztaest|ערב פסטה"),
           ["PASTA-BN-SPA-500", "SAUCE-BN-TOM-400", "PARM-BN-GRATED-100"], saving=2500)
    taco = ["MEX-ES-SHELL-12", "MEX-ES-SPICE-STD", "MEX-ES-SAUCEMD-STD", "GCHEESE-FG-TACO-150"]
    bundle("TACO-FRIDAY", X("Taco Friday|Tacofredag|Tacofredag|Tacós péntek|שישי של טאקו"), taco,
           price=deal(taco, 0.15))
    bundle("PHONE-STARTER-X5", X("Phone starter kit: Nordtek X5|Startpakke mobil: Nordtek X5|Startpaket mobil: Nordtek X5|Telefonos kezdőcsomag: Nordtek X5|ערכת פתיחה לטלפון: Nordtek X5"),
           ["PH-NTX5-128-BLK", "CASE-NTX5-SIL-BLK", "GLASS-NTX5-STD"], saving=29900)
    bundle("PHONE-STARTER-A3", X("Phone starter kit: Nordtek A3|Startpakke mobil: Nordtek A3|Startpaket mobil: Nordtek A3|Telefonos kezdőcsomag: Nordtek A3|ערכת פתיחה לטלפון: Nordtek A3"),
           ["PH-NTA3-64-BLK", "CASE-NTA3-CLR", "GLASS-NTA3-STD", "MSD-DV-64"], saving=19900)
    bfast = ["BREAD-BK-GROV-STD", "BUTTER-FG-SALT-250", "JAM-MG-STR-400", "COF-NL-MEDFIL-500"]
    bundle("BREAKFAST", X("Breakfast deal|Frokosttilbud|Frukosterbjudande|Reggeli ajánlat|מבצע ארוחת בוקר"),
           bfast, price=deal(bfast, 0.15), window=W["month"])
    bundle("XMAS-COSY", X("Cosy Christmas evening|Koselig julekveld|Mysig julkväll|Meghitt karácsonyi este|ערב חג מולד נעים"),
           ["GLOGG-JG-RED-075", "GLOGG-MIX", "PEPPERK-JG-STD-300"], saving=2000, window=W["xmas"])
    bbq = ["MEAT-NL-GRILL-STD", "BUNS-BK-HOTD-8", "BBQ-DISPOSABLE"]
    bundle("BBQ-EVENING", X("Barbecue evening|Grillkveld|Grillkväll|Grillest|ערב על האש"), bbq,
           price=deal(bbq, 0.2), window=W["summer"])
    bundle("CHIPS-NIGHT", X("Two bags of chips and a dip|To poser potetgull og dipp|Två påsar chips och dipp|Két zacskó chips és mártogatós|שתי שקיות צ'יפס ומטבל"),
           ["CHIPS-KN-SALT-175", "CHIPS-KN-SALT-175", "DIPMIX-KN-DILL-STD"], price=7900)
    bundle("BABY-CARE", X("Nappies and wipes|Bleier og våtservietter|Blöjor och våtservetter|Pelenka és popsitörlő|חיתולים ומגבונים"),
           ["NAPPY-LB-S4-40", "WIPES-LB-SENS-3X64"], saving=3000)
    bundle("BACK-TO-SCHOOL", X("Back to school laptop pack|Skolestart: PC-pakke|Skolstart: datorpaket|Iskolakezdés: laptopcsomag|חזרה ללימודים: ערכת מחשב"),
           ["LT-NTB13-16-SLV", "SLV-SK-13-GRY", "MOUSE-LY-CLICK-BLK"], saving=39900, window=W["school"])
    bundle("COFFEE-DUO", X("Coffee and filters|Kaffe og filter|Kaffe och filter|Kávé és filter|קפה ופילטרים"),
           ["COF-NL-MEDFIL-500", "FILT-NL-1X4-100"], saving=1000)
    out.sort(key=lambda b: b[0])
    return out


RULE_PITCH = {
    "care_phone": X("Two years of cover for accidents and breakdowns|To års dekning ved uhell og feil|Två års skydd vid olyckor och fel|Két év védelem baleset és meghibásodás esetére|שנתיים של כיסוי לתאונות ולתקלות"),
    "care_laptop": X("Three years of cover, including spills|Tre års dekning, også mot søl|Tre års skydd, även mot spill|Három év védelem, kiömlött folyadék esetére is|שלוש שנות כיסוי, כולל נזקי נוזלים"),
    "care_tablet": X("Two years of cover for cracked screens and faults|To års dekning for knust skjerm og feil|Två års skydd för spräckt skärm och fel|Két év védelem repedt kijelző és hiba esetére|שנתיים של כיסוי למסך סדוק ולתקלות"),
    "care_tv": X("Five years of cover; we collect it if it breaks|Fem års dekning; vi henter TV-en hvis den blir defekt|Fem års skydd; vi hämtar tv:n om den går sönder|Öt év védelem; meghibásodás esetén elszállítjuk|חמש שנות כיסוי; אם יש תקלה, אנחנו אוספים"),
    "setup_phone": X("We move your contacts, photos and apps in about 30 minutes|Vi flytter kontakter, bilder og apper på rundt 30 minutter|Vi flyttar kontakter, bilder och appar på cirka 30 minuter|Kb. 30 perc alatt átköltöztetjük a névjegyeket, fotókat és appokat|נעביר אנשי קשר, תמונות ואפליקציות תוך כ-30 דקות"),
    "setup_laptop": X("Ready to use when you get home: updates, accounts and backup|Klar til bruk når du kommer hjem: oppdateringer, kontoer og sikkerhetskopi|Klar att använda när du kommer hem: uppdateringar, konton och säkerhetskopia|Hazaérve már használható: frissítések, fiókok, biztonsági mentés|מוכן לשימוש כשתגיעו הביתה: עדכונים, חשבונות וגיבוי"),
    "tv_wall": X("We can mount it on the wall for you|Vi kan henge den på veggen for deg|Vi kan montera den på väggen åt dig|Fel is szereljük a falra|אנחנו יכולים לתלות אותה על הקיר בשבילך"),
    "new_buds": X("New: Nordtek Buds 3, lighter and with noise cancelling|Nyhet: Nordtek Buds 3, lettere og med støydemping|Nyhet: Nordtek Buds 3, lättare och med brusreducering|Újdonság: Nordtek Buds 3, könnyebb, zajszűréssel|חדש: Nordtek Buds 3, קלות יותר ועם סינון רעשים"),
    "new_barista": X("New: an oat drink that foams like milk|Nyhet: havredrikk som skummer som melk|Nyhet: havredryck som skummar som mjölk|Újdonság: úgy habosodó zabital, mint a tej|חדש: משקה שיבולת שועל שמקציף כמו חלב"),
    "upsell_coffee": X("Roasted in Oslo every week|Brent i Oslo hver uke|Rostat i Oslo varje vecka|Minden héten Oslóban pörkölve|נקלה באוסלו מדי שבוע"),
    "xmas_glogg": X("Our Christmas gløgg|Vår julegløgg|Vår julglögg|A mi karácsonyi gløggünk|הגלוג שלנו לחג המולד"),
    "xmas_pepperkaker": X("Freshly baked gingerbread for December|Ferske pepperkaker til desember|Färska pepparkakor till december|Friss mézeskalács decemberre|עוגיות ג'ינג'ר טריות לדצמבר"),
    "xmas_candles": X("Candles for the dark evenings|Lys til de mørke kveldene|Ljus för de mörka kvällarna|Gyertya a sötét estékre|נרות לערבים החשוכים"),
    "summer_bbq": X("Grill season: everything for a barbecue|Grillsesong: alt til grillkvelden|Grillsäsong: allt för grillkvällen|Grillszezon: minden a grillezéshez|עונת המנגל: הכל לערב על האש"),
    "easter": X("Easter eggs for the mountain trip|Påskeegg til fjellturen|Påskägg till fjällturen|Húsvéti tojás a hegyi túrára|ביצי פסחא לטיול בהרים"),
    "school": X("Back to school|Skolestart|Skolstart|Iskolakezdés|חזרה ללימודים"),
    "fruit_week": X("This week's fruit|Ukens frukt|Veckans frukt|A hét gyümölcse|הפרי של השבוע"),
}


# the names of the categories the rules trigger on, as a reason says them
# ("Anbefales sammen med mobiltelefoner"); every trigger category needs one
CATEGORY_NAMES = {
    "Electronics > Phones": X("Phones|Mobiltelefoner|Mobiltelefoner|Mobiltelefonok|"
                              "טלפונים ניידים"),
    "Electronics > Computers > Laptops": X("Laptops|Bærbare PC-er|Bärbara datorer|Laptopok|"
                                           "מחשבים ניידים"),
    "Electronics > Tablets": X("Tablets|Nettbrett|Surfplattor|Táblagépek|טאבלטים"),
    "Electronics > TV & video > TVs": X("TVs|TV-er|TV-apparater|Televíziók|טלוויזיות"),
    "Groceries > Coffee & tea": X("Coffee & tea|Kaffe og te|Kaffe och te|Kávé és tea|קפה ותה"),
}


def build_category_names(rules):
    """(path, names in LANGS) of every category a rule triggers on, sorted."""
    out = []
    for path in sorted({r[2] for r in rules if r[2]}):
        if path not in CATEGORY_NAMES:
            raise ValueError(f"rules trigger on {path!r}, which has no CATEGORY_NAMES entry")
        out.append((path, CATEGORY_NAMES[path]))
    return out


def build_rules(C, W, export_local):
    by = C.by_sku
    out = []

    def rule(rid, sku, kind, pitch, trigger_sku="", trigger_category="", priority=0, boost="",
             window=None):
        if sku not in by or (trigger_sku and trigger_sku not in by):
            raise ValueError(f"rule {rid}: unknown sku")
        vf, vt = (wfrom(window[0]), wto(window[1])) if window else ("", "")
        out.append((rid, trigger_sku, trigger_category, sku, kind, str(priority), boost, vf, vt,
                    RULE_PITCH[pitch]))

    rule("WARRANTY-PHONES", "CARE-PHONE-2Y", "cross", "care_phone",
         trigger_category="Electronics > Phones", priority=10)
    rule("WARRANTY-LAPTOPS", "CARE-LAPTOP-3Y", "cross", "care_laptop",
         trigger_category="Electronics > Computers > Laptops", priority=10)
    rule("WARRANTY-TABLETS", "CARE-TABLET-2Y", "cross", "care_tablet",
         trigger_category="Electronics > Tablets", priority=10)
    rule("WARRANTY-TVS", "CARE-TV-5Y", "cross", "care_tv",
         trigger_category="Electronics > TV & video > TVs", priority=10)
    rule("SETUP-PHONES", "SETUP-PHONE", "cross", "setup_phone",
         trigger_category="Electronics > Phones", priority=8)
    rule("SETUP-LAPTOPS", "SETUP-LAPTOP", "cross", "setup_laptop",
         trigger_category="Electronics > Computers > Laptops", priority=8)
    rule("SETUP-TV-WALL", "SETUP-TV-WALL", "cross", "tv_wall", trigger_sku="MOUNT-SK-L", priority=6)
    rule("NEW-BUDS3", "EAR-NO-BUDS3-BLK", "cross", "new_buds",
         trigger_category="Electronics > Phones", priority=5)
    rule("NEW-OAT-BARISTA", "PLANT-HG-BARISTA-1L", "cross", "new_barista",
         trigger_category="Groceries > Coffee & tea", priority=3)
    rule("UPSELL-COFFEE", "COF-BV-MEDFIL-500", "upsell", "upsell_coffee",
         trigger_sku="COF-NL-MEDFIL-500", priority=2)
    rule("XMAS-GLOGG", "GLOGG-JG-RED-075", "campaign", "xmas_glogg", boost="2.0", window=W["xmas"])
    rule("XMAS-PEPPERKAKER", "PEPPERK-JG-STD-300", "campaign", "xmas_pepperkaker", boost="1.8",
         window=W["xmas"])
    rule("XMAS-CANDLES", "XMAS-CANDLE-1-WHT", "campaign", "xmas_candles", boost="1.5", window=W["xmas"])
    rule("SUMMER-BBQ", "BBQ-DISPOSABLE", "campaign", "summer_bbq", boost="1.8", window=W["summer"])
    rule("SUMMER-CHARCOAL", "BBQ-CHARCOAL-25", "campaign", "summer_bbq", boost="1.5", window=W["summer"])
    rule("EASTER-EGGS", "EASTER-EGG-S", "campaign", "easter", boost="2.0", window=W["easter"])
    rule("SCHOOL-SLEEVES", "SLV-SK-13-GRY", "campaign", "school", boost="1.5", window=W["school"])
    m = export_local.month
    fruit = ("FV-CLEMENTINE" if m in (11, 12) else "FV-ORANGE" if m in (1, 2, 3, 4)
             else "FV-STRAWB" if m in (5, 6, 7, 8) else "FV-APPLE-AROMA")
    rule("FRUIT-OF-THE-WEEK", fruit, "campaign", "fruit_week", boost="1.5", window=W["week"])
    out.sort(key=lambda r: r[0])
    return out
