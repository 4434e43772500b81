"""Product ranges: `grid`, every brand x item (x size) of a range, with tier
ladders and value pitches."""
from __future__ import annotations

from .prices import round_price, value_pitch


def grid(C, code, category, group, *, brands, items, sizes, base, margin=0.3, style="g",
         noun=None, coverage=1.0, family=True, brand_pitch=None, item_pitch=None,
         meta=None, **kw):
    """A product range: every brand x item (x size), some combinations left out.

    brands: [(code, name or None, price factor, popularity)]
    items:  [(code, noun or None, variant or None, popularity, price factor, {overrides})]
            (overrides may set `var`, several variants, instead of the one)
    sizes:  [(code, Size or None, price multiplier, popularity)] or f(item, brand) -> that
    Sizes of one brand+item form a family (tier = position) when there are several.
    """
    out = []
    rng = C.rng
    for bi, (bcode, bname, bpf, bpop) in enumerate(brands):
        for ii, it in enumerate(items):
            it = tuple(it) + (None,) * (6 - len(it))
            icode, inoun, ivar, ipop, ipf, extra = it
            ipop = 1.0 if ipop is None else ipop
            ipf = 1.0 if ipf is None else ipf
            extra = dict(extra or {})
            ipitch = extra.pop("pitch", None)
            if bi and ii and rng.random() > coverage:
                continue
            szs = sizes(icode, bcode) if callable(sizes) else sizes
            if not szs:
                continue
            fam = None
            if family and len(szs) > 1:
                fam = "-".join(x for x in (code, bcode, icode) if x).lower()
            first = None
            for si, (scode, size, smul, spop) in enumerate(szs):
                sku = "-".join(x for x in (code, bcode, icode, scode) if x)
                price = round_price(base * bpf * ipf * smul, style)
                pitch = None
                if si and first is not None and size is not None and szs[0][1] is not None:
                    pitch = value_pitch(price, size, first.price, szs[0][1])
                if pitch is None:
                    pitch = ipitch
                if pitch is None and item_pitch:
                    pitch = item_pitch.get(icode)
                if pitch is None and brand_pitch:
                    pitch = brand_pitch.get(bcode)
                args = dict(kw)
                args.update({k: v for k, v in extra.items() if k != "meta"})
                m = dict(meta or {})
                m.update({"item": icode, "brand": bcode, "size": scode})
                m.update(extra.get("meta", {}))
                p = C.add(sku, inoun or noun, brand=bname, var=args.pop("var", (ivar,) if ivar else ()),
                          size=size, price=price, category=args.pop("category", category),
                          group=args.pop("group", group), margin=margin, family=fam,
                          tier=(si + 1) if fam else None, pitch=pitch,
                          pop=bpop * ipop * spop, meta=m, **args)
                if first is None:
                    first = p
                out.append(p)
    return out


