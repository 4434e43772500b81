"""Text for cells and cards in the store's direction: Hebrew reordered for the
terminal and set to the right; everything else as is."""
from __future__ import annotations

from rich.console import JustifyMethod
from rich.text import Text

from ...i18n import has_rtl, visual


def cell(text: str, rtl: bool = False, style: str = "", justify: JustifyMethod | None = None) -> Text:
    rtl_text = rtl or has_rtl(text)
    return Text(visual(text), style=style,
                justify=justify or ("right" if rtl_text else "left"), no_wrap=True,
                overflow="ellipsis")


def amount(text: str, style: str = "") -> Text:
    return Text(visual(text), style=style, justify="right", no_wrap=True)


def paragraph(text: str, width: int, rtl: bool = False, style: str = "") -> list[Text]:
    """A wrapped paragraph. Right-to-left text is wrapped in logical order first and
    each line then reordered for display (reordering first would put the end of
    the sentence on the first line); the widget sets it right (text-align)."""
    if not (rtl or has_rtl(text)):
        return [Text(text, style=style)]
    import textwrap
    return [Text(visual(line), style=style, no_wrap=True)
            for line in textwrap.wrap(text, max(8, width)) or [""]]
