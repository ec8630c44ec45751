"""Benchmark the web app under 50 concurrent users on loopback: the dashboard page and an API read.

    .venv/bin/python bench/web.py [--users 50] [--requests 2000] [--runs 3] [--think-ms 1000,0] [--compare REV]
                                  [--no-write]

The app and the emulator run in one child process (`okrboard demo --serve`'s servers: the app on werkzeug's threaded
server with keep-alive, one process, jobs in process; the sample cycle generated and tracked). This process signs in
through the emulator's OAuth page, then `--users` threads, each with its own keep-alive connection, send
`--requests` requests in total to each endpoint: the dashboard as the signed-in user (session cookie), and `GET
/api/v1/cycles/<id>` with the panel's id token. Each user pauses between an answer and its next request as a person
reading the page does: a random time between half and one and a half times `--think-ms` (seeded, so runs repeat); a
pause of 0 is the saturation test, 50 requests always in flight. Latency is per request, client side; the table
gives the median over runs of p50, p95 and p99, and the server process's CPU time per request (user + system from
/proc, so other jobs on the machine do not inflate it as they do latency). With `--compare REV`, a second child runs
the same servers from that git revision's source and the runs alternate between the two, so both share the machine's
load. Results go to docs/benchmarks.md (section "web").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import median, write_section  # noqa: E402 - bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
TARGET_P99_MS = 50.0


def child(out: str, info: str, source: str) -> None:
    """Run the servers from `source` and write their URLs to `info`, until killed."""
    sys.path.insert(0, source)
    import addon
    from addon.demo.serve import start_demo_servers

    assert Path(addon.__file__).is_relative_to(source), f"{addon.__file__} is not from {source}"
    servers = start_demo_servers(Path(out), say=lambda _: None)
    Path(info).write_text(json.dumps({"dashboard": servers.dashboard_url, "board": servers.board_url}))
    threading.Event().wait()


def _cookie(answer, jar: dict) -> None:
    # The session cookie is Secure; requests keeps such cookies off http, so the bench carries it by hand.
    value = answer.cookies.get("okrboard_session")
    if value:
        jar["okrboard_session"] = value


def _headers(jar: dict) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


def sign_in(app: str, emulator: str) -> dict:
    """Sign in as the demo facilitator through the emulator's OAuth page; return the session cookie."""
    http, jar = requests.Session(), {}
    home = http.get(app + "/", allow_redirects=False)
    _cookie(home, jar)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    login = http.post(app + "/auth/login", data={"csrf_token": token}, headers=_headers(jar), allow_redirects=False)
    _cookie(login, jar)
    query = {k: v[0] for k, v in parse_qs(urlsplit(login.headers["Location"]).query).items()}
    from miro_emulator.seed import DEFAULT_USER_ID

    form = {k: query[k] for k in ("client_id", "redirect_uri", "state")}
    form |= {"decision": "approve", "user_id": DEFAULT_USER_ID}
    approved = http.post(emulator + "/oauth/authorize", data=form, allow_redirects=False)
    callback = urlsplit(approved.headers["Location"])
    done = http.get(f"{app}{callback.path}?{callback.query}", headers=_headers(jar), allow_redirects=False)
    _cookie(done, jar)
    assert done.status_code == 302 and done.headers["Location"] == "/cycles", done.text[:200]
    return jar


