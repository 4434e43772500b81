"""Shopping missions (pasta night, taco Friday, a phone and its accessories ...):
what each puts in a cart, and how likely each is by day, hour and customer."""
from __future__ import annotations

from .tables import table

SEGMENT_MISSIONS = table("missions")["segments"]

def m_topup(K):
    for _ in range(K.rng.choice((1, 1, 1, 2, 2, 3, 4))):
        K.take("staple")


def m_pasta(K):
    r = K.rng.random()
    if r < 0.15:
        K.take("lasagne")
        K.maybe(0.8, "ground_beef")
        K.maybe(0.7, "canned_tomato", q=2)
        K.maybe(0.5, "grated_cheese+mozzarella")
        K.maybe(0.3, "cream")
        K.maybe(0.3, "onion")
        return
    pasta = K.take("pasta")
    same = (lambda p: p.brand == pasta.brand) if pasta else None
    r = K.rng.random()
    if r < 0.72:
        K.take("pasta_sauce", prefer=same, prefer_p=0.45)
    elif r < 0.87:
        K.take("pesto", prefer=same, prefer_p=0.4)
    K.maybe(0.45, "parmesan")
    K.maybe(0.3, "ground_beef")
    K.maybe(0.2, "onion")
    K.maybe(0.15, "garlic")
    K.maybe(0.12, "canned_tomato")
    K.maybe(0.12, "baguette")
    K.maybe(0.12, "lettuce")
    K.maybe(0.1, "wine_red")
    K.maybe(0.08, "mozzarella")


def m_taco(K):
    K.take("taco_shells")
    K.maybe(0.85, "taco_spice")
    K.maybe(0.75, "taco_sauce")
    K.maybe(0.7, "grated_cheese", prefer=lambda p: p.meta.get("item") == "TACO", prefer_p=0.6)
    r = K.rng.random()
    if r < 0.62:
        K.take("ground_beef")
    elif r < 0.85:
        K.take("taco_meat+chicken")
    K.maybe(0.55, "sour_cream")
    K.maybe(0.45, "tomato")
    K.maybe(0.45, "cucumber")
    K.maybe(0.4, "lettuce")
    K.maybe(0.35, "corn")
    K.maybe(0.25, "pepper")
    K.maybe(0.2, "avocado")
    K.maybe(0.2, "guacamole")
    K.maybe(0.3, "nachos")
    K.maybe(0.2, "taco_extra")
    K.maybe(0.3, "soda")
    K.maybe(0.15, "beer")


def m_breakfast(K):
    if K.rng.random() < 0.8:
        K.take("bread")
    else:
        K.take("rolls")
    K.maybe(0.5, "butter")
    K.maybe(0.35, "hard_cheese")
    K.maybe(0.25, "brown_cheese")
    K.maybe(0.25, "cheese_slices")
    K.maybe(0.35, "jam")
    K.maybe(0.3, "spread_savoury")
    K.maybe(0.12, "spread_sweet")
    K.maybe(0.45, "milk")
    K.maybe(0.3, "juice")
    K.maybe(0.3, "eggs")
    K.maybe(0.1, "bacon")
    K.maybe(0.2, "coffee")
    K.maybe(0.2, "yoghurt")
    K.maybe(0.15, "cereal")
    K.maybe(0.1, "oats")


def m_coffee(K):
    c = K.take("coffee+capsules+instant_coffee")
    if c is not None and c.meta.get("grind") == "FIL":
        K.maybe(0.35, "coffee_filters")
    K.maybe(0.4, "milk")
    K.maybe(0.12, "plant_drink")
    K.maybe(0.1, "cream")
    K.maybe(0.2, "biscuits")
    K.maybe(0.15, "pastry")
    K.maybe(0.1, "chocolate")


def m_snacks(K):
    K.take("chips")
    if K.maybe(0.45, "dip_mix"):
        K.maybe(0.75, "sour_cream")
    K.maybe(0.1, "dip")
    K.maybe(0.65, "soda")
    K.maybe(0.3, "candy+pick_mix")
    K.maybe(0.3, "chocolate")
    K.maybe(0.2, "nuts")
    K.maybe(0.3, "snack_other")
    K.maybe(0.2, "beer")
    K.maybe(0.1, "energy")


