"""What the till asks of receipts: the ESC/POS bytes of a paid sale's receipt, and of
a reprint (the same bytes under a COPY heading), for the till's printer profile.

Python-escpos and its capability data are imported by `warm_up` when the till
starts (about 50 ms), so that the first payment does not pay for it.
"""
from __future__ import annotations

import logging
from typing import Any

from ..i18n import N_, translations
from ..till.sale import Sale
from .escpos_out import EscposPrinter, printable, receipt_bytes
from .model import ReceiptError, StoreFacts, receipt_from_sale
from .profile import PrinterProfile, load_printer_profile

COPY = N_("COPY")
log = logging.getLogger("pos.receipt")


class ReceiptMaker:
    def __init__(self, profile: PrinterProfile | str, till: str) -> None:
        self.profile = profile if isinstance(profile, PrinterProfile) else load_printer_profile(profile)
        self.till = till

    def warm_up(self) -> None:
        """Imports python-escpos and reads its capability data now."""
        EscposPrinter(self.profile)

    def sale_receipt(self, sale: Sale, meta: dict[str, Any], lang: str, paid_at: float) -> bytes:
        """The bytes of paid `sale`'s receipt, on a store of this `meta`, in `lang`. A
        character the printer's code page cannot print (a name in another script) is
        logged and printed as '?': a receipt never stops a payment."""
        receipt = receipt_from_sale(sale, StoreFacts.from_meta(meta, lang), self.till, paid_at)
        try:
            return receipt_bytes(receipt, self.profile)
        except ReceiptError as exc:
            log.warning("sale %s: %s; printed with '?' for them", sale.sale_id, exc)
            return receipt_bytes(receipt, self.profile, strict=False)

    def copy(self, body: bytes, lang: str, currency_code: str) -> bytes:
        """A reprint of the receipt `body`: a COPY heading, then the receipt as first printed."""
        printer = EscposPrinter(self.profile)
        heading = printable(f"*** {translations(lang).gettext(COPY)} ***", self.profile,
                            currency_code)
        printer.line(heading, "center", bold=True, big=True)
        return printer.output + body
