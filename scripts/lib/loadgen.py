"""Virtual users against the CleanStation API (aiohttp), for scripts/loadtest.sh.

  loadgen.py URL --scenario browse|mixed|login --users N --duration SECONDS
             --accounts FILE [--think SECONDS] [--ramp SECONDS] [--spread SECONDS]

Each virtual user signs in once with its own account (ACCOUNTS: a JSON list
of {"email", "password"}) from an address of its own (X-Forwarded-For), all
before the measured phase (reported apart as sign_ins); then each loops over
its scenario, thinking (uniform 0.5–1.5 × --think) before every request.
The users start one after another over --spread seconds (default: ten think
times, about one round of `mixed`), so that their rounds are out of step, as
two hundred people's are: started within a second, their first rounds open
the same kind of page in the same seconds. The measured phase is the
--duration after the last one started; requests started before it (warm_up)
and after it, by the users finishing their rounds (wind_down), are reported
apart:
  browse  list orders with a filter or a search, open one order;
  mixed   list with filters, open an order, fetch a build's BOM, open its
          checklist; QC users also sign a Pre-QC result where one is due,
          coordinators create an order every tenth round; and the pages a
          person uses (signed in through the sign-in page, with cookies of
          their own): the role's home page with its queues, the order's
          page and the checklist's page (kinds page_home, page_order,
          page_checklist); assemblers and QC also scan the build's
          number, which leads to the build's own page (page_scan: the
          redirect and the page, as one); QC also asks, every fifth
          round, which builds hold one of the build's parts
          (page_where_used); coordinators and QC open the reports every
          tenth round from the second, as a page and from the API
          (page_reports, reports);
  login   sign in again and again (bcrypt is slow on purpose: this measures it).
Prints one JSON object: requests, errors, statuses, latency p50/p95/p99 (ms)
overall and per request kind, throughput; beside them, over the measured
phase, the instance's own request-duration histogram by route (scraped from
its /metrics at both ends: where a request's time goes, in the instance or
before it) and how late the load generator's own event loop woke.
Bounded: the duration, and at most 1,000,000 requests.
"""
import argparse, asyncio, json, random, re, time, urllib.parse

import aiohttp

from api import order_body  # scripts/lib/api.py, beside this file

LIMIT = 1_000_000
STATUSES = ["ORDER_CREATED", "PARTS_SENT", "READY_FOR_PRE_QC", "READY_FOR_PRODUCTION", "SHIPPED"]


class Stats:
    def __init__(self):
        self.latencies = {}
        self.statuses = {}
        self.errors = 0
        self.requests = 0

    def record(self, kind, status, seconds):
        self.requests += 1
        self.latencies.setdefault(kind, []).append(seconds * 1000)
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if status == "error" or (isinstance(status, int) and status >= 500) or status in (0, 401, 403, 429):
            self.errors += 1


def histogram_counts(text):
    """The instance's request-duration histogram, from its /metrics text: {(method, route): {le: count}}."""
    counts = {}
    for line in text.splitlines():
        if not line.startswith("http_request_duration_seconds_bucket{"):
            continue
        labels, value = line[len("http_request_duration_seconds_bucket{"):].rsplit("} ", 1)
        fields = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        bound = float("inf") if fields["le"] == "+Inf" else float(fields["le"])
        counts.setdefault((fields["method"], fields["route"]), {})[bound] = float(value)
    return counts


def server_side(before, after):
    """What the instance itself measured between two scrapes, per route: from its first middleware to the
    response (so without the wait for its event loop, the network and the load generator's own loop). Nothing
    when either scrape failed or the instance restarted between them. The
    quantiles are interpolated within their bucket: p50 from 20 requests, p99 from 100, else null; null too when
    the quantile is past the last bucket."""
    if not before or not after:
        return {}
    # A count that went down anywhere means the instance restarted: its other routes may have caught up and would
    # count too little, so nothing is reported.
    if any(count < before.get(key, {}).get(bound, 0) for key, buckets in after.items() for bound, count in buckets.items()):
        return {}
    result = {}
    for key, buckets in after.items():
        earlier = before.get(key, {})
        cumulative = sorted((bound, count - earlier.get(bound, 0)) for bound, count in buckets.items())
        total = cumulative[-1][1]
        if total < 20:
            continue
        def quantile(q, least):
            if total < least:
                return None
            rank, lower, below = q * total, 0.0, 0.0
            for bound, count in cumulative:
                if count >= rank:
                    if bound == float("inf"):
                        return None
                    return round((lower + (bound - lower) * (rank - below) / max(1.0, count - below)) * 1000, 1)
                lower, below = bound, count
        within_50 = dict(cumulative).get(0.05)
        finite = [count for bound, count in cumulative if bound != float("inf")]
        result["%s %s" % key] = {"count": int(total), "p50": quantile(0.5, 20), "p99": quantile(0.99, 100),
                                 "over_50_ms": None if within_50 is None else int(total - within_50),
                                 # Past the last bucket (5 s): where a quantile there reads null.
                                 "over_last_bucket": int(total - finite[-1]) if finite else None}
    return dict(sorted(result.items()))