def load(url: str, headers: dict, users: int, total: int, think_ms: float) -> tuple[list[float], int, float]:
    """Send `total` GETs from `users` threads, each pausing about `think_ms` between requests; return latencies (ms),
    errors and wall seconds."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_user = total // users

    def user(seed: int) -> None:
        http, pauses = requests.Session(), random.Random(seed)
        mine, failed = [], 0
        # Users start spread over one pause, as people arriving do, rather than all in the same millisecond.
        time.sleep(pauses.uniform(0, think_ms) / 1000)
        for _ in range(per_user):
            start = time.perf_counter()
            try:
                answer = http.get(url, headers=headers, timeout=30)
                failed += answer.status_code != 200
            except requests.RequestException:
                failed += 1
            mine.append((time.perf_counter() - start) * 1000)
            if think_ms:
                time.sleep(pauses.uniform(0.5, 1.5) * think_ms / 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=user, args=(seed,)) for seed in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0..1) of values."""
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The machine's load average (1, 5 and 15 minutes)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Servers:
    """The app and the emulator from one source tree, in a child process, signed in and ready to be loaded."""

    def __init__(self, source: Path, folder: Path):
        info = folder / "urls.json"
        command = [sys.executable, __file__, "--child", str(folder), str(info), str(source)]
        self.process = subprocess.Popen(command, cwd=source)
        for _ in range(600):
            if info.exists() and info.read_text():
                break
            time.sleep(0.1)
        urls = json.loads(info.read_text())
        app = urls["dashboard"].split("/cycles/")[0]
        emulator = urls["board"].split("/_emulator/")[0]
        board_id = urls["board"].split("/boards/")[1].split("/")[0]
        cycle_id = urls["dashboard"].rsplit("/", 1)[1]
        jar = sign_in(app, emulator)
        id_token = requests.post(f"{emulator}/_emulator/boards/{board_id}/id-token", json={}).json()["token"]
        self.targets = {
            "dashboard page": (urls["dashboard"], _headers(jar)),
            "API read (cycle)": (f"{app}/api/v1/cycles/{cycle_id}", {"Authorization": f"Bearer {id_token}"}),
        }

    def run(self, name: str, users: int, total: int, think_ms: float) -> tuple[list[float], int, float, float, float]:
        """One run against an endpoint: latencies, errors, wall seconds, the server's and this client's CPU ms
        per request."""
        url, headers = self.targets[name]
        cpu, client_cpu = process_cpu(self.process.pid), time.process_time()
        latencies, errors, wall = load(url, headers, users, total, think_ms)
        per_request = 1000 / len(latencies)
        server = (process_cpu(self.process.pid) - cpu) * per_request
        return latencies, errors, wall, server, (time.process_time() - client_cpu) * per_request

    def close(self) -> None:
        """Stop the child."""
        self.process.terminate()
        self.process.wait(10)


def measure(sources: dict[str, Servers], args) -> list[tuple]:
    """Alternate the sources run by run on each endpoint; return one row per source and endpoint."""
    rows = []
    for think_ms, name in ((think, name) for think in args.think_ms for name in next(iter(sources.values())).targets):
        runs: dict[str, list] = {label: [] for label in sources}
        for servers in sources.values():
            servers.run(name, args.users, args.users * 4, 0)  # warm up connections and caches
        for _ in range(args.runs):
            for label, servers in sources.items():
                runs[label].append(servers.run(name, args.users, args.requests, think_ms))
        for label, done in runs.items():
            p = {q: median([percentile(r[0], q) for r in done]) for q in (0.50, 0.95, 0.99)}
            errors = sum(r[1] for r in done)
            rate = median([len(r[0]) / r[2] for r in done])
            cpu, client = median([r[3] for r in done]), median([r[4] for r in done])
            rows.append((f"{name}{label}", think_ms, p, errors, rate, cpu, client))
            summary = f"p50 {p[0.5]:.1f} ms, p95 {p[0.95]:.1f} ms, p99 {p[0.99]:.1f} ms, {cpu:.2f} ms CPU/request"
            print(f"{name}{label}, pause {think_ms:g} ms: {summary}, {errors} errors, {rate:.0f}/s", flush=True)
    return rows


