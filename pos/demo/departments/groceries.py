"""Groceries: pasta and rice, sauces, dairy, coffee and tea, bakery, snacks,
beverages, baby, fruit and veg, meat and fish, frozen, baking and canned."""
from __future__ import annotations

from ..names import HU_SIZE_SUFFIX, LANGS, S, Size, X, compose, months, same
from ..pitches import PITCH
from ..prices import round_price, value_pitch
from ..ranges import NL, grid

G500 = [("500", S(500, "g"), 1.0, 1.0)]


def sauces(C):
    cat = "Groceries > Sauces & condiments"
    ps = X("pasta sauce|pastasaus|pastasås|tésztaszósz|רוטב פסטה")
    flav = [("TOM", None, X("tomato & basil|tomat og basilikum|tomat och basilika|paradicsomos-bazsalikomos|עגבניות ובזיליקום"), 1.6),
            ("BOL", None, X("bolognese|bolognese|bolognese|bolognai|בולונז"), 1.3),
            ("ARR", None, X("arrabbiata|arrabbiata|arrabbiata|arrabbiata|ארביאטה"), 0.7),
            ("GAR", None, X("garlic & herbs|hvitløk og urter|vitlök och örter|fokhagymás-fűszeres|שום ועשבי תיבול"), 0.6),
            ("MUS", None, X("mushroom|sopp|svamp|gombás|פטריות"), 0.45),
            ("CAR", None, X("carbonara|carbonara|carbonara|carbonara|קרבונרה"), 0.6),
            ("CHE", None, X("four cheese|fire oster|fyra ostar|négysajtos|ארבע גבינות"), 0.4),
            ("PUT", None, X("puttanesca|puttanesca|puttanesca|puttanesca|פוטנסקה"), 0.25),
            ("OLI", None, X("olive|oliven|oliv|olívás|זיתים"), 0.25)]
    brands = [NL, ("BN", "Bella Nonna", 1.3, 1.1), ("SV", "Solvik", 1.0, 0.7),
              ("PR", "Pastificio Rossi", 1.9, 0.3)]
    grid(C, "SAUCE", cat, "pasta_sauce", noun=ps, brands=brands, items=flav, base=32, margin=0.32,
         coverage=0.85,
         sizes=lambda i, b: [("400", S(400, "g"), 1.0, 1.0)] + ([("680", S(680, "g"), 1.45, 0.4)] if i in ("TOM", "BOL") and b in ("NL", "BN") else []))
    grid(C, "PESTO", cat, "pesto", noun=X("pesto|pesto|pesto|pesto|פסטו"),
         brands=[("BN", "Bella Nonna", 1.0, 1.0), ("PR", "Pastificio Rossi", 1.5, 0.4), NL],
         items=[("GRN", None, X("genovese|genovese|genovese|genovai|גנובזה"), 1.0),
                ("RED", None, X("rosso|rosso|rosso|rosso|רוסו"), 0.6),
                ("VEG", None, X("vegan|vegansk|vegansk|vegán|טבעוני"), 0.25)],
         sizes=[("190", S(190, "g"), 1.0, 1.0)], base=39, margin=0.32, coverage=0.8)
    tom = [("CHOP", X("chopped tomatoes|hakkede tomater|krossade tomater|darabolt paradicsom|עגבניות קצוצות"), None, 1.5),
           ("PASS", X("passata|passata|passata|passata|פסאטה"), None, 0.8),
           ("WHOLE", X("whole peeled tomatoes|hele skrellede tomater|hela skalade tomater|egész hámozott paradicsom|עגבניות קלופות שלמות"), None, 0.4),
           ("CHGA", X("chopped tomatoes with garlic|hakkede tomater med hvitløk|krossade tomater med vitlök|fokhagymás darabolt paradicsom|עגבניות קצוצות עם שום"), None, 0.5)]
    grid(C, "CTOM", "Groceries > Canned", "canned_tomato", brands=[NL, ("BN", "Bella Nonna", 1.4, 1.0), ("SV", "Solvik", 1.1, 0.6)],
         items=tom, sizes=[("400", S(400, "g"), 1.0, 1.0)], base=14, margin=0.3, coverage=0.75, qty="multi")
    grid(C, "TPASTE", "Groceries > Canned", "canned_tomato", brands=[NL, ("BN", "Bella Nonna", 1.4, 1.0)],
         items=[("TP", X("tomato paste|tomatpuré|tomatpuré|paradicsompüré|רסק עגבניות"), None, 0.6)],
         sizes=[("140", S(140, "g"), 1.0, 1.0)], base=14, margin=0.3)
    cond = [
        ("KETCH", X("ketchup|ketchup|ketchup|ketchup|קטשופ"), None, 1.3, 1.0, {"group": "ketchup"}),
        ("MUSTS", X("sweet mustard|sennep|senap|édes mustár|חרדל מתוק"), None, 0.9, 0.9, {"group": "ketchup"}),
        ("MUSTD", X("Dijon mustard|dijonsennep|dijonsenap|dijoni mustár|חרדל דיז'ון"), None, 0.4, 1.0, {"group": "mustard"}),
        ("MAYO", X("mayonnaise|majones|majonnäs|majonéz|מיונז"), None, 0.8, 1.1, {"group": "mayo"}),
        ("REMO", X("remoulade|remulade|remoulad|remulád|רוטב רמולד"), None, 0.7, 0.9, {"group": "ketchup"}),
        ("BBQ", X("barbecue sauce|grillsaus|grillsås|barbecue szósz|רוטב ברביקיו"), None, 0.5, 1.1, {"group": "bbq_sauce", "season": "summer+"}),
        ("SOY", X("soy sauce|soyasaus|sojasås|szójaszósz|רוטב סויה"), None, 0.6, 1.0, {"group": "asian_sauce"}),
        ("SWCH", X("sweet chili sauce|sweet chili-saus|sweet chilisås|édes chiliszósz|רוטב צ'ילי מתוק"), None, 0.5, 1.0, {"group": "asian_sauce"}),
        ("SRIR", X("sriracha|sriracha|sriracha|sriracha szósz|סרירצ'ה"), None, 0.3, 1.2, {"group": "asian_sauce"}),
        ("FRON", X("crispy fried onions|ristet løk|rostad lök|pirított hagyma|בצל מטוגן פריך"), None, 0.6, 0.8, {"group": "ketchup"}),
        ("PICK", X("cucumber salad|agurksalat|gurksallad|uborkasaláta|סלט מלפפונים כבוש"), None, 0.4, 1.0, {"group": "ketchup"}),
    ]
    grid(C, "COND", cat, "condiment", brands=[NL, ("SV", "Solvik", 1.2, 1.0), ("HV", "Havgapet", 1.35, 0.5)],
         items=cond, base=29, margin=0.33, coverage=0.6,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] + ([("BIG", S(1, "kg"), 1.7, 0.3)] if i in ("KETCH", "MAYO") and b != "HV" else []))
    oils = [("OLIVE", X("olive oil|olivenolje|olivolja|olívaolaj|שמן זית"), X("extra virgin|extra virgin|extra virgin|extra szűz|כתית מעולה"), 1.0, 1.5),
            ("RAPE", X("rapeseed oil|rapsolje|rapsolja|repceolaj|שמן קנולה"), None, 0.7, 0.7),
            ("BALS", X("balsamic vinegar|balsamicoeddik|balsamvinäger|balzsamecet|חומץ בלסמי"), None, 0.35, 0.8)]
    grid(C, "OIL", cat, "oil", brands=[NL, ("BN", "Bella Nonna", 1.3, 1.0)], items=oils, base=79,
         margin=0.3, coverage=0.9,
         sizes=lambda i, b: [("05L", S(0.5, "l"), 1.0, 1.0)] + ([("1L", S(1, "l"), 1.8, 0.4)] if i == "OLIVE" else []))
    spices = [("SALT", X("sea salt|havsalt|havssalt|tengeri só|מלח ים"), None, 0.6, 0.6),
              ("PEPP", X("black pepper|sort pepper|svartpeppar|fekete bors|פלפל שחור"), None, 0.6, 1.0),
              ("PAPR", X("paprika powder|paprikapulver|paprikapulver|őrölt paprika|פפריקה"), None, 0.4, 1.0),
              ("OREG", X("oregano|oregano|oregano|oregánó|אורגנו"), None, 0.3, 1.0),
              ("CHIL", X("chili flakes|chiliflak|chiliflakes|chilipehely|פתיתי צ'ילי"), None, 0.3, 1.0),
              ("CINN", X("ground cinnamon|kanel|kanel|őrölt fahéj|קינמון טחון"), None, 0.3, 1.0, {"season": "xmas+"}),
              ("CARD", X("ground cardamom|kardemomme|kardemumma|őrölt kardamom|הל טחון"), None, 0.2, 1.5, {"season": "xmas+"}),
              ("CURRY", X("curry powder|karri|curry|curry por|קארי"), None, 0.3, 1.0)]
    grid(C, "SPICE", "Groceries > Spices", "spice", brands=[("HE", "Hjemmekrydder", 1.0, 1.0), NL,
                                                            ("KR", "Krydderkompaniet", 1.3, 0.4)],
         items=spices, sizes=[("STD", None, 1.0, 1.0)], base=29, margin=0.45, coverage=0.8)


