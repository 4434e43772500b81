"""The till's Textual UI: the sale screen (basket, suggestion cards, status
bar, keys), its dialogs, and the app that wires the scanner to the till's
controller (pos.till.session). Everything it shows comes from pos.till; it
builds no SQL and decides nothing about suggestions."""
