"""What the cashier sees, pinned as SVG snapshots: a sale with suggestions at
80x24 and 120x40, in English and in Hebrew (right-to-left), plus the payment
dialog with its last card. Review the report before `--snapshot-update`."""
import pytest

from conftest import scan_code
from pos.ui.launch import build_app
from till_harness import EXPORT, till_args

BASKET = ["PASTA-BN-FUS-500", "NAPPY-LB-S4-40", "CHOC-NS-DARK-60"]


def make_app(store, tmp_path, lang):
    return build_app(till_args(store, tmp_path / "sales.db", lang=lang), clock=lambda: EXPORT)


def scanning(store, codes=BASKET):
    async def run_before(pilot):
        for sku in codes:
            pilot.app.scan(scan_code(store, sku))
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_sale_screen(snap_compare, demo_store, tmp_path, lang, size):
    app = make_app(demo_store, tmp_path, lang)
    assert snap_compare(app, run_before=scanning(demo_store), terminal_size=size)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_payment_with_last_card(snap_compare, demo_store, tmp_path, lang):
    app = make_app(demo_store, tmp_path, lang)
    assert snap_compare(app, run_before=scanning(demo_store, ["PH-AU8-128-BLK"]),
                        press=["f10"], terminal_size=(80, 24))
