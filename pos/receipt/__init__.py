"""Receipts (issue 20, first increment): a paid sale as a Receipt (model.py), laid out
in the store's language and currency for a paper width (layout.py), and sent as
ESC/POS bytes through python-escpos (escpos_out.py) for a printer profile
(profile.py; the shipped ones in hardware/printers/). The sale id is printed as a
Code128 barcode (sale_code.py). docs/receipts.md says what exists and what not yet.
"""
from .escpos_out import receipt_bytes
from .model import Receipt, ReceiptError, ReceiptLine, StoreFacts, receipt_from_sale
from .profile import PrinterProfile, load_printer_profile

__all__ = ["PrinterProfile", "Receipt", "ReceiptError", "ReceiptLine", "StoreFacts", "load_printer_profile",
           "receipt_bytes", "receipt_from_sale"]