def m_party(K):
    for _ in range(K.rng.randint(2, 3)):
        K.take("chips")
    if K.maybe(0.6, "dip_mix"):
        K.maybe(0.8, "sour_cream")
    for _ in range(K.rng.randint(1, 3)):
        K.take("soda")
    K.maybe(0.5, "beer", q=K.rng.choice((1, 2, 2, 3)))
    K.maybe(0.2, "cider")
    K.maybe(0.3, "pizza")
    K.maybe(0.5, "candy+pick_mix")
    K.maybe(0.3, "nachos")
    K.maybe(0.5, "party")
    K.maybe(0.35, "party")
    K.maybe(0.2, "ice_cream")
    K.maybe(0.2, "wine_white+wine_red+wine_sparkling")
    K.maybe(0.25, "nuts")


def m_baby(K):
    K.maybe(0.6, "nappies")
    K.maybe(0.45, "wipes")
    if K.rng.random() < 0.75:
        for _ in range(K.rng.randint(1, 3)):
            K.take("baby_food")
    K.maybe(0.25, "baby_porridge")
    K.maybe(0.2, "formula")
    K.maybe(0.15, "baby_care")
    K.maybe(0.3, "banana")
    K.maybe(0.3, "milk")
    K.maybe(0.2, "yoghurt")
    if not K.items:
        K.take("nappies")


def m_fish(K):
    K.take("salmon+cod+fish_cakes+fish_fingers+smoked_fish")
    K.maybe(0.6, "potato")
    K.maybe(0.3, "carrot")
    K.maybe(0.35, "broccoli")
    K.maybe(0.25, "lemon_lime")
    K.maybe(0.15, "sour_cream")
    K.maybe(0.15, "rice")
    K.maybe(0.2, "cucumber")
    K.maybe(0.1, "frozen_veg")


def m_chicken(K):
    K.take("chicken")
    if K.rng.random() < 0.45:
        K.take("rice")
    elif K.rng.random() < 0.2:
        K.take("noodles")
    K.maybe(0.35, "pepper")
    K.maybe(0.3, "onion")
    K.maybe(0.2, "broccoli")
    K.maybe(0.35, "asian_sauce")
    K.maybe(0.2, "coconut_milk")
    K.maybe(0.1, "spice")
    K.maybe(0.15, "frozen_veg")
    K.maybe(0.15, "cream")


def m_pizza(K):
    K.take("pizza")
    K.maybe(0.35, "pizza")
    K.maybe(0.6, "soda")
    K.maybe(0.2, "chips")
    K.maybe(0.15, "ice_cream")
    K.maybe(0.2, "beer")


def m_hotdog(K):
    K.take("wiener")
    K.maybe(0.85, "buns_hotdog")
    if K.maybe(0.75, "ketchup"):
        K.maybe(0.4, "ketchup")
    K.maybe(0.3, "soda")
    K.maybe(0.15, "chips")


def m_household(K):
    for _ in range(K.rng.randint(1, 4)):
        K.take("toilet_paper+laundry+dish_soap+dishwasher+paper_towels+bags+cleaner+sponges+foil+batteries+bulbs+paper")


def m_personal(K):
    for _ in range(K.rng.randint(1, 3)):
        p = K.take("toothpaste+toothbrush+shampoo+shower_gel+deodorant+hand_soap+razor+hygiene"
                   "+pharmacy+lip_balm+brush_heads+vitamins")
        if p is not None and p.group == "shampoo":
            shampoo = (p.brand, p.meta.get("item"))
            K.maybe(0.45, "conditioner", prefer_p=0.9,
                    prefer=lambda c, shampoo=shampoo: (c.brand, c.meta.get("item")) == shampoo)


def m_beer(K):
    if not K.take("beer+cider", q=K.rng.choice((1, 1, 2, 2, 3, 4, 6))):
        K.take("beer_af+soda")
    K.maybe(0.35, "chips")
    K.maybe(0.15, "snus")
    K.maybe(0.1, "nuts")
    K.maybe(0.1, "pizza")