def cheese_dairy(C):
    cat = "Groceries > Dairy > Cheese"
    FG = ("FG", "Fjellgården", 1.0, 1.2)
    BN = ("BN", "Bella Nonna", 1.1, 1.0)
    grid(C, "PARM", cat, "parmesan", noun=X("parmesan|parmesan|parmesan|parmezán|פרמזן"),
         brands=[BN, NL, ("PR", "Pastificio Rossi", 1.3, 0.4)],
         items=[("GRATED", None, X("grated|revet|riven|reszelt|מגורר"), 1.0, 1.0, {"meta": {"grated": True}}),
                ("PIECE", None, X("piece|stykke|bit|darabos|חתיכה"), 0.5, 1.6)],
         sizes=lambda i, b: [("100", S(100, "g"), 1.0, 1.0)] + ([("250", S(250, "g"), 2.2, 0.35)] if i == "GRATED" and b != "PR" else []),
         base=52, margin=0.3, item_pitch={"GRATED": PITCH["parmesan"], "PIECE": PITCH["parmesan"]}, coverage=0.9)
    grid(C, "MOZZ", cat, "mozzarella", noun=X("mozzarella|mozzarella|mozzarella|mozzarella|מוצרלה"),
         brands=[BN, NL],
         items=[("BALL", None, None, 1.0), ("GRATED", None, X("grated|revet|riven|reszelt|מגורר"), 0.6)],
         sizes=[("125", S(125, "g"), 1.0, 1.0)], base=24, margin=0.3)
    grid(C, "GCHEESE", cat, "grated_cheese", brands=[FG, NL],
         items=[("PIZZA", X("grated cheese|revet ost|riven ost|reszelt sajt|גבינה מגוררת"), None, 1.2),
                ("TACO", X("grated taco cheese|revet tacoost|riven tacoost|reszelt tacos sajt|גבינה מגוררת לטאקו"), None, 0.9),
                ("MILD", X("grated mild cheese|revet mild ost|riven mild ost|reszelt enyhe sajt|גבינה מגוררת עדינה"), None, 0.5)],
         sizes=[("150", S(150, "g"), 1.0, 1.0), ("400", S(400, "g"), 2.1, 0.5)], base=34, margin=0.3)
    light = X("light|lett|lätt|light|לייט")
    hvit = X("semi-hard cheese|hvitost|hushållsost|félkemény sajt|גבינה צהובה")
    grid(C, "HCHEESE", cat, "hard_cheese", noun=hvit, brands=[FG, NL, ("TI", "Tindeost", 1.15, 0.6)],
         items=[("REG", None, None, 1.3), ("LIGHT", None, light, 0.6),
                ("NUTTY", None, X("nutty & mild|nøtteaktig og mild|nötig och mild|diós, enyhe|אגוזית ועדינה"), 0.6, 1.15),
                ("AGED", None, X("aged|lagret|lagrad|érlelt|מיושנת"), 0.4, 1.3)],
         sizes=[("500", S(500, "g"), 1.0, 1.0), ("1KG", S(1, "kg"), 1.85, 0.55)], base=79,
         margin=0.28, coverage=0.9)
    grid(C, "BRUNOST", cat, "brown_cheese", noun=X("brown cheese|brunost|mesost|norvég barnasajt|גבינה חומה"),
         brands=[FG, NL],
         items=[("CLASSIC", None, None, 1.0), ("GOAT", None, X("goat|geit|get|kecske|עזים"), 0.4, 1.25),
                ("LIGHT", None, light, 0.3)],
         sizes=[("250", S(250, "g"), 1.0, 1.0), ("500", S(500, "g"), 1.8, 0.6)], base=55, margin=0.28,
         coverage=0.8)
    grid(C, "SLICES", cat, "cheese_slices", noun=X("cheese slices|osteskiver|ostskivor|szeletelt sajt|פרוסות גבינה"),
         brands=[FG, NL, ("TI", "Tindeost", 1.15, 0.6)],
         items=[("MILD", None, X("mild|mild|mild|enyhe|עדינה"), 1.0),
                ("NUTTY", None, X("nutty|nøtteaktig|nötig|diós|אגוזית"), 0.6),
                ("SMOKED", None, X("smoked|røkt|rökt|füstölt|מעושנת"), 0.3)],
         sizes=[("150", S(150, "g"), 1.0, 1.0)], base=39, margin=0.3, coverage=0.8)
    grid(C, "CRCHEESE", cat, "cream_cheese", noun=X("cream cheese|kremost|färskost|krémsajt|גבינת שמנת"),
         brands=[FG, NL],
         items=[("PLAIN", None, X("natural|naturell|naturell|natúr|טבעית"), 1.0),
                ("GARLIC", None, X("garlic & herbs|hvitløk og urter|vitlök och örter|fokhagymás-fűszeres|שום ועשבי תיבול"), 0.6),
                ("LIGHT", None, light, 0.4)],
         sizes=[("200", S(200, "g"), 1.0, 1.0)], base=32, margin=0.3)
    spec = [("CHED", X("cheddar|cheddar|cheddar|cheddar|צ'דר"), None, 0.5, 1.0),
            ("BRIE", X("brie|brie|brie|brie|ברי"), None, 0.4, 1.2),
            ("BLUE", X("blue cheese|blåmuggost|ädelost|kéksajt|גבינה כחולה"), None, 0.25, 1.2),
            ("FETA", X("feta|feta|fetaost|feta|פטה"), None, 0.5, 0.9),
            ("HALL", X("halloumi|halloumi|halloumi|halloumi|חלומי"), None, 0.45, 1.1, {"group": "halloumi", "season": "summer+", "pitch": PITCH["halloumi"]}),
            ("GOUDA", X("gouda|gouda|gouda|gouda|גאודה"), None, 0.4, 1.0),
            ("EMM", X("emmental|emmentaler|emmentaler|ementáli|אמנטל"), None, 0.3, 1.1),
            ("MASC", X("mascarpone|mascarpone|mascarpone|mascarpone|מסקרפונה"), None, 0.25, 0.9, {"group": "cream_cheese"}),
            ("RICO", X("ricotta|ricotta|ricotta|ricotta|ריקוטה"), None, 0.2, 0.8, {"group": "cream_cheese"}),
            ("COTT", X("cottage cheese|cottage cheese|keso|cottage cheese|קוטג'"), None, 0.8, 0.6, {"group": "cream_cheese"}),
            ("COTTL", X("cottage cheese light|cottage cheese mager|keso lätt|light cottage cheese|קוטג' לייט"), None, 0.4, 0.6, {"group": "cream_cheese"})]
    grid(C, "SCHEESE", cat, "specialty_cheese", brands=[("TI", "Tindeost", 1.0, 1.0), NL, ("FG", "Fjellgården", 1.05, 0.8)],
         items=spec, sizes=[("200", S(200, "g"), 1.0, 1.0)], base=49, margin=0.3, coverage=0.75)

    cat = "Groceries > Dairy"
    milk = [("WHOLE", X("whole milk|helmelk|standardmjölk|teljes tej|חלב מלא"), None, 0.7),
            ("SEMI", X("semi-skimmed milk|lettmelk|mellanmjölk|félzsíros tej|חלב דל שומן"), None, 1.6),
            ("SKIM", X("skimmed milk|skummet melk|lättmjölk|sovány tej|חלב רזה"), None, 0.5),
            ("LF", X("lactose-free milk|laktosefri melk|laktosfri mjölk|laktózmentes tej|חלב נטול לקטוז"), None, 0.45, 1.25, {"pitch": PITCH["lactose"]})]
    grid(C, "MILK", cat, "milk", brands=[("FG", "Fjellgården", 1.0, 1.3), NL], items=milk, base=22,
         margin=0.22, sizes=[("1L", S(1, "l"), 1.0, 1.0), ("175", S(1.75, "l"), 1.45, 0.9)],
         stock=(10, 80), qty="multi")
    grid(C, "MILK", cat, "milk", brands=[("FGO", "Fjellgården Øko", 1.3, 0.35)],
         items=[("WHOLE", milk[0][1], None, 0.8), ("SEMI", milk[1][1], None, 1.0)],
         sizes=[("1L", S(1, "l"), 1.0, 1.0)], base=22, margin=0.22, brand_pitch={"FGO": PITCH["organic"]})
    plant = X("oat drink|havredrikk|havredryck|zabital|משקה שיבולת שועל")
    grid(C, "PLANT", "Groceries > Dairy > Plant drinks", "plant_drink", brands=[("HG", "Havregården", 1.0, 1.0), NL],
         items=[("OAT", plant, None, 1.0),
                ("SOY", X("soy drink|soyadrikk|sojadryck|szójaital|משקה סויה"), None, 0.4),
                ("ALM", X("almond drink|mandeldrikk|mandeldryck|mandulaital|משקה שקדים"), None, 0.3)],
         sizes=[("1L", S(1, "l"), 1.0, 1.0)], base=27, margin=0.3, coverage=0.7)
    C.add("PLANT-HG-BARISTA-1L", plant, brand="Havregården", var=(X("barista|barista|barista|barista|בריסטה"),),
          size=S(1, "l"), price=3290, margin=0.3, category="Groceries > Dairy > Plant drinks",
          group="plant_drink", history=False, stock=(24, 48), meta={"new": True},
          pitch=X("New: foams like milk for coffee|Nyhet: skummer som melk i kaffen|Nyhet: skummar som mjölk i kaffet|Újdonság: úgy habosodik a kávéban, mint a tej|חדש: מקציף בקפה כמו חלב"))
    cream = [("WHIP", X("whipping cream|kremfløte|vispgrädde|habtejszín|שמנת מתוקה להקצפה"), None, 0.8, 1.0, {"group": "cream"}),
             ("COOK", X("cooking cream|matfløte|matlagningsgrädde|főzőtejszín|שמנת לבישול"), None, 0.6, 0.9, {"group": "cream"}),
             ("SOUR", X("sour cream|rømme|gräddfil|tejföl|שמנת חמוצה"), None, 1.2, 0.9, {"group": "sour_cream"}),
             ("LSOUR", X("light sour cream|lettrømme|lätt gräddfil|light tejföl|שמנת חמוצה לייט"), None, 0.7, 0.9, {"group": "sour_cream"}),
             ("CF", X("crème fraîche|crème fraîche|crème fraîche|crème fraîche|קרם פרש"), None, 0.5, 1.0, {"group": "sour_cream"})]
    grid(C, "CREAM", cat, "cream", brands=[("FG", "Fjellgården", 1.0, 1.2), NL], items=cream, base=28,
         margin=0.25, sizes=lambda i, b: [("03L", S(0.3, "l"), 1.0, 1.0)] + ([("05L", S(0.5, "l"), 1.5, 0.5)] if i == "WHIP" else []))
    yog = X("yoghurt|yoghurt|yoghurt|joghurt|יוגורט")
    yflav = [("STR", None, X("strawberry|jordbær|jordgubb|epres|תות"), 1.0),
             ("VAN", None, X("vanilla|vanilje|vanilj|vaníliás|וניל"), 1.0),
             ("BLU", None, X("blueberry|blåbær|blåbär|áfonyás|אוכמניות"), 0.8),
             ("RAS", None, X("raspberry|bringebær|hallon|málnás|פטל"), 0.6),
             ("PEA", None, X("peach|fersken|persika|barackos|אפרסק"), 0.5),
             ("NAT", None, X("natural|naturell|naturell|natúr|טבעי"), 1.0),
             ("GREEK", None, X("Greek style|gresk|grekisk|görög|יווני"), 0.8),
             ("LEM", None, X("lemon|sitron|citron|citromos|לימון"), 0.3),
             ("MUE", None, X("with muesli|med müsli|med müsli|müzlis|עם מוזלי"), 0.4)]
    grid(C, "YOG", cat, "yoghurt", noun=yog,
         brands=[("FG", "Fjellgården", 1.0, 1.2), NL, ("FL", "Fjordlett", 1.1, 0.6)], items=yflav,
         base=14, margin=0.28, coverage=0.9, qty="multi",
         sizes=lambda i, b: [("150", S(150, "g"), 1.0, 1.0)] + ([("4X125", S(125, "g", 4), 2.9, 0.4)] if i in ("STR", "VAN", "BLU", "RAS", "PEA") and b != "FL" else [])
         + ([("1KG", S(1, "kg"), 3.3, 0.35)] if i in ("NAT", "GREEK", "VAN", "STR") and b != "FL" else []))
    grid(C, "SKYR", cat, "yoghurt", noun=X("skyr|skyr|skyr|skyr|סקיר"),
         brands=[("IS", "Islandsk", 1.0, 1.0), NL],
         items=[("NAT", None, X("natural|naturell|naturell|natúr|טבעי"), 0.8),
                ("VAN", None, X("vanilla|vanilje|vanilj|vaníliás|וניל"), 1.0),
                ("BLU", None, X("blueberry|blåbær|blåbär|áfonyás|אוכמניות"), 0.8),
                ("STR", None, X("strawberry|jordbær|jordgubb|epres|תות"), 0.6)],
         sizes=[("160", S(160, "g"), 1.0, 1.0)], base=19, margin=0.3, brand_pitch={"IS": PITCH["skyr"]},
         qty="multi")
    butter = X("butter|smør|smör|vaj|חמאה")
    grid(C, "BUTTER", cat, "butter", noun=butter, brands=[("FG", "Fjellgården", 1.0, 1.3), NL],
         items=[("SALT", None, X("salted|saltet|saltat|sós|מלוחה"), 1.0),
                ("UNSALT", None, X("unsalted|usaltet|osaltat|sótlan|ללא מלח"), 0.4),
                ("SOFT", None, X("spreadable|smørbar|bredbart|kenhető|רכה למריחה"), 0.7)],
         sizes=[("250", S(250, "g"), 1.0, 1.0), ("500", S(500, "g"), 1.85, 0.7)], base=36, margin=0.25,
         coverage=0.7)
    grid(C, "MARG", cat, "butter", noun=X("margarine|margarin|margarin|margarin|מרגרינה"),
         brands=[("SM", "Smørblid", 1.0, 1.0), NL],
         items=[("STD", None, None, 0.6), ("LIGHT", None, light, 0.3)],
         sizes=[("400", S(400, "g"), 1.0, 1.0)], base=32, margin=0.28)
    eggs = [("STD", X("eggs|egg|ägg|tojás|ביצים"), None, 1.3),
            ("FREE", X("free-range eggs|frilandsegg|frigående ägg utomhus|szabad tartású tojás|ביצי חופש"), None, 0.5, 1.3, {"pitch": PITCH["freerange"]}),
            ("ORG", X("organic eggs|økologiske egg|ekologiska ägg|bio tojás|ביצים אורגניות"), None, 0.35, 1.55, {"pitch": PITCH["organic"]})]
    grid(C, "EGG", "Groceries > Dairy > Eggs", "eggs", brands=[NL, ("FG", "Fjellgården", 1.1, 1.0)],
         items=eggs, base=26, margin=0.25, coverage=0.85,
         sizes=[("6", S(6, "pcs"), 1.0, 0.7), ("12", S(12, "pcs"), 1.8, 1.0), ("18", S(18, "pcs"), 2.5, 0.4)])


