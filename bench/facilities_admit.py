"""Admissions through the API under concurrent clients (issue 11): median and p95 latency with a baseline,
and the last place taken exactly once by concurrent admissions through the running server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/facilities_admit.py
    .venv/bin/python bench/facilities_admit.py [--clients 20] [--requests 20] [--workers N]

What it does (bench/api_register.py's harness: the same throw-away database, gunicorn and client threads):

1. Loads the reference data, the demo foundation, a few persons and the demo facility network
   (qorgau/demo/national/facilities.py); gives Astana's crisis centre (the demo facility manager's)
   enough places for every admission of the run, and opens one case per admission at that centre (its
   case worker registers the victim: a walk-in, which the centre's staff admit directly). Not timed.
2. Starts gunicorn against that database (production-like settings, DEBUG off).
3. Baseline: `--clients` threads each GET /healthz `--requests` times.
4. Measured: the same threads each POST /api/facilities/placements/ `--requests` times as the facility
   manager (API token), each with its own Idempotency-Key and case. Every admission locks the same
   capacity row (one facility, one place type): the worst case for the lock that prevents double
   booking, not the spread of a real day over 129 facilities.
5. The named peer, on PostgreSQL: the same threads run hand-written psycopg transactions that take the
   same row lock and write the capacity and its history (raw_peer): the floor under the API's figure.
6. The last place: the count is set to one vacant place and `--clients` admissions of different cases
   start at one barrier; exactly one may answer 201, the others 400, and the database must hold one
   more placement and no vacant place. Printed, and the exit status is 1 if it does not hold.

Never asserts a timing. Loopback only; the number of requests is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from api_register import (  # bench/api_register.py: server, clients, percentiles
    ROOT,
    database_url,
    free_port,
    p95,
    run_clients,
    start_server,
    timed,
    wait_until_up,
)

sys.path.insert(0, str(ROOT))


def prepare(admissions: int, seed: int) -> dict[str, Any]:
    """The facility manager's token, the capacity's id and one open case per admission."""
    from run import load_data

    from qorgau.cases.services import do_open_case
    from qorgau.core.api.tokens import do_issue_api_token
    from qorgau.core.models import Agency
    from qorgau.demo.national.facilities import create_network
    from qorgau.facilities.models import Capacity, Facility
    from qorgau.facilities.services import do_set_places
    from qorgau.people.services import do_create_person

    ctx = load_data(rows=200, seed=seed)
    agencies: dict[tuple[str, str], Agency] = {}
    for agency in Agency.objects.filter(region__isnull=False, district__isnull=True).select_related("region"):
        agencies.setdefault((agency.region.code, agency.type), agency)  # type: ignore[union-attr]
    admin, manager, worker = (ctx.users[k] for k in ("system_admin", "facility_manager", "case_worker"))
    create_network(agencies, admin, seed=seed)
    facility = Facility.objects.get(agency=manager.agency)
    occupied = {c.place_type: c.beds - c.vacant for c in facility.capacities.all()}
    do_set_places(actor=admin, facility=facility, places={"women": occupied.get("women", 0) + admissions})
    cases = []
    for n in range(admissions):
        person, _ = do_create_person(actor=worker, surname=f"Bench{n}", given_name="Aigerim", sex="F")
        cases.append(do_open_case(actor=worker, victim=person).pk)
    _token, key = do_issue_api_token(actor=None, owner=manager, name="bench facilities_admit", days=1)
    capacity = Capacity.objects.get(facility=facility, place_type="women")
    return {"token": key, "cases": cases, "capacity": capacity.pk, "facility": facility.pk}


def last_place(base: str, data: dict[str, Any], cases: list[int], make: Any) -> dict[str, Any]:
    """One vacant place, len(cases) admissions at one barrier through the server."""
    from django.db import connection

    from qorgau.facilities.models import Capacity, Placement

    capacity = Capacity.objects.get(pk=data["capacity"])
    Capacity.objects.filter(pk=capacity.pk).update(vacant=1, held=0)
    connection.close()
    before = Placement.objects.filter(capacity_id=capacity.pk).count()
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(cases))

    def one(case: int) -> None:
        request = make(case)
        barrier.wait()
        _elapsed, status = timed(request)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    capacity.refresh_from_db()
    after = Placement.objects.filter(capacity_id=capacity.pk).count()
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    ok = counts.get(201) == 1 and counts.get(400) == len(cases) - 1 and after == before + 1
    return {"statuses": counts, "new_placements": after - before, "vacant_after": capacity.vacant, "ok": ok}


def raw_peer(dsn: str, capacity: int, clients: int, requests: int) -> tuple[list[float], dict[int, int]]:
    """The named peer (PostgreSQL only): hand-written psycopg transactions that take the same row lock and
    write what an admission writes to the capacity and its history (the count kept, so the API's places
    stay), without HTTP, Django, the ORM, the audit row or the placement: the floor of the lock's cost."""
    import psycopg

    times: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)
    sql_lock = "SELECT beds, vacant, held FROM facilities_capacity WHERE id = %s FOR UPDATE"
    sql_update = "UPDATE facilities_capacity SET as_of = now() WHERE id = %s"
    sql_history = (
        "INSERT INTO facilities_vacancyupdate (capacity_id, kind, beds, vacant, held, as_of, recorded_at) "
        "VALUES (%s, 'admission', %s, %s, %s, now(), now())"
    )

    def client() -> None:
        with psycopg.connect(dsn) as conn:
            mine = []
            for i in range(requests + 1):
                if i == 1:
                    start.wait()
                began = time.perf_counter()
                with conn.transaction():
                    beds, vacant, held = conn.execute(sql_lock, [capacity]).fetchone()  # type: ignore[misc]
                    conn.execute(sql_update, [capacity])
                    conn.execute(sql_history, [capacity, beds, vacant, held])
                if i:
                    mine.append(time.perf_counter() - began)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, {200: len(times)}  # committed transactions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=20, help="concurrent client threads (default 20)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per client (default 20)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from run import machine, setup_database

    tmpdir = Path(tempfile.mkdtemp(prefix="qorgau-bench-admit-"))
    drop = setup_database(tmpdir)
    server: subprocess.Popen[bytes] | None = None
    ok = False
    try:
        info = machine()
        per_client = args.requests + 1  # and one warm-up admission each
        data = prepare(args.clients * per_client + args.clients, args.seed)
        from django.db import connection

        connection.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmpdir / "server.log"
        server = start_server(port, args.workers, database_url(), log)
        wait_until_up(base, server, log)
        token = data["token"]

        def admit_case(case: int) -> urllib.request.Request:
            return urllib.request.Request(  # noqa: S310 - loopback http only
                f"{base}/api/facilities/placements/",
                data=json.dumps({"case": case, "place_type": "women"}).encode(),
                method="POST",
                headers={
                    "Authorization": f"Token {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
            )

        def healthz(n: int, i: int) -> urllib.request.Request:
            return urllib.request.Request(f"{base}/healthz")  # noqa: S310 - loopback http only

        def admit(n: int, i: int) -> urllib.request.Request:
            return admit_case(data["cases"][n * per_client + i + 1])  # i = -1: the warm-up

        base_times, base_statuses = run_clients(args.clients, args.requests, healthz)
        admit_times, admit_statuses = run_clients(args.clients, args.requests, admit)
        runs = [
            ("healthz (baseline)", base_times, base_statuses),
            ("api_admit", admit_times, admit_statuses),
        ]
        if database_url().startswith("postgres"):
            peer_times, peer_statuses = raw_peer(
                database_url(), data["capacity"], args.clients, args.requests
            )
            runs.append(("psycopg_lock (peer)", peer_times, peer_statuses))
        race = last_place(base, data, data["cases"][args.clients * per_client :], admit_case)
        ok = race["ok"]

        print(" ".join(f"{k}={v}" for k, v in info.items()))
        print(
            f"server=gunicorn workers={args.workers} clients={args.clients} requests/client={args.requests} "
            f"seed={args.seed}"
        )
        print()
        print(f"{'benchmark':<22} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11}  statuses")
        base_median = statistics.median(base_times)
        results: dict[str, Any] = {}
        for name, times, statuses in runs:
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
        print()
        print(
            f"last place, {args.clients} concurrent admissions: statuses {race['statuses']}, "
            f"{race['new_placements']} new placement(s), {race['vacant_after']} vacant after: "
            + ("exactly one admitted" if ok else "DOUBLE BOOKING OR ERROR")
        )
        results["last_place"] = race
        if set(admit_statuses) != {201} or not ok:
            print("\nthe server's log ends with:")
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
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