def m_snus(K):
    if K.rng.random() < 0.88:
        K.take("snus")
    else:
        K.take("cigarettes")
        K.maybe(0.3, "lighter")
    K.maybe(0.25, "energy")
    K.maybe(0.2, "soda")
    K.maybe(0.1, "candy")
    K.maybe(0.15, "gum")


def m_bbq(K):
    burger = K.rng.random() < 0.4
    if burger:
        K.take("burger")
        K.maybe(0.7, "buns_burger")
        K.maybe(0.35, "cheese_slices")
    else:
        K.take("grill_sausage")
        K.maybe(0.75, "buns_hotdog")
    K.maybe(0.5, "ketchup")
    if K.maybe(0.45, "grill_fuel"):
        K.maybe(0.3, "grill_fuel")
    K.maybe(0.2, "bbq_sauce")
    K.maybe(0.3, "corn_cob")
    K.maybe(0.25, "deli_salad")
    K.maybe(0.15, "halloumi")
    K.maybe(0.4, "beer", q=K.rng.choice((1, 2)))
    K.maybe(0.45, "soda")
    K.maybe(0.2, "cucumber")
    K.maybe(0.2, "lettuce")
    K.maybe(0.2, "watermelon")
    K.maybe(0.2, "ice_cream+ice_lolly")
    K.maybe(0.06, "sunscreen")
    K.maybe(0.1, "foil")
    K.maybe(0.03, "gas_grill+grill_tools")


def m_christmas(K):
    if K.maybe(0.55, "glogg"):
        K.maybe(0.45, "glogg_mix")
    K.maybe(0.45, "pepperkaker")
    K.maybe(0.5, "clementine")
    K.maybe(0.35, "julebrus")
    K.maybe(0.25, "candles")
    K.maybe(0.2, "marzipan")
    K.maybe(0.2, "xmas_choc")
    if K.day.date.month == 12 and 10 <= K.day.date.day <= 24 and K.maybe(0.4, "xmas_meat"):
        K.maybe(0.5, "sprouts+cabbage")
        K.maybe(0.5, "potato")
        K.maybe(0.3, "xmas_meat")
        K.maybe(0.2, "dessert")
    K.maybe(0.2, "juleol")
    K.maybe(0.15, "xmas_deco")
    K.maybe(0.2, "tea_lights")
    K.maybe(0.2, "raisins")
    K.maybe(0.15, "baking")
    K.maybe(0.1, "flour+sugar")
    if not K.items:
        K.take("clementine+glogg+pepperkaker")


def m_easter(K):
    K.maybe(0.6, "easter")
    K.maybe(0.5, "chocolate", prefer=lambda p: p.meta.get("item") == "FJT", prefer_p=0.7)
    K.maybe(0.5, "citrus")
    K.maybe(0.2, "chips")
    K.maybe(0.15, "coffee")
    K.maybe(0.2, "pepperkaker+marzipan")
    if not K.items:
        K.take("easter+citrus")


def m_phone(K):
    phone = None
    for _ in range(3):
        phone = K.take("phone")
        if phone is not None:
            break
    if phone is None:
        return m_el_acc(K)
    model = phone.meta["model"]
    case = None
    if K.rng.random() < 0.42:
        col = phone.meta["colour"]
        if K.rng.random() < 0.3:
            case = K.model_item("case", model, lambda c: c.meta.get("colour") == col)
        if case is None:
            case = K.model_item("case", model)
    if K.rng.random() < (0.45 if case else 0.15):
        K.model_item("glass", model)
    K.maybe(0.22, "charger")
    if phone.meta.get("sd"):
        K.maybe(0.35, "microsd")
    K.maybe(0.08, "earbuds")
    K.maybe(0.1, "cable")
    K.maybe(0.05, "powerbank")


def m_laptop(K):
    lt = K.take("laptop")
    if lt is None:
        return m_el_acc(K)
    inch = lt.meta["inch"]
    if K.rng.random() < 0.35:
        K.take("sleeve", pred=lambda s: abs(s.meta["inch"] - inch) <= 1)
    K.maybe(0.3, "mouse")
    K.maybe(0.2, "hub")
    K.maybe(0.12, "laptop_extra")
    K.maybe(0.05, "usb_drive")