def mexican(C):
    cat = "Groceries > World food > Mexican"
    ES = ("ES", "El Sol", 1.0, 1.2)
    MS = ("MS", "Mucho Sabor", 1.1, 0.6)
    mild, medium, hot = (X("mild|mild|mild|enyhe|עדין"), X("medium|medium|medium|közepesen csípős|בינוני"),
                         X("hot|sterk|stark|csípős|חריף"))
    items = [
        ("SHELL", X("taco shells|tacoskjell|tacoskal|taco héj|קונכיות טאקו"), None, 1.3, 1.0, {"group": "taco_shells"}),
        ("TORTS", X("small tortillas|små tortillalefser|små tortillabröd|kis tortilla lap|טורטיות קטנות"), None, 1.3, 1.0, {"group": "taco_shells"}),
        ("TORTL", X("large tortillas|store tortillalefser|stora tortillabröd|nagy tortilla lap|טורטיות גדולות"), None, 0.9, 1.1, {"group": "taco_shells"}),
        ("TORTW", X("wholewheat tortillas|fullkorn tortillalefser|fullkorns tortillabröd|teljes kiőrlésű tortilla|טורטיות מחיטה מלאה"), None, 0.4, 1.15, {"group": "taco_shells"}),
        ("SPICE", X("taco spice mix|tacokrydder|tacokrydda|taco fűszerkeverék|תערובת תבלינים לטאקו"), None, 0.8, 0.5, {"group": "taco_spice"}),
        ("SPICEH", X("taco spice mix|tacokrydder|tacokrydda|taco fűszerkeverék|תערובת תבלינים לטאקו"), hot, 0.4, 0.5, {"group": "taco_spice"}),
        ("SPICEL", X("taco spice mix|tacokrydder|tacokrydda|taco fűszerkeverék|תערובת תבלינים לטאקו"), X("less salt|mindre salt|mindre salt|csökkentett sótartalmú|מופחת מלח"), 0.3, 0.55, {"group": "taco_spice"}),
        ("FAJ", X("fajita spice mix|fajitakrydder|fajitakrydda|fajita fűszerkeverék|תערובת תבלינים לפאחיטס"), None, 0.3, 0.5, {"group": "taco_spice"}),
        ("SAUCEM", X("taco sauce|tacosaus|tacosås|taco szósz|רוטב טאקו"), mild, 0.9, 0.9, {"group": "taco_sauce"}),
        ("SAUCEMD", X("taco sauce|tacosaus|tacosås|taco szósz|רוטב טאקו"), medium, 1.0, 0.9, {"group": "taco_sauce"}),
        ("SAUCEH", X("taco sauce|tacosaus|tacosås|taco szósz|רוטב טאקו"), hot, 0.5, 0.9, {"group": "taco_sauce"}),
        ("SALSAM", X("chunky salsa|salsa|salsa|darabos salsa|סלסה"), mild, 0.6, 1.1, {"group": "taco_sauce"}),
        ("SALSAH", X("chunky salsa|salsa|salsa|darabos salsa|סלסה"), hot, 0.3, 1.1, {"group": "taco_sauce"}),
        ("GUAC", X("guacamole|guacamole|guacamole|guacamole|גואקמולי"), None, 0.5, 1.3, {"group": "guacamole"}),
        ("JALA", X("sliced jalapeños|jalapeños i skiver|skivad jalapeño|szeletelt jalapeño|חלפיניו פרוס"), None, 0.4, 0.9, {"group": "taco_extra"}),
        ("BEANS", X("refried beans|bønnemos|bönröra|babpüré|שעועית מבושלת"), None, 0.25, 0.9, {"group": "taco_extra"}),
        ("NACHO", X("nacho chips|nachochips|nachochips|nacho chips|נאצ'וס"), None, 0.8, 1.0, {"group": "nachos"}),
        ("NACHOC", X("nacho chips|nachochips|nachochips|nacho chips|נאצ'וס"), X("cheese|ost|ost|sajtos|גבינה"), 0.4, 1.0, {"group": "nachos"}),
        ("CDIP", X("cheese dip|ostedipp|ostdipp|sajtmártás|מטבל גבינה"), None, 0.3, 1.2, {"group": "taco_extra"}),
    ]
    grid(C, "MEX", cat, "taco", brands=[ES, NL, MS], items=items, base=29, margin=0.33,
         coverage=0.7, qty="multi",
         sizes=lambda i, b: ([("12", S(12, "pcs"), 1.0, 1.0)] + ([("18", S(18, "pcs"), 1.4, 0.4)] if b != "MS" else []))
         if i == "SHELL" else [("STD", None, 1.0, 1.0)])


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


