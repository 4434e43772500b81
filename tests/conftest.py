"""Shared fixtures: small dumps written as real files, loads into real SQLite stores."""
from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import tty
from pathlib import Path

import pytest

from pos.dump.gtin import check_digit


def gtin13(n: int) -> str:
    body = f"70712340{n:04d}"
    return body + str(check_digit(body))


CATALOG_HEADER = ("sku,name,price,gtin,category,family,tier,stock,active,age_restricted,pitch,"
                  "name_nb,name_he\n")


def catalog_rows(n: int = 12) -> list[str]:
    rows = [
        f"PASTA,Pasta 500 g,19.90,{gtin13(1)},Groceries > Pasta,,,40,1,0,,Pasta,פסטה\n",
        f"PARM,Parmesan 150 g,49.90,{gtin13(2)},Groceries > Cheese,,,12,1,0,Grate it fresh,Parmesan,פרמזן\n",
        f"SAUCE,Tomato sauce,29.90,{gtin13(3)},Groceries > Pasta,,,30,1,0,,Tomatsaus,רוטב עגבניות\n",
        f"PH-64,Phone 64 GB,6990.00,{gtin13(4)},Electronics > Phones,phone,1,5,1,0,,Telefon 64 GB,טלפון\n",
        f"PH-128,Phone 128 GB,7990.00,{gtin13(5)},Electronics > Phones,phone,2,5,1,0,Twice the room,"
        "Telefon 128 GB,טלפון\n",
        f"CASE,Phone case,249.00,{gtin13(6)},Electronics > Accessories,,,0,1,0,,Deksel,כיסוי\n",
        f"WINE,Red wine,149.00,{gtin13(7)},Beverages > Wine,,,9,1,1,,Rødvin,יין\n",
    ]
    for i in range(len(rows), n):
        rows.append(f"ITEM{i},Item {i},10.00,{gtin13(100 + i)},Misc,,,,1,0,,Vare {i},פריט\n")
    return rows[:n]


BASKETS_HEADER = "basket_id,sku,quantity,timestamp,customer_id\n"


def basket_rows(n_baskets: int = 60) -> list[str]:
    rows = []
    for b in range(n_baskets):
        day = 1 + b % 28
        when = f"2026-10-{day:02d}T1{b % 10}:00:00+02:00"
        customer = f"C{b % 5}" if b % 3 == 0 else ""
        items = ["PASTA", "SAUCE"] + (["PARM"] if b % 2 == 0 else [])
        if b % 4 == 1:
            items = ["PH-64", "CASE"] if b % 8 == 1 else ["PH-128"]
        if b % 7 == 3:
            items.append(f"ITEM{7 + b % 5}")
        rows.extend(f"B{b:04d},{sku},1,{when},{customer}\n" for sku in items)
    return rows


MANIFEST = ('{"store_name": "Test Store", "currency": "NOK", "locale": "nb_NO", '
            '"timezone": "Europe/Oslo", "export_time": "2026-10-31T23:00:00Z"}')


