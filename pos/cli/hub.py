"""`pos hub`: the store hub (pos.hub, docs/hub.md).

  pos hub serve --data DIR --listen HOST:PORT [--db STORE.db] [--cert FILE --key FILE]
  pos hub enroll TILL_ID --data DIR      prints the till's token, once
  pos hub revoke TILL_ID --data DIR
  pos hub waiting --journal SALES.db [--retry]   on a till: its sales the hub has not
                                          acknowledged, the refused (parked) ones with
                                          the hub's reason; --retry puts those back in line

Exits with 0 when done (serve: when stopped by SIGINT or SIGTERM); a bad
--listen, a port that cannot be listened on, a till id that is not one, enrolling
an enrolled till or revoking an unknown one is wrong usage (2); a hub store, a
--db store or a --journal that cannot be opened gives 5; a certificate that
cannot be used, 6.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("hub", help="the store hub: receives every till's sales (docs/hub.md)",
                       description="The store hub: one service per shop that receives the paid "
                                   "sales of every enrolled till (docs/hub.md).")
    actions = p.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)

    serve = actions.add_parser("serve", help="serve the hub's HTTP API",
                               description="Serve the hub's API (docs/hub.md: the tills' "
                                           "sales, the store's sales, the report) until "
                                           "stopped (SIGINT, SIGTERM).")
    serve.add_argument("--data", type=Path, required=True,
                       help="the hub's data directory (its store, hub.db; made if missing)")
    serve.add_argument("--listen", default="127.0.0.1:8700", metavar="HOST:PORT",
                       help="where to listen (default 127.0.0.1:8700; port 0: one the "
                            "system chooses, printed)")
    serve.add_argument("--db", type=Path,
                       help="the store: sales naming skus it does not have are refused (422)")
    serve.add_argument("--cert", type=Path, help="TLS certificate (PEM); with --key")
    serve.add_argument("--key", type=Path, help="the certificate's private key (PEM)")
    serve.set_defaults(run=run_serve)

    enroll = actions.add_parser("enroll", help="enrol a till; prints its token once",
                                description="Enrol a till (or a revoked one again) and print "
                                            "its token, once: only its hash is kept.")
    enroll.add_argument("till_id", metavar="TILL_ID", help="the till's name (its --till)")
    enroll.add_argument("--data", type=Path, required=True, help="the hub's data directory")
    enroll.set_defaults(run=run_enroll)

    revoke = actions.add_parser("revoke", help="revoke a till's token",
                                description="Revoke a till's token: its requests get 401 at "
                                            "once.")
    revoke.add_argument("till_id", metavar="TILL_ID")
    revoke.add_argument("--data", type=Path, required=True, help="the hub's data directory")
    revoke.set_defaults(run=run_revoke)

    waiting = actions.add_parser("waiting", help="on a till: its sales waiting for the hub",
                                 description="The till's paid sales the hub has not "
                                             "acknowledged yet, and those it refused (parked, "
                                             "with the hub's reason). Safe while the till runs.")
    waiting.add_argument("--journal", type=Path, required=True, help="the till's sales journal")
    waiting.add_argument("--retry", action="store_true",
                         help="put the parked sales back in line: the till sends them again "
                              "at its next round")
    waiting.set_defaults(run=run_waiting)


def run_serve(args) -> int:
    from ..hub.serve import ServeOptions, run_hub

    def listening(url: str) -> None:
        print(f"pos hub: listening on {url} (data {args.data})", flush=True)

    run_hub(ServeOptions(args.data, args.listen, args.db, args.cert, args.key),
            on_listening=listening)
    return EXIT_OK


def run_enroll(args) -> int:
    from ..hub.store import HubStore
    from ..hub.tokens import enroll

    store = HubStore(args.data)
    try:
        token = enroll(store, args.till_id)
    finally:
        store.close()
    print(token)
    print(f"pos hub: till {args.till_id} enrolled; its token is shown once, above: give it "
          "to the till (only its hash is kept)", file=sys.stderr)
    return EXIT_OK


def run_revoke(args) -> int:
    from ..hub.store import HubStore
    from ..hub.tokens import revoke

    store = HubStore(args.data, create=False)
    try:
        revoke(store, args.till_id)
    finally:
        store.close()
    print(f"pos hub: till {args.till_id} revoked")
    return EXIT_OK


def run_waiting(args) -> int:
    from ..journal import Journal, JournalError

    if not args.journal.is_file():
        raise JournalError(f"--journal: no sales journal at {args.journal}")
    journal = Journal(args.journal, till="check")
    try:
        waiting, parked = journal.hub_waiting()
        print(f"{waiting} sales waiting for the hub, {parked} of them parked (refused)")
        for sale_id, reason in journal.parked_for_hub():
            print(f"  {sale_id}  {reason}")
        if args.retry and parked:
            print(f"{journal.unpark_for_hub()} parked sales put back in line")
    finally:
        journal.close()
    return EXIT_OK
