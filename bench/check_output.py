#!/usr/bin/env python3
"""The bench smoke test: runs `bastion-bench --smoke` and checks that every scenario completed
for Bastion and OpenSSL (and the floor where it has one) and that stdout is well-formed JSON
lines. Says nothing about speed."""
import json
import math
import subprocess
import sys

REQUIRED = {
    "hs13_full_ecdsa": ("bastion", "openssl", "floor"),
    "hs13_full_rsa": ("bastion", "openssl", "floor"),
    "hs13_full_ecdsa_tickets": ("bastion", "openssl"),
    "hs13_resumed": ("bastion", "openssl", "floor"),
    "hs12_full_ecdsa": ("bastion", "openssl", "floor"),
    "hs12_full_rsa": ("bastion", "openssl", "floor"),
    "hs12_resumed": ("bastion", "openssl"),
    "bulk12_aes128gcm_16k": ("bastion", "openssl", "floor"),
    "bulk12_aes256gcm_16k": ("bastion", "openssl", "floor"),
    "bulk12_chacha20_16k": ("bastion", "openssl", "floor"),
    "bulk_aes128gcm_16k": ("bastion", "openssl", "floor"),
    "bulk_aes256gcm_16k": ("bastion", "openssl", "floor"),
    "bulk_chacha20_16k": ("bastion", "openssl", "floor"),
    "bulk_aes128gcm_1k": ("bastion", "openssl", "floor"),
    "mem_idle_server": ("bastion", "openssl"),
    "mem_idle_client": ("bastion", "openssl"),
    "allocs_per_record": ("bastion", "openssl"),
}


def main():
    run = subprocess.run([sys.argv[1], "--smoke"], capture_output=True, text=True, timeout=600)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        sys.exit(f"bastion-bench --smoke exited with {run.returncode}")
    seen = set()
    for line in run.stdout.splitlines():
        obj = json.loads(line)
        if set(obj) != {"figure", "impl", "median", "min", "max", "unit"}:
            sys.exit(f"unexpected keys: {line}")
        if obj["impl"] not in ("bastion", "openssl", "floor"):
            sys.exit(f"unknown impl: {line}")
        for key in ("median", "min", "max"):
            if not isinstance(obj[key], (int, float)) or not math.isfinite(obj[key]):
                sys.exit(f"bad number: {line}")
        if not obj["min"] <= obj["median"] <= obj["max"]:
            sys.exit(f"min/median/max out of order: {line}")
        seen.add((obj["figure"], obj["impl"]))
    missing = [(f, i) for f, impls in REQUIRED.items() for i in impls if (f, i) not in seen]
    if missing:
        sys.exit(f"missing figures: {missing}")
    print(f"{len(seen)} figures, all well formed")


if __name__ == "__main__":
    main()
