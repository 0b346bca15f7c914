#!/usr/bin/env python3
"""The load check smoke test: runs the given command (scripts/loadcheck --smoke) and checks
that it exits 0, which means every connection to both servers succeeded, and that stdout is
well-formed JSON lines with every figure for Bastion and OpenSSL. Says nothing about speed."""
import json
import math
import subprocess
import sys

FIGURES = {
    "load_handshakes": "hs/cpu-s",
    "load_handshakes_wall": "hs/s",
    "load_transfer": "MB/cpu-s",
    "load_transfer_wall": "MB/s",
}
IMPLS = ("bastion", "openssl")


def main():
    run = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        sys.exit(f"{' '.join(sys.argv[1:])} exited with {run.returncode}")
    seen = set()
    for line in run.stdout.splitlines():
        obj = json.loads(line)
        if set(obj) != {"figure", "impl", "median", "min", "max", "unit"}:
            sys.exit(f"unexpected keys: {line}")
        if obj["impl"] not in IMPLS or FIGURES.get(obj["figure"]) != obj["unit"]:
            sys.exit(f"unknown figure, impl or unit: {line}")
        for key in ("median", "min", "max"):
            if not isinstance(obj[key], (int, float)) or not math.isfinite(obj[key]) or obj[key] <= 0:
                sys.exit(f"bad number: {line}")
        if not obj["min"] <= obj["median"] <= obj["max"]:
            sys.exit(f"min/median/max out of order: {line}")
        seen.add((obj["figure"], obj["impl"]))
    missing = [(f, i) for f in FIGURES for i in IMPLS if (f, i) not in seen]
    if missing:
        sys.exit(f"missing figures: {missing}")
    print(f"{len(seen)} figures, all well formed")


if __name__ == "__main__":
    main()
