"""The customer display (issue 20): a 2 × 20 pole display facing the customer. What it
shows is a pure function of the till's state (frames.py), sent in the CD5220 or
Epson ESC/POS command set (commands.py) by a thread that never blocks the till
and reconnects after an unplug (link.py). docs/receipts.md, "The customer display".
"""
from .frames import Frame, display_frame
from .link import CONNECTED, CONNECTING, DISCONNECTED, DisplayLink

__all__ = ["CONNECTED", "CONNECTING", "DISCONNECTED", "DisplayLink", "Frame", "display_frame"]
