"""`python -m qorgau.familymap.engine.generate --seed 1 --scale 0.01 --out var/familymap/inputs`"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qorgau.familymap.engine.generate import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic family map inputs (Parquet).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=0.001, help="1.0 = the national set (20 M persons)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    report = generate(args.seed, args.scale, args.out, threads=args.threads)
    print(json.dumps(report.to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