def bakery_breakfast(C):
    cat = "Groceries > Bakery"
    BK = ("BK", "Bakeriet Nord", 1.0, 1.2)
    MB = ("MB", "Mors Bakst", 1.15, 0.7)
    breads = [("GROV", X("wholegrain bread|grovbrød|grovt bröd|teljes kiőrlésű kenyér|לחם מלא"), None, 1.5),
              ("XGROV", X("extra coarse bread|ekstra grovt brød|extra grovt bröd|extra magvas kenyér|לחם מלא גס במיוחד"), None, 0.8),
              ("RYE", X("rye bread|rugbrød|rågbröd|rozskenyér|לחם שיפון"), None, 0.5),
              ("SOUR", X("sourdough bread|surdeigsbrød|surdegsbröd|kovászos kenyér|לחם מחמצת"), None, 0.6, 1.3),
              ("LOFF", X("white loaf|loff|vitt formbröd|fehér kenyér|לחם לבן"), None, 0.7),
              ("SEED", X("seeded bread|frøbrød|fröbröd|magvas kenyér|לחם דגנים"), None, 0.6, 1.1),
              ("TOAST", X("toast bread|toastbrød|rostbröd|toast kenyér|לחם טוסט"), None, 0.5, 0.9),
              ("BAGU", X("baguette|baguette|baguette|bagett|באגט"), None, 0.8, 0.6, {"group": "baguette"}),
              ("CIAB", X("ciabatta|ciabatta|ciabatta|ciabatta|צ'יאבטה"), None, 0.4, 0.8, {"group": "baguette"})]
    grid(C, "BREAD", cat, "bread", brands=[BK, NL, MB, ("ST", "Steinbakeriet", 1.3, 0.5)], items=breads,
         base=42, margin=0.3, coverage=0.75, sizes=[("STD", None, 1.0, 1.0)], stock=(4, 30))
    buns = [("BURG4", X("burger buns|hamburgerbrød|hamburgerbröd|hamburgerzsemle|לחמניות המבורגר"), None, 0.8, 1.0, {"group": "buns_burger", "season": "summer+"}),
            ("HOTD", X("hot dog buns|pølsebrød|korvbröd|hot dog kifli|לחמניות נקניקייה"), None, 0.9, 0.8, {"group": "buns_hotdog", "season": "summer+"}),
            ("LOMPE", X("potato flatbreads (lomper)|lomper|potatislompor|burgonyás lepény (lomper)|פיתות תפוחי אדמה"), None, 1.0, 0.8, {"group": "buns_hotdog", "pitch": PITCH["lomper"]}),
            ("ROLLS", X("bread rolls|rundstykker|frallor|zsemle|לחמניות"), None, 1.0, 1.0, {"group": "rolls"}),
            ("CINN", X("cinnamon buns|kanelboller|kanelbullar|fahéjas csiga|לחמניות קינמון"), None, 0.6, 1.1, {"group": "pastry"}),
            ("SKOLE", X("custard buns|skolebrød|vaniljbullar|vaníliakrémes fánk|לחמניות ממולאות קרם"), None, 0.4, 1.2, {"group": "pastry"}),
            ("CROI", X("croissants|croissanter|croissanter|croissant|קרואסונים"), None, 0.5, 1.2, {"group": "pastry"})]
    grid(C, "BUNS", cat, "buns", brands=[BK, NL], items=buns, base=32, margin=0.3, coverage=0.9,
         sizes=lambda i, b: [("4", S(4, "pcs"), 1.0, 1.0)] + ([("8", S(8, "pcs"), 1.75, 0.6)] if i in ("BURG4", "HOTD", "ROLLS", "LOMPE") else []))
    crisp = [("RYE", X("rye crispbread|knekkebrød|knäckebröd|rozs ropogós kenyér|קרקר שיפון"), None, 1.0),
             ("SEED", X("seeded crispbread|knekkebrød med frø|knäckebröd med frön|magvas ropogós kenyér|קרקר עם זרעים"), None, 0.7),
             ("THIN", X("thin crispbread|tynt knekkebrød|tunt knäckebröd|vékony ropogós kenyér|קרקר דק"), None, 0.4),
             ("FLAT", X("flatbread (flatbrød)|flatbrød|tunnbröd|norvég lapkenyér|לחם שטוח"), None, 0.3),
             ("CRACK", X("crackers|kjeks|kex|kréker|קרקרים"), None, 0.5, 0.9, {"group": "crackers"})]
    grid(C, "CRISP", cat, "crispbread", brands=[("KM", "Kornmo", 1.0, 1.0), BK, NL], items=crisp, base=32,
         margin=0.32, coverage=0.6, sizes=[("STD", None, 1.0, 1.0)])

    cat = "Groceries > Breakfast & spreads"
    jam = X("jam|syltetøy|sylt|lekvár|ריבה")
    grid(C, "JAM", cat, "jam", noun=jam,
         brands=[("MG", "Morgengry", 1.0, 1.0), NL, ("BM", "Bestemors", 1.3, 0.5)],
         items=[("STR", None, X("strawberry|jordbær|jordgubb|epres|תות"), 1.4),
                ("RAS", None, X("raspberry|bringebær|hallon|málnás|פטל"), 1.0),
                ("BLU", None, X("blueberry|blåbær|blåbär|áfonyás|אוכמניות"), 0.6),
                ("APR", None, X("apricot|aprikos|aprikos|sárgabarackos|משמש"), 0.4),
                ("ORA", None, X("orange marmalade|appelsinmarmelade|apelsinmarmelad|narancslekvár|מרמלדת תפוזים"), 0.5),
                ("LING", None, X("lingonberry|tyttebær|lingon|vörösáfonyás|אוכמניות אדומות"), 0.6, 1.0, {"season": "xmas+"}),
                ("CHER", None, X("cherry|kirsebær|körsbär|meggyes|דובדבן"), 0.3),
                ("BCUR", None, X("blackcurrant|solbær|svarta vinbär|feketeribizlis|דומדמניות שחורות"), 0.3)],
         sizes=lambda i, b: [("400", S(400, "g"), 1.0, 1.0)] + ([("800", S(800, "g"), 1.75, 0.35)] if i == "STR" and b != "BM" else []),
         base=36, margin=0.33, coverage=0.85)
    spreads = [
        ("CHOC", X("chocolate spread|sjokoladepålegg|chokladkräm|csokoládékrém|ממרח שוקולד"), None, 0.6, 1.0, {"group": "spread_sweet"}),
        ("PBS", X("peanut butter|peanøttsmør|jordnötssmör|mogyoróvaj|חמאת בוטנים"), X("smooth|myk|krämigt|krémes|חלקה"), 0.5, 1.0, {"group": "spread_sweet"}),
        ("PBC", X("peanut butter|peanøttsmør|jordnötssmör|mogyoróvaj|חמאת בוטנים"), X("crunchy|crunchy|crunchy|ropogós|קראנצ'י"), 0.35, 1.0, {"group": "spread_sweet"}),
        ("HONEY", X("honey|honning|honung|méz|דבש"), None, 0.4, 1.4, {"group": "spread_sweet"}),
        ("LIVER", X("liver pâté|leverpostei|leverpastej|májpástétom|ממרח כבד"), None, 1.0, 0.7, {"group": "spread_savoury"}),
        ("LIVERL", X("liver pâté|leverpostei|leverpastej|májpástétom|ממרח כבד"), X("light|lett|lätt|light|לייט"), 0.4, 0.7, {"group": "spread_savoury"}),
        ("CAVI", X("cod roe spread|kaviar|kaviar|tőkehalikra krém|ממרח ביצי דגים"), None, 0.7, 0.8, {"group": "spread_savoury"}),
        ("MACK", X("mackerel in tomato|makrell i tomat|makrill i tomatsås|makréla paradicsomszószban|מקרל ברוטב עגבניות"), None, 0.9, 0.7, {"group": "spread_savoury"}),
        ("SHRCH", X("shrimp cheese spread|rekeost|räkost|garnélás sajtkrém|ממרח גבינה עם שרימפס"), None, 0.4, 0.8, {"group": "spread_savoury"}),
    ]
    grid(C, "SPREAD", cat, "spread", brands=[("LO", "Loftet", 1.0, 1.0), NL, ("HB", "Havbris", 1.05, 0.7)],
         items=spreads, base=38, margin=0.33, coverage=0.75, sizes=[("STD", None, 1.0, 1.0)])
    cereal = [("CORN", X("cornflakes|cornflakes|cornflakes|kukoricapehely|קורנפלקס"), None, 1.0),
              ("MUEF", X("fruit muesli|fruktmüsli|fruktmüsli|gyümölcsös müzli|מוזלי פירות"), None, 0.8, 1.1),
              ("MUEN", X("nut muesli|nøttemüsli|nötmüsli|diós müzli|מוזלי אגוזים"), None, 0.6, 1.2),
              ("GRAH", X("honey granola|granola med honning|granola med honung|mézes granola|גרנולה עם דבש"), None, 0.7, 1.3),
              ("GRAC", X("chocolate granola|sjokoladegranola|chokladgranola|csokis granola|גרנולה שוקולד"), None, 0.5, 1.3),
              ("CHOCO", X("chocolate cereal|sjokoladefrokostblanding|chokladflingor|csokis gabonapehely|דגני שוקולד"), None, 0.6, 1.1),
              ("OATS", X("rolled oats|havregryn|havregryn|zabpehely|שיבולת שועל"), None, 1.1, 0.45, {"group": "oats"})]
    grid(C, "CER", cat, "cereal", brands=[("MG", "Morgengry", 1.0, 1.0), NL, ("KM", "Kornmo", 1.1, 0.7)],
         items=cereal, base=49, margin=0.32, coverage=0.8,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] if i != "OATS" else [("1KG", S(1, "kg"), 1.0, 1.0)])
    juice = [("ORA", X("orange juice|appelsinjuice|apelsinjuice|narancslé|מיץ תפוזים"), None, 1.5),
             ("ORAP", X("orange juice with pulp|appelsinjuice med fruktkjøtt|apelsinjuice med fruktkött|rostos narancslé|מיץ תפוזים עם ציפה"), None, 0.6),
             ("APP", X("apple juice|eplejuice|äppeljuice|almalé|מיץ תפוחים"), None, 0.9),
             ("MULTI", X("multivitamin juice|multivitaminjuice|multivitaminjuice|multivitamin gyümölcslé|מיץ מולטי ויטמין"), None, 0.5),
             ("GRAP", X("grapefruit juice|grapefruktjuice|grapefruktjuice|grapefruitlé|מיץ אשכוליות"), None, 0.2)]
    grid(C, "JUICE", "Beverages > Juice", "juice", brands=[NL, ("SF", "Sunnfrukt", 1.2, 1.0)], items=juice,
         base=29, margin=0.3, coverage=0.8,
         sizes=lambda i, b: [("1L", S(1, "l"), 1.0, 1.0)] + ([("175", S(1.75, "l"), 1.5, 0.45)] if i in ("ORA", "APP") else []))
    grid(C, "SMOOTH", "Beverages > Juice", "juice", noun=X("smoothie|smoothie|smoothie|smoothie|שייק פירות"),
         brands=[("SF", "Sunnfrukt", 1.0, 1.0), NL],
         items=[("STRB", None, X("strawberry & banana|jordbær og banan|jordgubb och banan|eper-banán|תות ובננה"), 1.0),
                ("MANGO", None, X("mango & passion fruit|mango og pasjonsfrukt|mango och passionsfrukt|mangó-maracuja|מנגו ופסיפלורה"), 0.8),
                ("GREEN", None, X("green|grønn|grön|zöld|ירוק"), 0.4),
                ("BLUE", None, X("blueberry|blåbær|blåbär|áfonyás|אוכמניות"), 0.5)],
         sizes=[("025", S(0.25, "l"), 1.0, 1.0), ("075", S(0.75, "l"), 2.1, 0.4)], base=25, margin=0.3, coverage=0.85)
    grid(C, "SAFT", "Beverages > Juice", "juice", noun=X("cordial|saft|saft|szörp|תרכיז"),
         brands=[("SF", "Sunnfrukt", 1.0, 1.0)],
         items=[("RAS", None, X("raspberry|bringebær|hallon|málna|פטל"), 0.6),
                ("BCUR", None, X("blackcurrant|solbær|svarta vinbär|feketeribizli|דומדמניות שחורות"), 0.4),
                ("ELD", None, X("elderflower|hylleblomst|fläder|bodzavirág|סמבוק"), 0.3)],
         sizes=[("1L", S(1, "l"), 1.0, 1.0)], base=45, margin=0.3)


