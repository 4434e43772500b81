"""The store hub (issue 17, docs/hub.md): one service per shop that receives the
paid sales of every till, so that the store has one record of its day.

  sale.py    a sale as a till sends it: the JSON shape, its checks, its content hash
  store.py   the hub's SQLite file under its data directory: enrolled tills, received sales
  tokens.py  the tills' tokens: made once, kept as a hash, compared in constant time
  app.py     the HTTP API (Starlette): POST /v1/sales, GET /v1/health
  serve.py   `pos hub serve`: the app under uvicorn, on a socket bound first, TLS optional
  client.py  the till's side: the pusher that sends the journal's outbox (httpx, own thread)

store, tokens and sale are plain Python (no HTTP): the import contracts keep them so.
"""
