"""Signal registration through the API under concurrent clients: median and p95 latency, with a baseline.

    .venv/bin/python bench/api_register.py [--clients 20] [--requests 25] [--rows 2000] [--workers N]
    DATABASE_URL=postgres://... .venv/bin/python bench/api_register.py      # on PostgreSQL

What it does (the issue asks: "Registering a signal through the API: report median and p95 latency under
20 concurrent clients"):

1. Sets Django up on a throw-away database exactly as bench/run.py does (a temporary SQLite file, or a
   `test_<name>` database next to DATABASE_URL's, dropped at the end), loads the reference data, the demo
   foundation and `--rows` synthetic persons, and creates an API token for the demo duty officer
   (Astana police, agency scope).
2. Starts `gunicorn qorgau.wsgi` on 127.0.0.1 on a free port against that database, with settings as
   in production (DEBUG off, generated secret and IIN keys, no TLS redirect): what a client would meet.
   The mode stays development, because production mode refuses the throw-away SQLite database and the
   superuser role the benchmark connects with.
3. Baseline: `--clients` threads each GET /healthz `--requests` times (no login, a few queries).
4. Measured: the same threads each POST /api/intake/signals/ `--requests` times, each with a unique
   Idempotency-Key, one existing victim by id and one alleged offender given inline (created with the
   signal), like a duty officer's information system would.
5. Prints the machine, the median and p95 of each, and the ratio of the medians. Never asserts a timing.

Loopback only; the number of requests is bounded (clients x requests, plus one warm-up request each).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# Production-like settings for this process and the server alike: both must share the IIN keys, and DEBUG
# off keeps query logging out of the measurement. Generated per run; nothing here is a real secret.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "qorgau.settings",
    "QORGAU_ENV": "development",
    "DEBUG": "0",
    "DEMO_MODE": "0",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "IIN_HASH_KEY": secrets.token_urlsafe(32),
    "IIN_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
for _name, _value in SERVER_ENV.items():
    os.environ.setdefault(_name, _value)
    SERVER_ENV[_name] = os.environ[_name]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """DATABASE_URL of the throw-away database this process created (for the server process)."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    original = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(original._replace(path=f"/{settings['NAME']}"))


def prepare(rows: int, seed: int) -> tuple[str, str, list[int]]:
    """Token of the demo duty officer, their region code, and ids of persons their agency registered."""
    from run import load_data  # bench/run.py: the shared loader of the benchmark data

    from qorgau.core.api.tokens import do_issue_api_token
    from qorgau.people.models import Person

    ctx = load_data(rows=rows, seed=seed)
    officer = ctx.users["duty_officer"]
    _token, key = do_issue_api_token(actor=None, owner=officer, name="bench api_register", days=1)
    victims = list(Person.objects.filter(agency=officer.agency).order_by("pk").values_list("pk", flat=True))
    if not victims:
        raise SystemExit("no person in the duty officer's agency: raise --rows")
    return key, officer.agency.region.code, victims


def start_server(port: int, workers: int, db_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": db_url}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "qorgau.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def timed(request: urllib.request.Request) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return time.perf_counter() - started, status


def run_clients(
    clients: int, requests: int, make: Callable[[int, int], urllib.request.Request]
) -> tuple[list[float], dict[int, int]]:
    """`clients` threads, each making one untimed warm-up request and then `requests` timed ones."""
    times: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        timed(make(n, -1))
        start.wait()
        mine: list[tuple[float, int]] = [timed(make(n, i)) for i in range(requests)]
        with lock:
            for elapsed, status in mine:
                times.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, statuses


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=20, help="concurrent client threads (default 20)")
    parser.add_argument("--requests", type=int, default=25, help="timed requests per client (default 25)")
    parser.add_argument("--rows", type=int, default=2000, help="synthetic persons to load (default 2000)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from run import machine, setup_database

    tmpdir = Path(tempfile.mkdtemp(prefix="qorgau-bench-api-"))
    drop = setup_database(tmpdir)
    server: subprocess.Popen[bytes] | None = None
    try:
        info = machine()
        token, region, victims = prepare(args.rows, args.seed)
        from django.db import connection

        connection.close()  # the server processes write to the database from now on
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmpdir / "server.log"
        server = start_server(port, args.workers, database_url(), log)
        wait_until_up(base, server, log)

        def healthz(n: int, i: int) -> urllib.request.Request:
            return urllib.request.Request(f"{base}/healthz")  # noqa: S310 - loopback http only

        received = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()

        def register(n: int, i: int) -> urllib.request.Request:
            body = {
                "channel": "call_102",
                "received_at": received,
                "region": region,
                "address": f"Bench street {n}, flat {i}",
                "victims": [{"person": victims[(n * 1000 + i) % len(victims)]}],
                "offenders": [{"new_person": {"surname": f"Bench{n}", "given_name": f"Offender{i}"}}],
                "relationship": "spouse",
                "forms": ["psychological"],
                "account": "Synthetic signal for the API benchmark.",
            }
            return urllib.request.Request(  # noqa: S310 - loopback http only
                f"{base}/api/intake/signals/",
                data=json.dumps(body).encode(),
                method="POST",
                headers={
                    "Authorization": f"Token {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
            )

        base_times, base_statuses = run_clients(args.clients, args.requests, healthz)
        reg_times, reg_statuses = run_clients(args.clients, args.requests, register)

        print(" ".join(f"{k}={v}" for k, v in info.items()))
        print(
            f"server=gunicorn workers={args.workers} clients={args.clients} requests/client={args.requests} "
            f"rows={args.rows} seed={args.seed}"
        )
        print()
        print(f"{'benchmark':<22} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11}  statuses")
        base_median = statistics.median(base_times)
        results: dict[str, Any] = {}
        for name, times, statuses in (
            ("healthz (baseline)", base_times, base_statuses),
            ("api_register_signal", reg_times, reg_statuses),
        ):
            median = statistics.median(times)
            results[name] = {
                "median": median,
                "p95": p95(times),
                "ratio": median / base_median,
                "statuses": statuses,
                "n": len(times),
            }
            print(
                f"{name:<22} {median * 1000:>10.1f} {p95(times) * 1000:>10.1f} "
                f"{median / base_median:>11.1f}  {dict(sorted(statuses.items()))}"
            )
        if set(reg_statuses) != {201}:
            print("\nnot every registration answered 201; the server's log ends with:")
            print(log.read_text()[-3000:])
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"machine": info, "args": vars(args) | {"json": str(args.json)}, "results": results},
                    indent=2,
                )
            )
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        drop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