def snacks(C):
    cat = "Groceries > Snacks & sweets"
    chips = X("potato chips|potetgull|chips|burgonyachips|צ'יפס")
    flav = [("SALT", None, X("salted|salt|saltade|sós|מלוח"), 1.3),
            ("SCO", None, X("sour cream & onion|rømme og løk|gräddfil och lök|tejfölös-hagymás|שמנת ובצל"), 1.1),
            ("PAPR", None, X("paprika|paprika|paprika|paprikás|פפריקה"), 1.0),
            ("SV", None, X("salt & vinegar|salt og eddik|salt och vinäger|sós-ecetes|מלח וחומץ"), 0.6),
            ("CHON", None, X("cheese & onion|ost og løk|ost och lök|sajtos-hagymás|גבינה ובצל"), 0.5),
            ("SWCH", None, X("sweet chili|sweet chili|sweet chili|édes chilis|צ'ילי מתוק"), 0.5),
            ("CHLI", None, X("chili & lime|chili og lime|chili och lime|chilis-limés|צ'ילי וליים"), 0.35),
            ("BBQ", None, X("barbecue|grill|grill|barbecue ízű|ברביקיו"), 0.4, 1.0, {"season": "summer+"}),
            ("TRUF", None, X("truffle|trøffel|tryffel|szarvasgombás|כמהין"), 0.15, 1.4)]
    grid(C, "CHIPS", cat, "chips", noun=chips,
         brands=[("KN", "Knasen", 1.0, 1.3), ("SP", "Sprø", 0.95, 1.0), NL, ("HL", "Håndlaget", 1.35, 0.4),
                 ("GK", "Gullknask", 1.05, 0.6), ("FJ", "Fjellchips", 1.1, 0.4)],
         items=flav, base=35, margin=0.33, coverage=0.85, brand_pitch={"HL": PITCH["handcooked"]},
         sizes=lambda i, b: ([("40", S(40, "g"), 0.45, 0.5)] if b in ("KN", "SP") and i in ("SALT", "SCO", "PAPR", "SV") else [])
         + [("175", S(175, "g"), 1.0, 1.0)] + ([("275", S(275, "g"), 1.3, 0.6)] if b != "HL" else []),
         qty="multi")
    other = [("POPC", X("popcorn|popcorn|popcorn|pattogatott kukorica|פופקורן"), None, 0.6, 0.8),
             ("MWPOP", X("microwave popcorn|mikrobølgepopcorn|micropopcorn|mikrós popcorn|פופקורן למיקרוגל"), X("3-pack|3-pakning|3-pack|3 db-os|מארז 3"), 0.5, 1.0),
             ("PUFF", X("cheese puffs|ostepop|ostbågar|sajtos pufi|חטיף גבינה"), None, 0.8, 0.8),
             ("PEAN", X("salted peanuts|saltede peanøtter|saltade jordnötter|sós földimogyoró|בוטנים מלוחים"), None, 0.7, 1.0, {"group": "nuts"}),
             ("CASH", X("salted cashews|saltede cashewnøtter|saltade cashewnötter|sós kesudió|קשיו מלוח"), None, 0.4, 1.5, {"group": "nuts"}),
             ("MIXN", X("mixed nuts|nøtteblanding|nötmix|vegyes dió|תערובת אגוזים"), None, 0.35, 1.5, {"group": "nuts"}),
             ("PRETZ", X("pretzels|saltkringler|saltkringlor|sós perec|בייגלה"), None, 0.35, 0.8),
             ("RICEC", X("rice cakes|riskaker|riskakor|puffasztott rizs|פריכיות אורז"), None, 0.3, 0.7)]
    grid(C, "SNACK", cat, "snack_other", brands=[("KN", "Knasen", 1.0, 1.0), NL, ("SP", "Sprø", 0.95, 0.7)],
         items=other, base=32, margin=0.33, coverage=0.75, sizes=[("STD", None, 1.0, 1.0)])
    dried = [("APRI", X("dried apricots|tørkede aprikoser|torkade aprikoser|aszalt sárgabarack|משמש מיובש"), None, 0.6),
             ("DATES", X("dates|dadler|dadlar|datolya|תמרים"), None, 0.8, 1.0, {"season": "xmas+"}),
             ("PRUNE", X("prunes|svisker|katrinplommon|aszalt szilva|שזיפים מיובשים"), None, 0.4),
             ("FIGS", X("dried figs|tørkede fiken|torkade fikon|aszalt füge|תאנים מיובשות"), None, 0.3, 1.2, {"season": "xmas+"}),
             ("CRAN", X("dried cranberries|tørkede tranebær|torkade tranbär|aszalt vörösáfonya|חמוציות מיובשות"), None, 0.4)]
    grid(C, "DRIED", cat, "nuts", brands=[NL, ("SV", "Solvik", 1.2, 0.8)], items=dried, base=35, margin=0.35,
         coverage=0.85, sizes=[("200", S(200, "g"), 1.0, 1.0)])
    bars = [("OATH", X("oat bar|havrebar|havrebar|zabszelet|חטיף שיבולת שועל"), X("honey|honning|honung|mézes|דבש"), 1.0),
            ("OATC", X("oat bar|havrebar|havrebar|zabszelet|חטיף שיבולת שועל"), X("chocolate|sjokolade|choklad|csokis|שוקולד"), 0.8),
            ("PROTC", X("protein bar|proteinbar|proteinbar|fehérjeszelet|חטיף חלבון"), X("chocolate|sjokolade|choklad|csokis|שוקולד"), 0.8, 1.4),
            ("PROTP", X("protein bar|proteinbar|proteinbar|fehérjeszelet|חטיף חלבון"), X("peanut|peanøtt|jordnöt|mogyorós|בוטנים"), 0.6, 1.4),
            ("PROTK", X("protein bar|proteinbar|proteinbar|fehérjeszelet|חטיף חלבון"), X("caramel|karamell|karamell|karamellás|קרמל"), 0.5, 1.4)]
    grid(C, "BAR", cat, "bars", brands=[("KM", "Kornmo", 1.0, 1.0), NL], items=bars, base=19, margin=0.35,
         coverage=0.9, sizes=[("1", None, 1.0, 1.0), ("5", S(5, "pcs"), 3.9, 0.4)])
    gum = [("MINT", X("chewing gum|tyggegummi|tuggummi|rágógumi|מסטיק"), X("mint|mint|mint|mentás|מנטה"), 1.0),
           ("FRUIT", X("chewing gum|tyggegummi|tuggummi|rágógumi|מסטיק"), X("fruit|frukt|frukt|gyümölcsös|פירות"), 0.6),
           ("PAST", X("liquorice pastilles|lakrispastiller|lakritspastiller|édesgyökér pasztilla|פסטילים ליקריץ"), None, 0.5)]
    grid(C, "GUM", cat, "gum", brands=[("TY", "Tyggis", 1.0, 1.0), NL], items=gum, base=19, margin=0.4, coverage=0.9,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] + ([("BIG", S(100, "g"), 3.5, 0.3)] if i != "PAST" else []))
    grid(C, "DIPMIX", cat, "dip_mix", noun=X("dip mix|dippmiks|dippmix|mártogatós keverék|תערובת למטבל"),
         brands=[("KN", "Knasen", 1.0, 1.0), NL, ("ES", "El Sol", 1.05, 0.4)],
         items=[("DILL", None, X("dill|dill|dill|kapros|שמיר"), 1.0),
                ("ONION", None, X("onion|løk|lök|hagymás|בצל"), 0.8),
                ("GARL", None, X("garlic|hvitløk|vitlök|fokhagymás|שום"), 0.6),
                ("PAPR", None, X("paprika|paprika|paprika|paprikás|פפריקה"), 0.5),
                ("CHIVE", None, X("chive|gressløk|gräslök|snidlinges|עירית"), 0.4),
                ("CHILI", None, X("chili|chili|chili|chilis|צ'ילי"), 0.4)],
         sizes=[("STD", None, 1.0, 1.0)], base=15, margin=0.45, coverage=0.55,
         item_pitch={k: PITCH["dipmix"] for k in ("DILL", "ONION", "GARL", "PAPR", "CHIVE", "CHILI")})
    grid(C, "DIP", cat, "dip", noun=X("ready-made dip|ferdig dipp|färdig dipp|kész mártogatós|מטבל מוכן"),
         brands=[("FG", "Fjellgården", 1.0, 1.0)],
         items=[("DILL", None, X("dill|dill|dill|kapros|שמיר"), 1.0),
                ("GARL", None, X("garlic|hvitløk|vitlök|fokhagymás|שום"), 0.6),
                ("CHILI", None, X("chili|chili|chili|chilis|צ'ילי"), 0.5)],
         sizes=[("200", S(200, "g"), 1.0, 1.0)], base=32, margin=0.3)
    choc = X("chocolate|sjokolade|choklad|csokoládé|שוקולד")
    cflav = [("MILK", None, X("milk|melk|mjölk|tej|חלב"), 1.5),
             ("DARK", None, X("dark 70 %|mørk 70 %|mörk 70 %|étcsokoládé 70%|מריר 70%"), 0.8),
             ("HAZ", None, X("hazelnut|hasselnøtt|hasselnöt|mogyorós|אגוזי לוז"), 0.9),
             ("RAIS", None, X("raisin & nut|rosin og nøtt|russin och nöt|mazsolás-mogyorós|צימוקים ואגוזים"), 0.6),
             ("CARA", None, X("caramel & sea salt|karamell og havsalt|karamell och havssalt|karamellás-tengeri sós|קרמל ומלח ים"), 0.6),
             ("MINT", None, X("mint crisp|mintsprø|mintkrisp|ropogós mentás|מנטה פריכה"), 0.4),
             ("ORA", None, X("orange|appelsin|apelsin|narancsos|תפוז"), 0.35, 1.0, {"season": "xmas+"}),
             ("ALM", None, X("almond|mandel|mandel|mandulás|שקדים"), 0.35),
             ("WHITE", None, X("white|hvit|vit|fehér|לבן"), 0.3),
             ("CRISP", None, X("rice crisp|crisp|crisp|rizspelyhes|פצפוצי אורז"), 0.4)]
    grid(C, "CHOC", cat, "chocolate", noun=choc,
         brands=[("FS", "Fjellsjokolade", 1.0, 1.3), NL, ("KB", "Kakaobua", 1.4, 0.5), ("NS", "Nordstjerne", 1.05, 0.7)],
         items=cflav, base=27, margin=0.34, coverage=0.9,
         sizes=lambda i, b: ([("60", S(60, "g"), 0.7, 0.8)] if b in ("FS", "NS") else []) + [("100", S(100, "g"), 1.0, 1.0)]
         + ([("200", S(200, "g"), 1.7, 0.55)] if b in ("FS", "NL", "NS") else []),
         qty="multi")
    grid(C, "WAFER", cat, "chocolate", noun=X("chocolate wafer bar|sjokoladekjeks|chokladrån|csokoládés ostya|חטיף ופל בציפוי שוקולד"),
         brands=[("FS", "Fjellsjokolade", 1.0, 1.0)], items=[("FJT", None, same("Fjelltur"), 1.2, 1.0, {"season": "easter+"})],
         sizes=[("1", S(47, "g"), 1.0, 1.0), ("4", S(47, "g", 4), 3.2, 0.5)], base=19, margin=0.3)
    candy = [("WINE", X("wine gums|vingummi|vingummi|gumicukor|סוכריות גומי"), None, 1.0),
             ("LIQ", X("liquorice|lakris|lakrits|édesgyökér cukor|ליקריץ"), None, 0.6),
             ("SOUR", X("sour jellies|sure godteri|sura godisar|savanyú gumicukor|סוכריות גומי חמוצות"), None, 0.8),
             ("TOFF", X("chocolate toffees|sjokoladekaramell|chokladkola|csokis karamella|טופי שוקולד"), None, 0.5),
             ("MARSH", X("marshmallows|marshmallows|marshmallows|mályvacukor|מרשמלו"), None, 0.35, 1.0, {"season": "summer+"}),
             ("JBEAN", X("jelly beans|gelébønner|gelébönor|zselés cukorka|סוכריות ג'לי"), None, 0.3)]
    grid(C, "CANDY", cat, "candy", brands=[("GB", "Godtebua", 1.0, 1.0), NL, ("SG", "Sukkertoppen", 1.1, 0.6)],
         items=candy, base=29, margin=0.4, coverage=0.9,
         sizes=lambda i, b: [("200", S(200, "g"), 1.0, 1.0)] + ([("400", S(400, "g"), 1.75, 0.4)] if b == "GB" else []))
    C.add("CANDY-PICKMIX", X("pick & mix sweets|smågodt|lösgodis|válogatós cukorka|ממתקים בתפזורת"),
          price=11990, margin=0.55, category=cat, group="pick_mix", unit="kg", pop=2.0,
          stock=(8, 30), qty="kg_candy")
    bisc = [("DIG", X("digestive biscuits|digestivekjeks|digestivekex|digestive keksz|ביסקוויט דייג'סטיב"), None, 0.8),
            ("CHOCB", X("chocolate biscuits|sjokoladekjeks|chokladkex|csokis keksz|עוגיות שוקולד"), None, 1.0),
            ("OAT", X("oat biscuits|havrekjeks|havrekex|zabos keksz|עוגיות שיבולת שועל"), None, 0.6),
            ("CREAM", X("cream-filled biscuits|fylte kjeks|fyllda kex|krémes keksz|עוגיות ממולאות קרם"), None, 0.7),
            ("MARIE", X("Marie biscuits|Mariekjeks|Mariekex|háztartási keksz|ביסקוויטים מרי"), None, 0.6, 0.7),
            ("COOK", X("chocolate chip cookies|cookies med sjokolade|chocolate chip cookies|csokidarabos keksz|עוגיות שוקולד צ'יפס"), None, 0.6, 1.2)]
    grid(C, "BISC", cat, "biscuits", brands=[("KB", "Kjeksfabrikken", 1.0, 1.0), NL], items=bisc, base=25,
         margin=0.33, coverage=0.8, sizes=[("STD", None, 1.0, 1.0)])