def m_tablet(K):
    tab = K.take("tablet")
    if tab is None:
        return m_el_acc(K)
    model = tab.meta["model"]
    if K.rng.random() < 0.45:
        K.model_item("tablet_case", model)
    if model == "NTT11":
        K.maybe(0.2, "stylus")
    K.maybe(0.08, "charger")
    K.maybe(0.05, "earbuds")


def m_tv(K):
    tv = K.take("tv")
    if tv is None:
        return m_el_acc(K)
    inch = tv.meta["inch"]
    K.maybe(0.35, "hdmi")
    if K.rng.random() < 0.3:
        want = "S" if inch < 55 else ("L" if inch > 55 else K.rng.choice("SL"))
        K.take("wall_mount", pred=lambda m: m.meta["range"] == want)
    K.maybe(0.2, "soundbar")
    K.maybe(0.12, "streaming")


def m_audio(K):
    if not K.take("earbuds+headphones+speaker+watch"):
        return m_el_acc(K)
    K.maybe(0.1, "charger")
    K.maybe(0.1, "cable")
    K.maybe(0.05, "strap")


def m_el_acc(K):
    for _ in range(K.rng.choice((1, 1, 2))):
        K.take("charger+cable+powerbank+microsd+usb_drive+case+glass+mouse+hdmi+batteries+bulbs+wireless_charger+car_charger+strap+tablet_case")
    if not K.items:
        K.take("batteries")


def m_appliance(K):
    a = K.take("kettle+toaster+coffee_maker+blender+vacuum+microwave+iron+hair+toothbrush_el+waffle_iron")
    if a is None:
        return m_household(K)
    g = a.group
    if g == "coffee_maker":
        K.maybe(0.5, "coffee", pred=lambda c: c.meta.get("grind") == "FIL")
        K.maybe(0.6, "coffee_filters")
    elif g == "toothbrush_el":
        K.maybe(0.25, "brush_heads")
    elif g == "waffle_iron":
        K.maybe(0.6, "waffle_mix")
        K.maybe(0.4, "jam")
    elif g == "toaster":
        K.maybe(0.3, "bread")
    elif g == "kettle":
        K.maybe(0.3, "tea")


def m_waffles(K):
    if K.rng.random() < 0.7:
        K.take("waffle_mix")
    else:
        K.take("flour")
        K.maybe(0.5, "sugar")
    K.maybe(0.5, "eggs")
    K.maybe(0.5, "milk")
    K.maybe(0.3, "butter")
    K.maybe(0.6, "jam")
    K.maybe(0.6, "sour_cream")
    K.maybe(0.25, "brown_cheese")


def m_wine(K):
    if not K.take("wine_red+wine_white+wine_sparkling"):
        K.take("beer_af+juice")
    K.maybe(0.25, "wine_red+wine_white")
    K.maybe(0.4, "specialty_cheese")
    K.maybe(0.2, "hard_cheese")
    K.maybe(0.3, "crackers")
    K.maybe(0.25, "grapes")
    K.maybe(0.15, "olives")
    K.maybe(0.2, "deli_meat")
    K.maybe(0.3, "baguette")
    K.maybe(0.15, "salmon+pork")


def m_lunch(K):
    if K.rng.random() < 0.6:
        K.take("rolls+baguette")
        K.maybe(0.4, "deli_meat+spread_savoury+cheese_slices")
    K.maybe(0.3, "yoghurt")
    K.maybe(0.2, "ready_meal")
    K.take("soda+water+juice+energy+iced_tea+dairy_drink+iced_coffee")
    K.maybe(0.4, "banana+apple")
    K.maybe(0.15, "chips")
    K.maybe(0.2, "chocolate")
    K.maybe(0.15, "pastry")
    K.maybe(0.15, "lettuce")


def m_noodles(K):
    K.take("noodles")
    K.maybe(0.3, "noodles")
    K.maybe(0.2, "energy")
    K.maybe(0.2, "soda")
    K.maybe(0.15, "chips")
    K.maybe(0.1, "eggs")


