"""Create, drop or ping a PostgreSQL database for the test run (uses PGHOST, PGPORT, PGUSER), and create
or drop a throw-away login role (password from PGROLE_PASSWORD) for scripts/check-deploy.sh."""

import os
import sys

import psycopg
from psycopg import sql


def connect() -> psycopg.Connection:
    return psycopg.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "ping":
        try:
            connect().close()
        except psycopg.OperationalError:
            return 1
        return 0
    if command in {"create", "drop"} and len(argv) == 3:
        name = argv[2]
        with connect() as conn:
            if command == "create":
                conn.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                    ).format(sql.Identifier(name))
                )
            else:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                # Test databases made from it by the suite (one per xdist worker), if any were kept.
                rows = conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"test_{name}%"]
                ).fetchall()
                for (test_db,) in rows:
                    conn.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(test_db))
                    )
        return 0
    if command in {"create-role", "drop-role"} and len(argv) == 3:
        role = sql.Identifier(argv[2])
        with connect() as conn:
            if command == "create-role":
                password = sql.Literal(os.environ["PGROLE_PASSWORD"])
                # An ordinary role: not a superuser, owns nothing (what production asks for).
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, password))
            else:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
        return 0
    print("usage: pg.py ping | create NAME | drop NAME | create-role NAME | drop-role NAME", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