def percentiles(values):
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)
    return {"count": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": round(ordered[-1], 2)}


class User:
    def __init__(self, base, session, stats, account, deadline, think, address):
        self.base, self.session, self.stats = base, session, stats
        # Requests started before `measured_from` count in warm_up, after `measured_until` in wind_down, and
        # between them in stats (time.perf_counter; while signing in, all count in stats).
        self.warm_up = self.wind_down = None
        self.measured_from = self.measured_until = 0.0
        # Each virtual user comes from an address of its own, as users do behind a
        # proxy (the server must list the load generator in TRUSTED_PROXIES).
        self.address = address
        self.account, self.deadline, self.think = account, deadline, think
        self.token = None
        self.role = None
        # The role's home page, where the sign-in page sends it (pages sign in with cookies, not the token).
        self.home = None

    def phase(self, started):
        """Where a request counts: the phase in which it started."""
        if self.warm_up is None:
            return self.stats
        if started < self.measured_from:
            return self.warm_up
        return self.stats if started < self.measured_until else self.wind_down

    async def call(self, kind, method, path, body=None, expected=(200,)):
        if self.stats.requests >= LIMIT:
            return None, None
        headers = {"X-Forwarded-For": self.address}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        started = time.perf_counter()
        try:
            async with self.session.request(method, self.base + path, json=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            self.phase(started).record(kind, "error", time.perf_counter() - started)
            return None, None
        self.phase(started).record(kind, status if status in expected or status >= 500 else status, time.perf_counter() - started)
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, None

    async def page(self, kind, path):
        """A page as a browser asks for it: the user's cookies, HTML back."""
        if self.stats.requests >= LIMIT:
            return None, ""
        started = time.perf_counter()
        try:
            async with self.session.get(self.base + path, headers={"X-Forwarded-For": self.address}) as response:
                html = await response.text()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            self.phase(started).record(kind, "error", time.perf_counter() - started)
            return None, ""
        self.phase(started).record(kind, status, time.perf_counter() - started)
        return status, html

    async def page_login(self):
        """The sign-in page and its form, as a person signs in; the answer's redirect is the role's home."""
        status, html = await self.page("page_login_form", "/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', html or "")
        if status != 200 or not token:
            return False
        form = {"_csrf": token.group(1), "email": self.account["email"], "password": self.account["password"], "next": "/"}
        started = time.perf_counter()
        try:
            async with self.session.post(self.base + "/login", data=form, allow_redirects=False,
                                         headers={"X-Forwarded-For": self.address}) as response:
                await response.read()
                status, location = response.status, response.headers.get("Location")
        except (aiohttp.ClientError, asyncio.TimeoutError):
            self.stats.record("page_login", "error", time.perf_counter() - started)
            return False
        self.stats.record("page_login", status if status != 303 else 200, time.perf_counter() - started)
        self.home = location if status == 303 else None
        return self.home is not None

    async def pause(self):
        await asyncio.sleep(self.think * random.uniform(0.5, 1.5))

    async def login(self):
        status, body = await self.call("login", "POST", "/api/v1/auth/login",
                                       {"email": self.account["email"], "password": self.account["password"]})
        if status == 200:
            self.token = body["accessToken"]
            self.role = body.get("user", {}).get("role")
        return status == 200

    async def run(self, scenario):
        if scenario != "login" and not self.token:
            return
        round_number = 0
        while time.perf_counter() < self.deadline and self.stats.requests < LIMIT:
            round_number += 1
            if scenario == "login":
                await self.login()
            else:
                await self.browse(round_number, mixed=scenario == "mixed")
            await self.pause()

    async def browse(self, round_number, mixed):
        if random.random() < 0.5:
            query = "?status=%s&limit=20&page=%d" % (random.choice(STATUSES), random.randint(1, 5))
        else:
            query = "?q=%s&limit=20" % random.choice(["hospital", "clinic", "load 4", "po-load", "lakeside"])
        status, page = await self.call("list", "GET", "/api/v1/orders" + query)
        items = (page or {}).get("items") or []
        if not items:
            return
        await self.pause()
        order = random.choice(items)
        status, detail = await self.call("order", "GET", "/api/v1/orders/" + order["id"])
        if not mixed or not detail:
            return
        builds = detail.get("builds") or []
        if not builds:
            return
        build = random.choice(builds)["buildNumber"]
        base = "/api/v1/orders/%s/builds/%s" % (order["id"], build)
        await self.pause()
        _, bom = await self.call("bom", "GET", base + "/bom")
        await self.pause()
        status, checklist = await self.call("checklist", "GET", base + "/checklists/pre-qc")
        if self.role == "QC_PERSON" and detail.get("status") == "READY_FOR_PRE_QC" and checklist:
            await self.pause()
            await self.sign(base, checklist)
        if self.home:
            await self.pause()
            await self.page("page_home", self.home)
            await self.pause()
            await self.page("page_order", "/orders/" + order["id"])
            await self.pause()
            await self.page("page_checklist", "/orders/%s/builds/%s/checklists/pre-qc" % (order["id"], build))
            if self.role in ("ASSEMBLER", "QC_PERSON"):
                await self.pause()
                await self.page("page_scan", "/scan?code=" + build)
            lines = [line["id"] for line in (bom or {}).get("lines", [])] if isinstance(bom, dict) else []
            if self.role == "QC_PERSON" and round_number % 5 == 0 and lines:
                await self.pause()
                await self.page("page_where_used", "/where-used?part=" + urllib.parse.quote(random.choice(lines), safe=""))
            # From the second round: the reports' figures are kept a minute, and the first count belongs in the measure.
            if self.role in ("PRODUCTION_COORDINATOR", "QC_PERSON") and round_number % 10 == 2:
                await self.pause()
                await self.page("page_reports", "/reports")
                await self.pause()
                await self.call("reports", "GET", "/api/v1/reports")
        if self.role == "PRODUCTION_COORDINATOR" and round_number % 10 == 0:
            po = "PO-VU-%d-%d" % (int(time.time() * 1000), random.randint(0, 10**9))
            body = order_body(po, "B" + po, customer="Load Test Hospital")
            await self.pause()
            await self.call("create", "POST", "/api/v1/orders", body, expected=(201,))

    async def sign(self, base, checklist):
        answers = []
        for section in checklist.get("sections", []):
            for item in section.get("items", []):
                if not item.get("applicable"):
                    continue
                kind = item.get("answerType")
                value = (True if kind == "CHECK" else
                         ((item.get("min") or 0) + (item.get("max") or 0)) / 2 if kind == "NUMBER" else
                         (item.get("options") or ["x"])[0] if kind == "CHOICE" else "SN-LOAD")
                answers.append({"itemId": item["id"], "value": value})
        # A Pre-QC needs a drawing on the order; without one the answer is 409, which is expected here.
        await self.call("sign", "POST", base + "/checklists/pre-qc/results",
                        {"answers": answers, "signature": {"password": self.account["password"]}}, expected=(201, 409))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--scenario", choices=["browse", "mixed", "login"], default="mixed")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which the users sign in")
    parser.add_argument("--spread", type=float, default=None,
                        help="seconds over which the users start working (default: 10 × --think)")
    args = parser.parse_args()
    spread = 10 * args.think if args.spread is None else args.spread
    if spread < 0 or args.duration <= 0:
        parser.error("--spread must not be negative, and --duration must be positive")
    accounts = json.load(open(args.accounts))
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    # One connection pool; a cookie jar per virtual user, as each person has a browser of their own.
    sessions = [aiohttp.ClientSession(connector=connector, connector_owner=False, timeout=timeout,
                                      cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(args.users)]
    try:
        users = [User(args.url.rstrip("/"), sessions[index], None, accounts[index % len(accounts)], 0, args.think,
                      "10.77.%d.%d" % (index // 250, index % 250 + 1)) for index in range(args.users)]
        # Everyone signs in first (spread over --ramp seconds): a working day starts
        # with sign-ins, not with a sign-in per request. Measured apart.
        sign_ins = Stats()
        if args.scenario != "login":
            async def sign_in(index, user):
                await asyncio.sleep(args.ramp * index / max(1, args.users))
                user.stats = sign_ins
                await user.login()
                if args.scenario == "mixed":
                    await user.page_login()
            await asyncio.gather(*(sign_in(index, user) for index, user in enumerate(users)))
        stats, warm_up, wind_down = Stats(), Stats(), Stats()
        # The measured phase: from when the last user has started, for the duration.
        measured_from = time.perf_counter() + spread
        measured_until = measured_from + args.duration
        started_epoch = time.time() + spread
        async def work(index, user):
            # No round starts after the measured phase; the rounds under way finish (wind_down).
            user.stats, user.warm_up, user.wind_down, user.deadline = stats, warm_up, wind_down, measured_until
            user.measured_from, user.measured_until = measured_from, measured_until
            await asyncio.sleep(spread * index / max(1, args.users))
            await user.run(args.scenario)
        async def process_time_at(moment):
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            return time.process_time()
        async def scrape_at(moment):
            # The histogram, and how long after `moment` it was answered (the instance answers under load).
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            try:
                async with aiohttp.ClientSession(timeout=timeout) as probe:
                    async with probe.get(args.url.rstrip("/") + "/metrics") as response:
                        text = await response.text()
                        counts = histogram_counts(text) if response.status == 200 else {}
            except (aiohttp.ClientError, asyncio.TimeoutError):
                counts = {}
            return counts, round(time.perf_counter() - moment, 3)
        async def loop_lag():
            # How late this process's own event loop wakes a 10 ms sleep: a response that arrives while the
            # loop is busy with another is read (and timed) that much later.
            lags = []
            await asyncio.sleep(max(0.0, measured_from - time.perf_counter()))
            while time.perf_counter() < measured_until:
                asked = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append((time.perf_counter() - asked - 0.01) * 1000)
            return lags
        # The load generator's own CPU over the measured phase, the instance's histogram at both ends, the loop's lag.
        probes = asyncio.gather(process_time_at(measured_from), process_time_at(measured_until),
                                scrape_at(measured_from), scrape_at(measured_until), loop_lag())
        try:
            await asyncio.gather(*(work(index, user) for index, user in enumerate(users)))
            cpu_started, cpu_ended, (metrics_before, late_before), (metrics_after, late_after), lags = await probes
        finally:
            probes.cancel()
    finally:
        for session in sessions:
            await session.close()
        await connector.close()
    elapsed = args.duration
    # The load generator shares the machine's cores with the server and PostgreSQL: what it took of them.
    cpu_cores = (cpu_ended - cpu_started) / elapsed
    everything = [value for values in stats.latencies.values() for value in values]
    print(json.dumps({
        "scenario": args.scenario, "users": args.users, "seconds": round(elapsed, 1), "requests": stats.requests,
        "errors": stats.errors, "error_rate": round(stats.errors / max(1, stats.requests), 4), "statuses": stats.statuses,
        "throughput_rps": round(stats.requests / elapsed, 1), "latency_ms": percentiles(everything),
        "load_generator_cpu_cores": round(cpu_cores, 2),
        "load_generator_loop_lag_ms": percentiles(lags),
        # The instance's own measure of the same phase, by route (empty when /metrics is not reachable).
        "server_by_route": server_side(metrics_before, metrics_after),
        # How long after the phase's start and end the two scrapes were answered, in seconds.
        "server_scrapes_late_s": [late_before, late_after],
        # The measured phase, when every user was working (after the sign-ins and the start, until the deadline),
        # for the CPU other processes took over that time.
        "load_epoch": [round(started_epoch, 3), round(started_epoch + args.duration, 3)],
        # Signatures re-enter the password: a bcrypt verification of about 250 ms
        # by design. The rest is what the application itself answers.
        "latency_ms_without_signatures": percentiles(
            [value for kind, values in stats.latencies.items() if kind != "sign" for value in values]),
        "by_kind": {kind: percentiles(values) for kind, values in sorted(stats.latencies.items())},
        "warm_up": {"seconds": round(spread, 1), "requests": warm_up.requests, "errors": warm_up.errors, "statuses": warm_up.statuses,
                    "latency_ms": percentiles([value for values in warm_up.latencies.values() for value in values]),
                    "by_kind": {kind: percentiles(values) for kind, values in sorted(warm_up.latencies.items())}},
        "wind_down": {"requests": wind_down.requests, "errors": wind_down.errors, "statuses": wind_down.statuses,
                      "latency_ms": percentiles([value for values in wind_down.latencies.values() for value in values])},
        "sign_ins": {"requests": sign_ins.requests, "errors": sign_ins.errors,
                     "latency_ms": percentiles(sign_ins.latencies.get("login", [])),
                     "page_login_ms": percentiles(sign_ins.latencies.get("page_login", []))},
    }))


if __name__ == "__main__":
    asyncio.run(main())