def m_pets(K):
    pet = K.cust.pet if (K.cust is not None and K.cust.pet) else K.rng.choice(("cat", "cat", "dog"))
    if pet == "cat":
        K.maybe(0.9, "cat_food")
        K.maybe(0.3, "cat_food")
        K.maybe(0.35, "cat_litter")
        K.maybe(0.2, "pet_treats", pred=lambda p: p.sku.startswith("CATT-"))
        if not K.items:
            K.take("cat_food")
    else:
        K.maybe(0.9, "dog_food")
        K.maybe(0.35, "pet_treats", pred=lambda p: p.sku.startswith("DOG"))
        K.maybe(0.15, "pet_treats", pred=lambda p: p.sku.startswith("DOG"))
        if not K.items:
            K.take("dog_food")


def m_ready(K):
    K.take("ready_meal")
    K.maybe(0.3, "ready_meal")
    K.maybe(0.2, "soup")
    K.maybe(0.35, "soda+water+dairy_drink")
    K.maybe(0.15, "salad_bag+lettuce")
    K.maybe(0.15, "chocolate+ice_cream")


def m_meatballs(K):
    if K.rng.random() < 0.7:
        K.take("meatballs")
    else:
        K.take("fish_cakes")
    K.maybe(0.7, "potato")
    K.maybe(0.55, "sauce_mix", pred=lambda p: p.meta.get("item") == "BROWN")
    if K.rng.random() < 0.45:
        K.take("jam", pred=lambda p: p.meta.get("item") == "LING")
    K.maybe(0.3, "carrot")
    K.maybe(0.25, "frozen_veg+cabbage")
    K.maybe(0.2, "milk")


def m_steak(K):
    K.take("pork+chicken")
    K.maybe(0.6, "sauce_mix", pred=lambda p: p.meta.get("item") in ("BEARN", "PEPP"))
    if K.rng.random() < 0.55:
        K.take("potato")
    else:
        K.maybe(0.7, "fries")
    K.maybe(0.3, "broccoli+salad_bag+lettuce")
    K.maybe(0.2, "mushroom")
    K.maybe(0.15, "wine_red")
    K.maybe(0.15, "butter")


def m_gaming(K):
    c = K.take("console")
    if c is not None:
        K.maybe(0.35, "game_acc")
        K.maybe(0.2, "gift_card")
        K.maybe(0.1, "hdmi")
    else:
        K.take("game_acc+gift_card")
    if not K.items:
        m_el_acc(K)


def m_home(K):
    K.take("kitchen+home_fragrance+candles+tea_lights")
    K.maybe(0.3, "kitchen+home_fragrance")
    K.maybe(0.15, "flowers")


def m_school(K):
    for _ in range(K.rng.randint(1, 4)):
        K.take("office")
    K.maybe(0.25, "kitchen", pred=lambda p: p.sku in ("KIT-LUNCHBOX", "KIT-BOTTLE"))
    K.maybe(0.15, "bars")


def m_toys(K):
    K.take("toys")
    K.maybe(0.25, "toys")
    K.maybe(0.3, "candy+chocolate")
    K.maybe(0.1, "party")


def m_beauty(K):
    for _ in range(K.rng.randint(1, 3)):
        K.take("skin_care+makeup+shower_gel+deodorant+hand_soap+lip_balm+sunscreen")


def m_clothing(K):
    K.take("clothing")
    K.maybe(0.3, "clothing")


def m_flowers(K):
    K.take("flowers")
    K.maybe(0.3, "chocolate+xmas_choc")
    K.maybe(0.1, "flowers")


DINNERS = ("pasta", "taco", "fish", "chicken", "pizza", "hotdog", "meatballs", "steak")


def m_weekly(K):
    for m in K.rng.sample(DINNERS, k=K.rng.choice((1, 2, 2, 3))):
        MISSIONS[m](K)
    if K.rng.random() < 0.7:
        m_breakfast(K)
    if K.rng.random() < 0.35:
        m_household(K)
    if K.rng.random() < 0.2:
        m_personal(K)
    if K.rng.random() < 0.35:
        m_snacks(K)
    if K.rng.random() < 0.3:
        m_coffee(K)
    if K.cust is not None and K.cust.baby and K.rng.random() < 0.7:
        m_baby(K)
    if K.day.levels[0] > 0.3 and K.rng.random() < 0.5:
        m_christmas(K)
    if K.day.levels[1] > 0.3 and K.rng.random() < 0.3:
        m_bbq(K)
    for _ in range(K.rng.randint(4, 12)):
        K.take("staple")


