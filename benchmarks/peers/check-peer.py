#!/usr/bin/env python3
"""Checks a running peer (or Weft's benchmark app) against the TechEmpower test rules.

usage: check-peer.py PORT [TEST ...]   (tests: plaintext json db queries fortunes updates;
                                         default: all six)
Exits non-zero if any check fails. Needs only the Python standard library.
"""
import html
import http.client
import json
import re
import sys

FORTUNE_EXTRA = "Additional fortune added at request time."
failures = []


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, {k.lower(): v for k, v in res.getheaders()}, body


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def common(path, status, headers, ctype_prefix):
    check(status == 200, f"{path}: status {status}")
    check(headers.get("content-type", "").lower().replace(" ", "").startswith(ctype_prefix),
          f"{path}: content-type {headers.get('content-type')!r}")
    check("server" in headers, f"{path}: no Server header")
    check("date" in headers, f"{path}: no Date header")


def is_world(o):
    return (isinstance(o, dict) and set(o) == {"id", "randomNumber"}
            and isinstance(o["id"], int) and isinstance(o["randomNumber"], int)
            and 1 <= o["id"] <= 10000 and 1 <= o["randomNumber"] <= 10000)


def t_plaintext(port):
    s, h, b = get(port, "/plaintext")
    common("/plaintext", s, h, "text/plain")
    check(b == b"Hello, World!", f"/plaintext: body {b[:60]!r}")


def t_json(port):
    s, h, b = get(port, "/json")
    common("/json", s, h, "application/json")
    check(json.loads(b) == {"message": "Hello, World!"}, f"/json: body {b[:60]!r}")


def t_db(port):
    s, h, b = get(port, "/db")
    common("/db", s, h, "application/json")
    check(is_world(json.loads(b)), f"/db: body {b[:80]!r}")


def many(port, test):
    for q, n in [("", 1), ("?queries=", 1), ("?queries=foo", 1), ("?queries=0", 1),
                 ("?queries=1", 1), ("?queries=20", 20), ("?queries=501", 500)]:
        path = f"/{test}{q}"
        s, h, b = get(port, path)
        common(path, s, h, "application/json")
        try:
            arr = json.loads(b)
        except ValueError:
            check(False, f"{path}: not JSON: {b[:80]!r}")
            continue
        check(isinstance(arr, list) and len(arr) == n and all(map(is_world, arr)),
              f"{path}: want a JSON array of {n} worlds, got {b[:80]!r}")


def t_queries(port):
    many(port, "queries")


def t_updates(port):
    many(port, "updates")


def t_fortunes(port):
    s, h, b = get(port, "/fortunes")
    common("/fortunes", s, h, "text/html")
    check("charset=utf-8" in h.get("content-type", "").lower().replace(" ", ""),
          f"/fortunes: content-type without charset=utf-8: {h.get('content-type')!r}")
    text = b.decode("utf-8")
    flat = re.sub(r">\s+<", "><", text.strip())
    check(flat.lower().startswith("<!doctype html><html><head><title>fortunes</title></head><body><table>"
                                  "<tr><th>id</th><th>message</th></tr>"),
          f"/fortunes: unexpected head: {flat[:120]!r}")
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", flat, re.S)
    check(len(rows) == 13, f"/fortunes: {len(rows)} rows, want 13")
    messages = [html.unescape(m) for _, m in rows]
    check(messages == sorted(messages), "/fortunes: rows not sorted by message")
    check(FORTUNE_EXTRA in messages, "/fortunes: request-time fortune missing")
    check("<script>" not in text, "/fortunes: <script> not escaped")
    check("&lt;script&gt;" in text, "/fortunes: escaped <script> row missing")
    check("フレームワークのベンチマーク" in text, "/fortunes: UTF-8 row missing or garbled")


TESTS = {"plaintext": t_plaintext, "json": t_json, "db": t_db, "queries": t_queries,
         "fortunes": t_fortunes, "updates": t_updates}

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    port = int(sys.argv[1])
    names = sys.argv[2:] or list(TESTS)
    for name in names:
        before = len(failures)
        try:
            TESTS[name](port)
        except Exception as e:  # connection refused, bad JSON, ...
            failures.append(f"/{name}: {type(e).__name__}: {e}")
        print(f"{name:10s} {'ok' if len(failures) == before else 'FAIL'}")
    for f in failures:
        print("  " + f)
    sys.exit(1 if failures else 0)
