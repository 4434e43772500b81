"""The next-visit coupon (issue 20; docs/receipts.md, "The next-visit coupon"): its
code and barcode (code.py), the choice of the offer at payment (choose.py), and the
checks a scanned coupon passes before it is applied (redeem.py). No SQL and no UI
here: the journal (pos.journal) keeps the coupons, the till (pos.till.session)
issues and redeems them, the hub (pos.hub) shares them across tills."""