def m_business(K):
    n = 50 + int(150 * K.rng.random() ** 2.2)
    tries = 0
    while len(K.items) < n and tries < n * 6:
        tries += 1
        p = K.pick("business")
        if p is not None and p.unit != "kg":
            K.add(p, K.rng.choice((1, 2, 2, 3, 4, 6, 6, 10, 12)))
        elif p is not None:
            K.add(p)


MISSION_WEIGHTS = table("missions")["weights"]
MISSION_NAMES = tuple(MISSION_WEIGHTS)
# every mission of data/missions.toml is the function m_<name> above
MISSIONS = {name: globals()[f"m_{name}"] for name in MISSION_NAMES}


def mission_weights(day, hour, segment, baby, pet):
    xmas, summer, east, autumn, school, spring = day.levels
    wd = day.wd
    fri_sat = wd in (4, 5)
    seg = SEGMENT_MISSIONS.get(segment, {})
    out = []
    for name in MISSION_NAMES:
        w = MISSION_WEIGHTS[name]
        if name == "bbq":
            w = 7.0 * summer * (1.5 if wd >= 4 else 1.0)
        elif name == "christmas":
            w = 6.0 * xmas
        elif name == "easter":
            w = 5.0 * east
        elif name == "taco":
            w *= 3.5 if wd == 4 else (2.2 if wd == 5 else 0.6)
        elif name == "breakfast":
            w *= (2.0 if hour < 11 else 1.0) * (1.4 if wd >= 5 else 1.0)
        elif name == "lunch":
            w *= 3.0 if 11 <= hour < 14 else 0.4
        elif name == "snacks":
            w *= 2.0 if fri_sat and hour >= 16 else 1.0
        elif name == "party":
            w *= 3.5 if fri_sat and hour >= 15 else 0.4
        elif name == "beer":
            w *= 2.0 if wd == 4 else (1.8 if wd == 5 else (0.3 if wd == 6 else 1.0))
        elif name == "phone":
            w *= (1.5 if wd == 5 else 1.0) * (3.0 if day.bf else 1.0) * (2.0 if day.gifts else 1.0)
        elif name == "laptop":
            w *= (1.0 + 1.5 * school) * (3.0 if day.bf else 1.0) * (1.8 if day.gifts else 1.0)
        elif name == "tablet":
            w *= (3.0 if day.bf else 1.0) * (2.2 if day.gifts else 1.0)
        elif name == "tv":
            w *= (3.5 if day.bf else 1.0) * (1.5 if day.gifts else 1.0)
        elif name == "audio":
            w *= (2.5 if day.bf else 1.0) * (2.5 if day.gifts else 1.0)
        elif name == "appliance":
            w *= (2.0 if day.bf else 1.0) * (1.6 if day.gifts else 1.0)
        elif name == "waffles":
            w *= 2.0 if wd == 6 else 1.0
        elif name == "wine":
            w *= 2.0 if fri_sat else 1.0
        elif name == "weekly":
            w *= (1.6 if wd == 5 else (1.2 if wd in (3, 4) else 1.0)) * (1.2 if hour >= 16 else 1.0)
        elif name == "baby":
            w *= 6.0 if baby else 1.0
        elif name == "pets":
            w *= 6.0 if pet else 0.2
        elif name == "gaming":
            w *= (3.0 if day.bf else 1.0) * (3.0 if day.gifts else 1.0)
        elif name == "school":
            w *= 1.0 + 6.0 * school
        elif name in ("toys", "home"):
            w *= (2.5 if day.gifts else 1.0) * (1.0 + 0.5 * summer)
        elif name == "clothing":
            w *= 1.0 + 1.5 * xmas + (1.0 if day.date.month in (1, 2, 10) else 0.0)
        elif name == "flowers":
            w *= (1.8 if wd == 4 else (1.5 if wd == 5 else 1.0)) * (10.0 if day.flowers else 1.0) \
                * (1.0 + xmas + 1.5 * east)
        w *= seg.get(name, 1.0)
        out.append(w)
    cum, tot = [], 0.0
    for w in out:
        tot += w
        cum.append(tot)
    return cum