def write_dump(directory: Path, files: dict[str, str | bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        if name.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
        (directory / name).write_bytes(data)
    return directory


def good_files() -> dict[str, str]:
    return {
        "catalog.csv": CATALOG_HEADER + "".join(catalog_rows()),
        "baskets.csv": BASKETS_HEADER + "".join(basket_rows()),
        "manifest.json": MANIFEST,
        "customers.csv": "customer_id,card,segment\n" + "".join(
            f"C{i},{gtin13(900 + i)},family\n" for i in range(5)),
        "upgrades.csv": "from_sku,to_sku,pitch,pitch_nb\nPH-64,PH-128,Twice the room,Dobbelt plass\n",
        "bundles.csv": "bundle_id,name,skus,price,saving\nPASTA-NIGHT,Pasta night,PASTA|SAUCE|PARM,,10.00\n",
        "rules.csv": ("rule_id,trigger_sku,trigger_category,sku,kind,priority,boost,valid_from,"
                      "valid_to,pitch\n"
                      "CASE-FOR-PHONES,,Electronics > Phones,CASE,cross,5,,,,Protect it\n"),
    }


EXPORT_TIME = 1793487600   # MANIFEST's export time, 2026-10-31T23:00:00Z


def good_basket_lines() -> list[tuple[str, str, int]]:
    """The good dump's basket lines as (basket_id, sku, UTC seconds), in file order."""
    from datetime import datetime

    out = []
    for row in basket_rows():
        basket, sku, _qty, when, _customer = row.rstrip("\n").split(",")
        out.append((basket, sku, int(datetime.fromisoformat(when).timestamp())))
    return out


def mined_tables(db: Path) -> tuple[list, list]:
    """A store's item_stats and neighbours rows, to compare two stores' mining."""
    conn = sqlite3.connect(db)
    try:
        stats = conn.execute("SELECT item, baskets, weight FROM item_stats ORDER BY item").fetchall()
        lists = conn.execute("SELECT item, n, entries FROM neighbours ORDER BY item").fetchall()
        return stats, lists
    finally:
        conn.close()


@pytest.fixture
def good_dump(tmp_path) -> Path:
    return write_dump(tmp_path / "dump", good_files())


def snapshot(db: Path) -> list[str]:
    """Everything in a store, as SQL, to show it did not change."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def published(tmp_path, good_dump) -> Path:
    """A store already published from the good dump."""
    from pos.load import load_dump

    db = tmp_path / "store.db"
    load_dump(good_dump, db)
    return db


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


ROOT = Path(__file__).resolve().parents[1]
DEMO_GENERATOR = ROOT / "scripts" / "make-demo-store"


def build_wheel(tmp_path: Path) -> Path:
    """`pip wheel` of a copy of the project (not the shared checkout: the build writes
    build/ and *.egg-info), with the build requirements of this venv; the wheel's path."""
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.o", "*.mo", "*.egg-info", "build",
                                    "_native.c")
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("pos", "hardware", "native"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path / "wheels"
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "--disable-pip-version-check", "-q", "-w", str(out), str(src)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    [wheel] = out.glob("pos-*.whl")
    return wheel


def build_demo_store(directory: Path, baskets: int = 3000, export_time: str = "2026-11-20T23:00:00Z",
                     seed: int = 7, backtest: bool = False) -> Path:
    """The demo store (our seeded generator), small, loaded by `pos load`. Without
    the nightly backtest by default: the till tests pin the default scorer
    (tests/test_backtest_load.py loads it with the backtest)."""
    from pos.load import LoadOptions, load_dump
    subprocess.run([sys.executable, str(DEMO_GENERATOR), "--out", str(directory / "dump"),
                    "--baskets", str(baskets), "--export-time", export_time, "--seed", str(seed),
                    "-q"], check=True)
    db = directory / "store.db"
    load_dump(directory / "dump", db, LoadOptions(backtest=backtest))
    return db


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A read-only demo store shared by the till tests (copy it before changing it)."""
    return build_demo_store(tmp_path_factory.mktemp("demo"))


def scan_code(db: Path, sku: str) -> str:
    """The digits a scanner sends for `sku`'s barcode."""
    from pos.store.barcodes import barcode_of
    from pos_hardware.framing import transmitted_form
    conn = sqlite3.connect(db)
    try:
        return transmitted_form(barcode_of(conn, sku))
    finally:
        conn.close()


@pytest.fixture
def pty_link(tmp_path):
    """A raw pty, as a scanner's serial port: (the master fd a test writes to with
    os.write, a link to the slave for the reader)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    link = tmp_path / "scanner"
    link.symlink_to(os.ttyname(slave))
    yield master, str(link)
    os.close(master)
    os.close(slave)


@pytest.fixture
def hub(tmp_path):
    """An empty store hub's store (pos.hub.store) in a tmp dir."""
    from pos.hub.store import HubStore
    store = HubStore(tmp_path / "hub")
    yield store
    store.close()


@pytest.fixture
def journal(tmp_path):
    """Till till1's sales journal, fresh, in a tmp dir."""
    from pos.journal import Journal
    j = Journal(tmp_path / "sales.db", till="till1")
    yield j
    j.close()


POWERCUTS = int(os.environ.get("POS_POWERCUTS", "100"))
POWERCUT_SHARES = {"till": 0.35, "export": 0.30, "load": 0.12, "hub": 0.23}


def powercuts(kind: str) -> int:
    """This power-cut test's share of POS_POWERCUTS (default 100, the CI run):
    the till's, the export's, the load's or the hub's (docs/power-cuts.md)."""
    return max(1, round(POWERCUTS * POWERCUT_SHARES[kind]))


@pytest.fixture(scope="session")
def fuse_ready():
    """The power-cut tests' file system can be mounted here (FUSE 3 installed by
    scripts/install-fuse when missing); else they skip, saying why."""
    from pos_tools.powercut.mount import unavailable
    reason = unavailable()
    if reason is not None:
        pytest.skip(f"power cuts need FUSE: {reason}")


@pytest.fixture
def powercut(tmp_path, fuse_ready):
    """mount() -> a power-cut file system over tmp_path/backing at tmp_path/mnt
    (tools/pos_tools/powercut); every mount still there is unmounted at the end."""
    from pos_tools.powercut.mount import Mount
    mounts = []

    def mount():
        mounts.append(Mount(tmp_path / "mnt", tmp_path / "backing", tmp_path / "powercut-log.txt"))
        return mounts[-1]
    yield mount
    for m in mounts:
        m.unmount()