def beverages(C):
    cat = "Beverages > Soft drinks"
    sodas = [("COLA", X("cola|cola|cola|kóla|קולה"), None, 1.6),
             ("ZERO", X("cola zero|cola zero|cola zero|kóla zero|קולה זירו"), None, 1.3),
             ("ORA", X("orange soda|appelsinbrus|apelsinläsk|narancsos üdítő|משקה תפוזים מוגז"), None, 0.7),
             ("LEM", X("lemon-lime soda|sitronbrus|citronläsk|citromos üdítő|משקה לימון-ליים מוגז"), None, 0.6),
             ("PEAR", X("pear soda|pærebrus|päronsoda|körtés üdítő|משקה אגסים מוגז"), None, 0.6),
             ("RAS", X("raspberry soda|bringebærbrus|hallonsoda|málnás üdítő|משקה פטל מוגז"), None, 0.5),
             ("GING", X("ginger ale|ginger ale|ginger ale|gyömbér üdítő|ג'ינג'ר אייל"), None, 0.25),
             ("TONIC", X("tonic water|tonic|tonic|tonik|מי טוניק"), None, 0.25),
             ("CHER", X("cherry soda|kirsebærbrus|körsbärsläsk|meggyes üdítő|משקה דובדבנים מוגז"), None, 0.25),
             ("GRAPE", X("grapefruit soda|grapefruktbrus|grapefruktläsk|grapefruitos üdítő|משקה אשכוליות מוגז"), None, 0.25),
             ("ZORA", X("orange soda zero|appelsinbrus uten sukker|apelsinläsk sockerfri|cukormentes narancsos üdítő|משקה תפוזים מוגז ללא סוכר"), None, 0.35)]
    grid(C, "SODA", cat, "soda", brands=[("BO", "Bobla", 1.0, 1.3), NL, ("FB", "Fjordbrus", 1.05, 0.7),
                                          ("KK", "Kildekompaniet", 1.1, 0.4)],
         items=sodas, base=29, margin=0.35, coverage=0.85, qty="multi",
         sizes=lambda i, b: [("033", S(0.33, "l"), 0.7, 0.6), ("05", S(0.5, "l"), 1.0, 1.0), ("15", S(1.5, "l"), 1.35, 0.75)]
         + ([("6X033", S(0.33, "l", 6), 3.3, 0.3)] if b in ("BO", "NL") else []))
    grid(C, "JULEBRUS", "Seasonal > Christmas", "julebrus",
         noun=X("Christmas soda|julebrus|julmust|karácsonyi üdítő|משקה מוגז לחג המולד"),
         brands=[("BO", "Bobla", 1.0, 1.0), NL], items=[("STD", None, None, 1.0)], season="xmas",
         sizes=[("05", S(0.5, "l"), 1.0, 1.0), ("15", S(1.5, "l"), 1.35, 0.8)], base=29, margin=0.35,
         qty="multi")
    grid(C, "ENERGY", cat, "energy", noun=X("energy drink|energidrikk|energidryck|energiaital|משקה אנרגיה"),
         brands=[("VO", "Volt", 1.0, 1.2), NL],
         items=[("ORIG", None, X("original|original|original|eredeti|מקורי"), 1.0),
                ("SF", None, X("sugar-free|sukkerfri|sockerfri|cukormentes|ללא סוכר"), 1.0),
                ("TROP", None, X("tropical|tropisk|tropisk|trópusi|טרופי"), 0.6),
                ("BERRY", None, X("berries|bær|bär|bogyós|פירות יער"), 0.4)],
         sizes=[("05", S(0.5, "l"), 1.0, 1.0)], base=29, margin=0.35, coverage=0.6, qty="multi")
    water = [("STILL", X("still water|kildevann|källvatten|szénsavmentes ásványvíz|מים מינרליים"), None, 1.0),
             ("SPARK", X("sparkling water|vann med kullsyre|kolsyrat vatten|szénsavas ásványvíz|מים מוגזים"), None, 1.2),
             ("LEMON", X("sparkling water|vann med kullsyre|kolsyrat vatten|szénsavas ásványvíz|מים מוגזים"), X("lemon|sitron|citron|citromos|לימון"), 0.7),
             ("LIME", X("sparkling water|vann med kullsyre|kolsyrat vatten|szénsavas ásványvíz|מים מוגזים"), X("lime|lime|lime|limés|ליים"), 0.5),
             ("RASP", X("sparkling water|vann med kullsyre|kolsyrat vatten|szénsavas ásványvíz|מים מוגזים"), X("raspberry|bringebær|hallon|málnás|פטל"), 0.4),
             ("PEAR", X("sparkling water|vann med kullsyre|kolsyrat vatten|szénsavas ásványvíz|מים מוגזים"), X("pear|pære|päron|körtés|אגס"), 0.35)]
    grid(C, "WATER", "Beverages > Water", "water", brands=[("KV", "Kildevik", 1.0, 1.0), NL], items=water,
         base=22, margin=0.4, coverage=0.7, qty="multi",
         sizes=[("05", S(0.5, "l"), 1.0, 1.0), ("15", S(1.5, "l"), 1.35, 0.6)])
    grid(C, "SPORT", cat, "energy", noun=X("sports drink|sportsdrikk|sportdryck|sportital|משקה ספורט"),
         brands=[("VO", "Volt", 1.0, 1.0)],
         items=[("CITR", None, X("citrus|sitrus|citrus|citrusos|הדרים"), 1.0),
                ("BERRY", None, X("berries|bær|bär|bogyós|פירות יער"), 0.7)],
         sizes=[("05", S(0.5, "l"), 1.0, 1.0)], base=25, margin=0.35)
    grid(C, "KOMB", cat, "iced_tea", noun=X("kombucha|kombucha|kombucha|kombucha|קומבוצ'ה"),
         brands=[("KK", "Kildekompaniet", 1.0, 1.0)],
         items=[("GING", None, X("ginger|ingefær|ingefära|gyömbéres|ג'ינג'ר"), 1.0),
                ("RASP", None, X("raspberry|bringebær|hallon|málnás|פטל"), 0.8),
                ("ORIG", None, X("original|original|original|eredeti|מקורי"), 0.6)],
         sizes=[("033", S(0.33, "l"), 1.0, 1.0)], base=32, margin=0.35)
    grid(C, "ICETEA", cat, "iced_tea", noun=X("iced tea|iste|iste|jeges tea|תה קר"),
         brands=[("BO", "Bobla", 1.0, 1.0)],
         items=[("PEACH", None, X("peach|fersken|persika|barackos|אפרסק"), 1.0, 1.0, {"season": "summer+"}),
                ("LEMON", None, X("lemon|sitron|citron|citromos|לימון"), 0.8, 1.0, {"season": "summer+"})],
         sizes=[("05", S(0.5, "l"), 1.0, 1.0), ("15", S(1.5, "l"), 1.35, 0.6)], base=27, margin=0.35)

    # alcohol (age-restricted)
    beer = X("beer|øl|öl|sör|בירה")
    styles = [("PILS", X("pilsner|pils|pilsner|pilzeni|פילזנר"), 1.6, 1.0),
              ("LAGER", X("lager|lager|lager|világos láger|לאגר"), 1.0, 1.0),
              ("IPA", same("IPA"), 0.7, 1.3),
              ("PALE", X("pale ale|pale ale|pale ale|pale ale|פייל אייל"), 0.4, 1.25),
              ("WHEAT", X("wheat beer|hveteøl|veteöl|búzasör|בירת חיטה"), 0.35, 1.2),
              ("AMBER", X("amber ale|amber|amber ale|borostyán|אמבר אייל"), 0.25, 1.25)]
    items = [(c, beer, v, p, f) for c, v, p, f in styles]
    grid(C, "BEER", "Beverages > Beer", "beer",
         brands=[("FB", "Fjellbrygg", 1.0, 1.2), ("NO", "Nordøl", 0.95, 1.0), ("EB", "Elvebrygg", 1.2, 0.5),
                 ("VB", "Vikingbryggeriet", 1.1, 0.4)],
         items=items, base=42, margin=0.22, coverage=0.9, age=True, qty="multi",
         sizes=lambda i, b: [("033", S(0.33, "l"), 0.72, 0.6), ("05", S(0.5, "l"), 1.0, 1.0),
                             ("6X05", S(0.5, "l", 6), 5.4, 0.5)]
         + ([("24X033", S(0.33, "l", 24), 14.5, 0.15)] if i in ("PILS", "LAGER") else []))
    grid(C, "BEER", "Beverages > Beer", "beer_af", brands=[("FB", "Fjellbrygg", 1.0, 1.0), ("NO", "Nordøl", 0.95, 0.8)],
         items=[("AFPILS", beer, X("alcohol-free pilsner|alkoholfri pils|alkoholfri pilsner|alkoholmentes pilzeni|פילזנר ללא אלכוהול"), 0.5),
                ("AFIPA", beer, X("alcohol-free IPA|alkoholfri IPA|alkoholfri IPA|alkoholmentes IPA|IPA ללא אלכוהול"), 0.3)],
         sizes=[("05", S(0.5, "l"), 1.0, 1.0)], base=29, margin=0.3, item_pitch={"AFPILS": PITCH["alcfree"], "AFIPA": PITCH["alcfree"]},
         qty="multi")
    grid(C, "BEER", "Beverages > Beer", "juleol", brands=[("FB", "Fjellbrygg", 1.0, 1.0), ("NO", "Nordøl", 0.95, 0.8)],
         items=[("JUL", beer, X("Christmas ale|juleøl|julöl|karácsonyi sör|בירת חג המולד"), 1.0)],
         sizes=[("05", S(0.5, "l"), 1.0, 1.0), ("6X05", S(0.5, "l", 6), 5.4, 0.5)], base=45, margin=0.22,
         age=True, season="xmas", qty="multi")
    grid(C, "CIDER", "Beverages > Cider", "cider", noun=X("cider|sider|cider|almabor|סיידר"),
         brands=[("FS", "Fjordsider", 1.0, 1.0)],
         items=[("APPLE", None, X("apple|eple|äpple|alma|תפוחים"), 1.0),
                ("PEAR", None, X("pear|pære|päron|körte|אגסים"), 0.6),
                ("ELDER", None, X("elderflower|hylleblomst|fläder|bodzavirág|סמבוק"), 0.4, 1.0, {"season": "summer+"}),
                ("BERRY", None, X("wild berries|villbær|vilda bär|erdei gyümölcs|פירות יער"), 0.4)],
         sizes=[("033", S(0.33, "l"), 1.0, 1.0)], base=39, margin=0.25, age=True, qty="multi")
    red = X("red wine|rødvin|rött vin|vörösbor|יין אדום")
    white = X("white wine|hvitvin|vitt vin|fehérbor|יין לבן")
    wines = [("CAB", red, X("Cabernet Sauvignon|Cabernet Sauvignon|Cabernet Sauvignon|Cabernet Sauvignon|קברנה סוביניון"), 1.0, 1.0, {"group": "wine_red", "meta": {"brand_name": "Casa del Monte"}}),
             ("MER", red, same("Merlot") [:4] + ("מרלו",), 0.7, 1.0, {"group": "wine_red"}),
             ("TEMP", red, same("Tempranillo")[:4] + ("טמפרניו",), 0.7, 1.1, {"group": "wine_red"}),
             ("CHAR", white, same("Chardonnay")[:4] + ("שרדונה",), 0.8, 1.0, {"group": "wine_white"}),
             ("SAUV", white, same("Sauvignon Blanc")[:4] + ("סוביניון בלאן",), 0.7, 1.05, {"group": "wine_white"}),
             ("RIES", white, same("Riesling")[:4] + ("ריסלינג",), 0.5, 1.1, {"group": "wine_white"}),
             ("ROSE", X("rosé wine|rosévin|rosévin|rozébor|יין רוזה"), None, 0.5, 1.0, {"group": "wine_white", "season": "summer+"}),
             ("PROS", X("sparkling wine|musserende vin|mousserande vin|habzóbor|יין מבעבע"), same("Prosecco")[:4] + ("פרוסקו",), 0.6, 1.1, {"group": "wine_sparkling", "season": "xmas+"})]
    grid(C, "WINE", "Beverages > Wine", "wine", brands=[("CM", "Casa del Monte", 1.0, 1.0), ("DL", "Domaine Lumière", 1.5, 0.5)],
         items=wines, base=149, margin=0.25, coverage=0.9, age=True, sizes=[("75", S(75, "cl"), 1.0, 1.0)])
    grid(C, "WINE", "Beverages > Wine", "wine", brands=[("CM", "Casa del Monte", 1.0, 1.0)],
         items=[("BIBR", red, X("bag-in-box|bag-in-box|bag-in-box|dobozos|בשקית"), 0.6, 1.0, {"group": "wine_red"}),
                ("BIBW", white, X("bag-in-box|bag-in-box|bag-in-box|dobozos|בשקית"), 0.4, 1.0, {"group": "wine_white"})],
         sizes=[("3L", S(3, "l"), 1.0, 1.0)], base=449, margin=0.25, age=True)
    snus = X("snus|snus|snus|snus|סנוס")
    grid(C, "SNUS", "Tobacco > Snus", "snus", noun=snus,
         brands=[("FJ", "Fjellsnus", 1.0, 1.2), ("PO", "Polar", 1.0, 0.9), ("NT", "Nordtobakk", 0.95, 0.5)],
         items=[("ORIG", None, X("original portion|original porsjon|original portion|eredeti adagolt|מנות מקוריות"), 1.3),
                ("WHITE", None, X("white portion|white porsjon|vit portion|fehér adagolt|מנות לבנות"), 1.0),
                ("STRONG", None, X("strong portion|sterk porsjon|stark portion|erős adagolt|מנות חזקות"), 0.6),
                ("MINT", None, X("mint portion|mint porsjon|mint portion|mentás adagolt|מנות מנטה"), 0.5),
                ("LOOSE", None, X("loose|løs|lös|szálas|בתפזורת"), 0.25)],
         sizes=[("STD", None, 1.0, 1.0)], base=119, margin=0.1, coverage=0.9, age=True, qty="multi")
    grid(C, "NICO", "Tobacco > Nicotine pouches", "snus",
         noun=X("nicotine pouches|nikotinposer|nikotinpåsar|nikotintasak|שקיקי ניקוטין"),
         brands=[("NZ", "Nordic Zero", 1.0, 1.0)],
         items=[("MINT", None, X("mint|mint|mint|mentás|מנטה"), 1.0),
                ("CITR", None, X("citrus|sitrus|citrus|citrusos|הדרים"), 0.6),
                ("BERRY", None, X("berries|bær|bär|bogyós|פירות יער"), 0.5)],
         sizes=[("STD", None, 1.0, 1.0)], base=89, margin=0.2, age=True)
    C.add("CIG-NT-RED-20", X("cigarettes|sigaretter|cigaretter|cigaretta|סיגריות"), brand="Nordtobakk",
          var=(X("red|rød|röd|piros|אדום"),), size=S(20, "pcs"), price=15900, margin=0.08,
          category="Tobacco > Cigarettes", group="cigarettes", age=True, pop=0.5)
    C.add("CIG-NT-BLUE-20", X("cigarettes|sigaretter|cigaretter|cigaretta|סיגריות"), brand="Nordtobakk",
          var=(X("blue|blå|blå|kék|כחול"),), size=S(20, "pcs"), price=15900, margin=0.08,
          category="Tobacco > Cigarettes", group="cigarettes", age=True, pop=0.35)


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