def verdict(rows: list[tuple], users: int, compared: bool) -> str:
    """What the numbers say: the ratios to the compared source, and what each pause asks of a request."""
    lines = []
    if compared:
        for new, old in zip(rows[::2], rows[1::2], strict=True):
            lines.append(
                f"- {new[0]}, pause {new[1]:g} ms: {old[5] / new[5]:.1f}x less server CPU per request than "
                f"{old[0].split(', ', 1)[1]}, p50 {old[2][0.5] / new[2][0.5]:.1f}x and p99 "
                f"{old[2][0.99] / new[2][0.99]:.1f}x lower."
            )
    for name, think_ms, _p, _errors, rate, cpu, client in rows[:: 2 if compared else 1]:
        if think_ms:
            lines.append(
                f"- {name}, pause {think_ms:g} ms: {users} users send {rate:.0f} requests/s, which keep the server "
                f"busy {rate * cpu / 10:.0f}% of one core ({cpu:.2f} ms CPU a request); the client spends "
                f"{client:.2f} ms a request."
            )
            continue
        # Little's law for a closed loop: each of `users` waits for its answer before the next request.
        lines.append(
            f"- {name}, no pause: {users} requests always in flight get, at {rate:.0f} requests/s, "
            f"{users * 1000 / rate:.0f} ms on average; a p99 of {TARGET_P99_MS:.0f} ms would need more than "
            f"{users * 1000 / (TARGET_P99_MS / 2):.0f} requests/s: at most {TARGET_P99_MS / 2 / users:.2f} ms of CPU "
            f"a request in a server that runs Python on one core at a time, and as little in the client on the "
            f"other core; measured {cpu:.2f} ms in the server and {client:.2f} ms in the client."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and write its section."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--think-ms",
        type=lambda text: [float(part) for part in text.split(",")],
        default=[1000.0, 0.0],
        help="each user's mean pause between requests, in ms, one run set per value (0: no pause)",
    )
    parser.add_argument("--compare", metavar="REV", help="also run the servers from this git revision's source")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from processes import export

    folder = Path(tempfile.mkdtemp(prefix="okrboard-bench-web-"))
    trees = {"": ROOT}
    if args.compare:
        trees[f", source of `{args.compare}`"] = export(args.compare, folder / "compare")
    load_before, sources = load_average(), {}
    try:
        for index, (label, tree) in enumerate(trees.items()):
            (folder / str(index)).mkdir()
            sources[label] = Servers(tree, folder / str(index))
        rows = measure(sources, args)
    finally:
        for servers in sources.values():
            servers.close()
    load_after = load_average()
    table = "\n".join(
        f"| {name} | {think_ms:g} | {p[0.5]:.1f} | {p[0.95]:.1f} | {p[0.99]:.1f} | {errors} | {rate:.0f} | {cpu:.2f} | "
        f"{client:.2f} | {'yes' if p[0.99] <= TARGET_P99_MS and not errors else 'no'} |"
        for name, think_ms, p, errors, rate, cpu, client in rows
    )
    command = f".venv/bin/python bench/web.py --users {args.users} --requests {args.requests} --runs {args.runs}"
    command += " --think-ms " + ",".join(f"{think:g}" for think in args.think_ms)
    command += f" --compare {args.compare}" if args.compare else ""
    body = f"""## Web app under {args.users} concurrent users

Command: `{command}`. The app
(one process, werkzeug's threaded server with keep-alive) and the emulator run in a child process with the sample
cycle generated and tracked; {args.users} client threads with their own connections send {args.requests} requests
per run to each endpoint{" (the runs alternate between the two sources)" if args.compare else ""}. Each user pauses
between an answer and its next request as a person reading the page does, a random time between half and one and a
half times the pause given (0: no pause, the saturation test with {args.users} requests always in flight). Latency is
measured by the client; CPU is the user + system time per request of the server process and of the client (this
process, its 50 threads); medians over {args.runs} runs.
Target: p99 at most {TARGET_P99_MS:.0f} ms with 0 errors. Load average (1, 5, 15 min) before: {load_before};
after: {load_after} (2 shared cores; the client's threads run on the same cores as the server).

| endpoint | pause ms | p50 ms | p95 ms | p99 ms | errors | req/s | server CPU ms/req | client CPU ms/req | target met |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
{table}
"""
    body += "\n" + verdict(rows, args.users, bool(args.compare))
    print(body)
    if not args.no_write:
        write_section("web", body)


if __name__ == "__main__":
    main()
