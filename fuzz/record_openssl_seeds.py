#!/usr/bin/env python3
"""Adds OpenSSL's server flights to the client fuzz target's seed corpus.

Starts `openssl s_server` with each test certificate (and a few suite and group choices),
lets our deterministic client (fuzz_make_corpus --openssl) talk to it, and stores everything the
server sent as fuzz/corpus/client/openssl-*. Usage:
    fuzz/record_openssl_seeds.py build/release/fuzz/fuzz_make_corpus
"""
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_pem(name):
    header = (ROOT / "tests/support/test_certs.hpp").read_text()
    match = re.search(r"%s = R\"\((.*?)\)\";" % name, header, re.S)
    return match.group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("openssl s_server did not start")


# name, certificate, key, extra s_server options, fuzz options byte
CASES = [
    ("openssl-ecdsa", "kEcdsaCertPem", "kEcdsaKeyPem", ["-tls1_3"], 0),
    ("openssl-rsa-pss-chacha", "kRsaCertPem", "kRsaKeyPem",
     ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"], 0),
    ("openssl-ed25519-hrr-aes256", "kEd25519CertPem", "kEd25519KeyPem",
     ["-tls1_3", "-groups", "P-384", "-ciphersuites", "TLS_AES_256_GCM_SHA384"], 0),
    ("openssl-p384-alpn", "kP384CertPem", "kP384KeyPem", ["-tls1_3", "-alpn", "http/1.1"], 1),
    ("openssl-tls12-ecdsa", "kEcdsaCertPem", "kEcdsaKeyPem", ["-tls1_2"], 0),
    ("openssl-tls12-rsa-chacha", "kRsaCertPem", "kRsaKeyPem",
     ["-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"], 0),
]


def main():
    tool = sys.argv[1]
    corpus = ROOT / "fuzz/corpus"
    with tempfile.TemporaryDirectory() as tmp:
        for name, cert, key, extra, options in CASES:
            cert_file = pathlib.Path(tmp, "cert.pem")
            key_file = pathlib.Path(tmp, "key.pem")
            cert_file.write_text(test_pem(cert))
            key_file.write_text(test_pem(key))
            port = free_port()
            server = subprocess.Popen(
                ["openssl", "s_server", "-quiet", "-accept", str(port),
                 "-cert", str(cert_file), "-key", str(key_file)] + extra,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_for(port)
                subprocess.run([tool, str(corpus), "--openssl", str(port), name, str(options)],
                               check=True)
            finally:
                server.terminate()
                server.wait()


if __name__ == "__main__":
    main()
