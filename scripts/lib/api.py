#!/usr/bin/env python3
"""A small client of the CleanStation API for the rehearsal scripts.

  api.py URL login EMAIL PASSWORD          -> prints an access token
  api.py URL order TOKEN PO BUILD          -> creates an order, prints its id
  api.py URL get TOKEN PATH                -> prints the JSON body
  api.py URL load TOKEN SECONDS OUT.json [--writes]
        a bounded stream of requests (reads; with --writes also order
        creations) until SECONDS pass or the file URL.stop appears;
        writes {sent, failed, acknowledged: [po...], statuses} to OUT.json
"""
import json, os, sys, time, urllib.error, urllib.request
from datetime import date, timedelta

def call(url, method="GET", token=None, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text or b"null")
        except ValueError:  # an answer from a proxy, not the application
            return error.code, text.decode("utf-8", "replace")[:200]

SINK = {"model": "T2-B2", "width": 30, "length": 60,
        "legs": {"type": "HEIGHT_ADJUSTABLE", "model": "DL27"}, "feet": "LOCK_LEVELING_CASTERS",
        "pegboard": None, "workflowDirection": "LEFT_TO_RIGHT",
        "basins": [{"type": "E_DRAIN", "size": "24X20X10", "pTrap": True, "basinLight": False},
                   {"type": "E_SINK", "size": "24X20X10", "pTrap": False, "basinLight": True}],
        "faucets": [{"type": "WRIST_BLADE", "quantity": 1, "placement": "BETWEEN_1_2"}],
        "sprayers": [], "accessories": []}

def order_body(po, build, customer="St. Mary Hospital"):
    """A valid one-build order (also used by loadgen.py)."""
    return {"poNumber": po, "customerName": customer, "projectName": "Rehearsal",
            "salesPerson": "Jane Roe", "wantDate": (date.today() + timedelta(days=30)).isoformat(),
            "language": "EN", "notes": "", "sinkFamily": "MDRD",
            "builds": [dict(SINK, buildNumber=build)]}

def order(base, token, po, build):
    return call(base + "/api/v1/orders", "POST", token, order_body(po, build))

def main():
    base, command = sys.argv[1].rstrip("/"), sys.argv[2]
    args = sys.argv[3:]
    if command == "login":
        status, body = call(base + "/api/v1/auth/login", "POST", body={"email": args[0], "password": args[1]})
        if status != 200:
            sys.exit("login failed: %s %s" % (status, body))
        print(body["accessToken"])
    elif command == "order":
        status, body = order(base, args[0], args[1], args[2])
        if status != 201:
            sys.exit("order failed: %s %s" % (status, body))
        print(body["id"])
    elif command == "get":
        status, body = call(base + args[1], token=args[0])
        if status != 200:
            sys.exit("GET %s failed: %s %s" % (args[1], status, body))
        print(json.dumps(body))
    elif command == "load":
        token, seconds, out = args[0], float(args[1]), args[2]
        writes = "--writes" in args
        stop_file = out + ".stop"
        sent = failed = 0
        statuses, acknowledged, errors = {}, [], []
        deadline = time.monotonic() + seconds
        prefix = "L%X" % int(time.time() * 1000)
        while time.monotonic() < deadline and not os.path.exists(stop_file) and sent < 100000:
            sent += 1
            try:
                if writes and sent % 2 == 0:
                    po = "%s-%05d" % (prefix, sent)
                    status, _ = order(base, token, po, "B" + po)
                    if status == 201:
                        acknowledged.append(po)
                else:
                    status, _ = call(base + "/api/v1/orders?limit=5", token=token)
            except Exception as error:  # a refused or reset connection is a failed request
                status = "error"
                errors.append(str(error)[:200])
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status not in (200, 201):
                failed += 1
        with open(out, "w") as handle:
            json.dump({"sent": sent, "failed": failed, "statuses": statuses,
                       "acknowledged": acknowledged, "errors": errors[:5]}, handle)
    else:
        sys.exit("unknown command " + command)

if __name__ == "__main__":
    main()
