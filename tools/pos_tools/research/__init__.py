"""Research code measured with `pos eval` but never run by a till: the prototypes
of scorers the engine might grow (prototypes.py, `pos eval --prototypes`)."""