def meat_fish(C):
    cat = "Groceries > Meat"
    FK = ("FK", "Fjordkjøtt", 1.1, 1.0)
    mince = X("minced beef|kjøttdeig|nötfärs|darált marhahús|בשר בקר טחון")
    grid(C, "MINCE", cat, "ground_beef", noun=mince, brands=[NL, FK],
         items=[("14", None, X("14 % fat|14 % fett|14 % fett|14% zsír|14% שומן"), 1.5),
                ("5", None, X("lean 5 % fat|mager 5 % fett|mager 5 % fett|sovány, 5% zsír|רזה 5% שומן"), 0.6, 1.2, {"pitch": PITCH["lean"]})],
         sizes=[("400", S(400, "g"), 1.0, 1.0), ("800", S(800, "g"), 1.85, 0.4)], base=49, margin=0.22)
    chicken = [("FIL", X("chicken breast fillets|kyllingfilet|kycklingfilé|csirkemellfilé|חזה עוף"), None, 1.5, 1.0, {"group": "chicken"}),
               ("THIGH", X("chicken thigh fillets|kyllinglårfilet|kycklinglårfilé|csirkecombfilé|פרגיות"), None, 0.6, 0.9, {"group": "chicken"}),
               ("DRUM", X("chicken drumsticks|kyllingklubber|kycklingklubbor|csirkealsócomb|שוקי עוף"), None, 0.6, 0.6, {"group": "chicken", "season": "summer+"}),
               ("STRIP", X("chicken strips for tacos|kyllingstrimler til taco|kycklingstrimlor för taco|csirkecsíkok tacóhoz|רצועות עוף לטאקו"), None, 0.5, 0.9, {"group": "taco_meat"})]
    grid(C, "CHICK", cat, "chicken", brands=[NL, ("FK", "Fjordkylling", 1.1, 1.0)], items=chicken, base=79,
         margin=0.22, coverage=0.8,
         sizes=lambda i, b: [("400", S(400, "g"), 1.0, 1.0)] + ([("1KG", S(1, "kg"), 2.2, 0.45)] if i == "FIL" else []))
    pork = [("CHOP", X("pork chops|svinekoteletter|fläskkotletter|sertéskaraj|צלעות חזיר"), None, 0.6, 1.0, {"group": "pork"}),
            ("TEND", X("pork tenderloin|svinefilet|fläskfilé|sertésszűz|פילה חזיר"), None, 0.4, 1.4, {"group": "pork"}),
            ("BACON", X("bacon|bacon|bacon|bacon|בייקון"), None, 1.0, 0.5, {"group": "bacon"}),
            ("WIEN", X("wiener sausages|wienerpølser|wienerkorv|bécsi virsli|נקניקיות וינר"), None, 1.3, 0.9, {"group": "wiener"}),
            ("GRILL", X("grill sausages|grillpølser|grillkorv|grillkolbász|נקניקיות לגריל"), None, 1.1, 0.9, {"group": "grill_sausage", "season": "summer+"}),
            ("CHEESE", X("cheese sausages|ostepølser|ostkorv|sajtos kolbász|נקניקיות גבינה"), None, 0.5, 1.0, {"group": "grill_sausage", "season": "summer+"}),
            ("BURG", X("beef burgers 4 pcs|hamburgere 4 stk|hamburgare 4 st|marhahúspogácsa 4 db|המבורגרים 4 יח'"), None, 0.9, 1.0, {"group": "burger", "season": "summer+"}),
            ("MBALL", X("meatballs|kjøttboller|köttbullar|húsgombóc|כדורי בשר"), None, 0.5, 0.9, {"group": "meatballs"}),
            ("KAKER", X("meat patties (kjøttkaker)|kjøttkaker|köttfärsbiffar|fasírt|קציצות בשר"), None, 0.6, 0.9, {"group": "meatballs"}),
            ("CMBALL", X("chicken meatballs|kyllingkjøttboller|kycklingköttbullar|csirkehúsgombóc|כדורי עוף"), None, 0.3, 1.0, {"group": "meatballs"})]
    grid(C, "MEAT", cat, "pork", brands=[NL, FK], items=pork, base=59, margin=0.24, coverage=0.85,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] + ([("2X", S(140, "g", 2), 1.8, 0.5)] if i == "BACON" else []))
    xmas = [("XM-RIBBE", X("pork belly ribs (ribbe)|ribbe|revbensspjäll|sertésoldalas (ribbe)|צלעות חזיר לחג המולד"), 129, "kg", 2.5, (1.5, 4.0)),
            ("XM-PINNE", X("salted lamb ribs (pinnekjøtt)|pinnekjøtt|saltade lammrevben|sózott bárányborda|צלעות כבש מיובשות"), 349, "kg", 1.6, (0.8, 2.0)),
            ("XM-LUTEFISK", X("lutefisk|lutefisk|lutfisk|lúgos tőkehal|דג לוטפיסק"), 149, "kg", 0.7, (0.8, 2.0)),
            ("XM-MEDISTER", X("medister patties|medisterkaker|medisterbiffar|medister fasírt|קציצות מדיסטר"), 69, "each", 1.2, None),
            ("XM-JULEPOLSE", X("Christmas sausage|julepølse|julkorv|karácsonyi kolbász|נקניק חג המולד"), 79, "each", 0.9, None)]
    for sku, noun, nok, unit, pop, kg in xmas:
        C.add(sku, noun, brand=None if unit == "kg" else "Fjordkjøtt", price=round_price(nok, "g"),
              margin=0.25, category="Groceries > Meat > Christmas", group="xmas_meat", unit=unit,
              pop=pop, season="xmas", stock=(10.0, 60.0) if unit == "kg" else (10, 40),
              qty=("kg", kg) if unit == "kg" else "std")
    cat = "Groceries > Fish"
    HB = ("HB", "Havbris", 1.0, 1.2)
    fish = [("SALMON", X("salmon fillets|laksefilet|laxfilé|lazacfilé|פילה סלמון"), None, 1.3, 1.0, {"group": "salmon"}),
            ("COD", X("cod fillets|torskefilet|torskfilé|tőkehalfilé|פילה בקלה"), None, 0.8, 0.9, {"group": "cod"}),
            ("FCAKE", X("fish cakes|fiskekaker|fiskbiffar|halpogácsa|קציצות דגים"), None, 1.0, 0.6, {"group": "fish_cakes"}),
            ("FBALL", X("fish balls|fiskeboller|fiskbullar|halgombóc|כדורי דגים"), None, 0.4, 0.5, {"group": "fish_cakes"}),
            ("SMACK", X("smoked mackerel|røkt makrell|rökt makrill|füstölt makréla|מקרל מעושן"), None, 0.4, 0.6, {"group": "smoked_fish"}),
            ("HERR", X("pickled herring|sursild|inlagd sill|ecetes hering|הרינג כבוש"), None, 0.5, 0.5, {"group": "herring", "season": "xmas+"}),
            ("TUNA", X("tuna in water|tunfisk i vann|tonfisk i vatten|tonhal sós lében|טונה במים"), None, 0.9, 0.3, {"group": "tuna"}),
            ("SHRIMP", X("shrimps in brine|reker i lake|räkor i lake|sós lében tartósított garnéla|שרימפס במי מלח"), None, 0.4, 0.7, {"group": "prawns"})]
    grid(C, "FISH", cat, "fish", brands=[HB, NL, ("LF", "Lofotfisk", 1.2, 0.5)], items=fish, base=79,
         margin=0.25, coverage=0.8,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] + ([("4X125", S(125, "g", 4), 1.8, 0.4)] if i == "SALMON" else []))


