"""The till's domain: a sale and its lines, money for the store's currency and
locale, the till's configuration and the controller that ties scanning,
suggesting, the journal and store swaps together. No Textual here: the UI
(pos/ui) shows what this package decides."""