def frozen(C):
    cat = "Groceries > Frozen"
    pizza = X("frozen pizza|frossen pizza|fryst pizza|fagyasztott pizza|פיצה קפואה")
    grid(C, "PIZZA", cat, "pizza", noun=pizza,
         brands=[("PB", "Pizzabakeren", 1.0, 1.3), NL, ("ST", "Steinovn", 1.4, 0.5), ("FP", "Familiepizza", 0.9, 0.6)],
         items=[("PEPP", None, X("pepperoni|pepperoni|pepperoni|pepperonis|פפרוני"), 1.3),
                ("HAMM", None, X("ham & mushroom|skinke og sopp|skinka och champinjoner|sonkás-gombás|נקניק ופטריות"), 1.0),
                ("CHEE", None, X("four cheese|fire oster|fyra ostar|négysajtos|ארבע גבינות"), 0.7),
                ("VEG", None, X("vegetarian|vegetar|vegetarisk|vegetáriánus|צמחונית"), 0.5),
                ("TACO", None, X("taco|taco|taco|tacós|טאקו"), 0.8),
                ("KEBAB", None, X("kebab|kebab|kebab|kebabos|קבב"), 0.4),
                ("MARG", None, X("margherita|margherita|margherita|margherita|מרגריטה"), 0.6)],
         sizes=[("STD", None, 1.0, 1.0)], base=59, margin=0.3, coverage=0.85, brand_pitch={"ST": PITCH["stone"]},
         qty="multi")
    frz = [("FRIES", X("oven fries|ovnspommes|ugnspommes|sütőben süthető hasábburgonya|צ'יפס לתנור"), None, 1.0, 1.0, {"group": "fries"}),
           ("WEDGE", X("potato wedges|potetbåter|potatisklyftor|steakburgonya|פלחי תפוחי אדמה"), None, 0.5, 1.1, {"group": "fries"}),
           ("FFING", X("fish fingers|fiskepinner|fiskpinnar|halrudacska|אצבעות דגים"), None, 0.8, 1.2, {"group": "fish_fingers"}),
           ("NUGG", X("chicken nuggets|kyllingnuggets|kycklingnuggets|csirkefalatok|נאגטס עוף"), None, 0.6, 1.3, {"group": "fish_fingers"}),
           ("WOK", X("wok vegetables|wokgrønnsaker|wokgrönsaker|wokzöldség|ירקות לווק"), None, 0.5, 0.8, {"group": "frozen_veg"}),
           ("PEAS", X("green peas|grønne erter|gröna ärtor|zöldborsó|אפונה ירוקה"), None, 0.5, 0.6, {"group": "frozen_veg"}),
           ("BROC", X("broccoli florets|brokkolibuketter|broccolibuketter|brokkolirózsa|פרחי ברוקולי"), None, 0.3, 0.7, {"group": "frozen_veg"}),
           ("BERRY", X("frozen mixed berries|frosne bær|frysta bär|fagyasztott bogyós gyümölcs|פירות יער קפואים"), None, 0.6, 1.0, {"group": "frozen_berries"}),
           ("BLUEB", X("frozen blueberries|frosne blåbær|frysta blåbär|fagyasztott áfonya|אוכמניות קפואות"), None, 0.4, 1.1, {"group": "frozen_berries"}),
           ("SPRING", X("spring rolls|vårruller|vårrullar|tavaszi tekercs|אגרולים"), None, 0.3, 1.2, {"group": "frozen"}),
           ("DUMP", X("dumplings|dumplings|dumplings|gombóc (dumpling)|כיסונים"), None, 0.3, 1.4, {"group": "frozen"}),
           ("SHRIMPF", X("frozen prawns|frosne reker|frysta räkor|fagyasztott garnélarák|שרימפס קפואים"), None, 0.3, 2.0, {"group": "frozen"}),
           ("FCAKEF", X("frozen fish burgers|frosne fiskeburgere|frysta fiskburgare|fagyasztott halburger|המבורגר דגים קפוא"), None, 0.3, 1.2, {"group": "fish_fingers"})]
    grid(C, "FROZ", cat, "frozen", brands=[NL, ("FR", "Frostgården", 1.2, 1.0), ("FJ", "Fjordfrys", 1.1, 0.5)],
         items=frz, base=39, margin=0.3, coverage=0.85,
         sizes=lambda i, b: [("STD", None, 1.0, 1.0)] if i not in ("FRIES",) else
         [("1KG", S(1, "kg"), 1.0, 1.0), ("25KG", S(2.5, "kg"), 2.1, 0.4)])
    ice = X("ice cream|iskrem|glass|jégkrém|גלידה")
    grid(C, "ICE", cat, "ice_cream", noun=ice,
         brands=[("PI", "Polaris Is", 1.0, 1.2), NL, ("GF", "Gårdsis", 1.35, 0.5), ("IK", "Iskrembua", 1.1, 0.5)],
         items=[("VAN", None, X("vanilla|vanilje|vanilj|vaníliás|וניל"), 1.3),
                ("CHOC", None, X("chocolate|sjokolade|choklad|csokoládés|שוקולד"), 1.0),
                ("STR", None, X("strawberry|jordbær|jordgubb|epres|תות"), 0.7),
                ("CARA", None, X("salted caramel|saltkaramell|saltkaramell|sós karamellás|קרמל מלוח"), 0.6),
                ("COOK", None, X("cookie dough|kakedeig|kakdeg|sütitésztás|בצק עוגיות"), 0.4),
                ("NEAP", None, X("Neapolitan|napolitansk|neapolitansk|nápolyi|נפוליטנה"), 0.4)],
         sizes=[("2L", S(2, "l"), 1.0, 1.0)], base=59, margin=0.32, coverage=0.7, season="summer+")
    grid(C, "LOLLY", cat, "ice_lolly", noun=X("ice lollies|saftis|isglass|jégkrém pálcikás|ארטיקים"),
         brands=[("PI", "Polaris Is", 1.0, 1.0), NL],
         items=[("FRUIT", None, X("fruit|frukt|frukt|gyümölcsös|פירות"), 1.0),
                ("CHOC", None, X("chocolate-coated|sjokoladetrukket|chokladöverdragen|csokoládés|בציפוי שוקולד"), 0.8),
                ("CONE", None, X("cones|kjeks|strut|tölcséres|גביעים"), 0.8)],
         sizes=[("6", S(6, "pcs"), 1.0, 1.0)], base=49, margin=0.32, season="summer")


def baking_canned(C):
    cat = "Groceries > Baking"
    items = [
        ("FLOUR", X("wheat flour|hvetemel|vetemjöl|búzaliszt|קמח חיטה"), None, 1.2, 1.0, {"group": "flour"}),
        ("FLOURW", X("wholewheat flour|sammalt hvete|grahamsmjöl|teljes kiőrlésű liszt|קמח מלא"), None, 0.5, 1.2, {"group": "flour"}),
        ("SUGAR", X("sugar|sukker|socker|kristálycukor|סוכר"), None, 1.0, 0.9, {"group": "sugar"}),
        ("ICING", X("icing sugar|melis|florsocker|porcukor|אבקת סוכר"), None, 0.4, 1.1, {"group": "sugar", "season": "xmas+"}),
        ("BROWN", X("brown sugar|brunt sukker|farinsocker|barna cukor|סוכר חום"), None, 0.3, 1.2, {"group": "sugar", "season": "xmas+"}),
        ("BPOW", X("baking powder|bakepulver|bakpulver|sütőpor|אבקת אפייה"), None, 0.5, 0.8, {"group": "baking"}),
        ("YEAST", X("dry yeast|tørrgjær|torrjäst|szárított élesztő|שמרים יבשים"), None, 0.6, 0.6, {"group": "baking"}),
        ("COCOA", X("cocoa powder|kakao|kakao|kakaópor|אבקת קקאו"), None, 0.4, 1.4, {"group": "baking", "season": "xmas+"}),
        ("VANS", X("vanilla sugar|vaniljesukker|vaniljsocker|vaníliás cukor|סוכר וניל"), None, 0.5, 0.8, {"group": "baking", "season": "xmas+"}),
        ("WAFM", X("waffle mix|vaffelmiks|våffelmix|gofripor|תערובת לוופל"), None, 0.8, 1.0, {"group": "waffle_mix"}),
        ("PANM", X("pancake mix|pannekakemiks|pannkaksmix|palacsintapor|תערובת לפנקייק"), None, 0.5, 1.0, {"group": "waffle_mix"}),
        ("RAIS", X("raisins|rosiner|russin|mazsola|צימוקים"), None, 0.5, 1.1, {"group": "raisins", "season": "xmas+"}),
        ("ALMD", X("sweet almonds|søte mandler|sötmandel|édes mandula|שקדים מתוקים"), None, 0.4, 1.6, {"group": "raisins", "season": "xmas+"}),
        ("CHIPS", X("chocolate chips|sjokoladebiter|chokladknappar|csokoládépasztilla|שוקולד צ'יפס לאפייה"), None, 0.3, 1.2, {"group": "baking"}),
        ("SYRUP", X("light syrup|lys sirup|ljus sirap|világos szirup|סירופ בהיר"), None, 0.3, 1.0, {"group": "baking", "season": "xmas+"}),
    ]
    grid(C, "BAKE", cat, "baking", brands=[NL, ("MB", "Mors Bakst", 1.25, 0.8)], items=items, base=25,
         margin=0.3, coverage=0.55,
         sizes=lambda i, b: [("1KG", S(1, "kg"), 1.0, 1.0), ("2KG", S(2, "kg"), 1.8, 0.35)] if i in ("FLOUR", "SUGAR") else [("STD", None, 1.0, 1.0)])
    cat = "Groceries > Canned"
    can = [("CORN", X("sweetcorn|mais|majs|csemegekukorica|תירס גרעינים"), None, 1.0, 1.0, {"group": "corn"}),
           ("KIDN", X("kidney beans|kidneybønner|kidneybönor|vörösbab|שעועית אדומה"), None, 0.5, 1.0, {"group": "beans"}),
           ("CHICK", X("chickpeas|kikerter|kikärtor|csicseriborsó|חומוס גרגרים"), None, 0.5, 1.0, {"group": "beans"}),
           ("BEANT", X("baked beans|bønner i tomatsaus|bönor i tomatsås|paradicsomszószos bab|שעועית ברוטב עגבניות"), None, 0.5, 1.0, {"group": "beans"}),
           ("COCO", X("coconut milk|kokosmelk|kokosmjölk|kókusztej|חלב קוקוס"), None, 0.6, 1.2, {"group": "coconut_milk"}),
           ("PEACH", X("peach halves in syrup|ferskenbåter i sirup|persikohalvor i sockerlag|őszibarack befőtt|חצאי אפרסק בסירופ"), None, 0.3, 1.3),
           ("PINE", X("pineapple rings|ananasringer|ananasringar|ananászkarika|טבעות אננס"), None, 0.3, 1.3),
           ("COCKT", X("fruit cocktail|fruktcocktail|fruktcocktail|gyümölcskoktél|קוקטייל פירות"), None, 0.25, 1.3),
           ("SARD", X("sardines in oil|sardiner i olje|sardiner i olja|szardínia olajban|סרדינים בשמן"), None, 0.25, 1.4),
           ("TUNAO", X("tuna in oil|tunfisk i olje|tonfisk i olja|tonhal olajban|טונה בשמן"), None, 0.5, 1.5, {"group": "tuna"})]
    grid(C, "CAN", cat, "canned", brands=[NL, ("SV", "Solvik", 1.2, 0.9), ("HB", "Havbris", 1.25, 0.5)], items=can,
         base=16, margin=0.3, coverage=0.75, sizes=[("400", S(400, "g"), 1.0, 1.0)], qty="multi")


# the departments made here, by code
DEPARTMENTS = (sauces, cheese_dairy, mexican, coffee_tea, bakery_breakfast, snacks, beverages, baby, fruit_veg, meat_fish, frozen, baking_canned,)
