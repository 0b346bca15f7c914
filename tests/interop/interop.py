#!/usr/bin/env python3
"""Interop tests for the bastion CLI and examples against real TLS peers on 127.0.0.1.

Each suite is a table of cases (cipher suite x group x HelloRetryRequest, plus ALPN, SNI, data
both ways and a clean close), run one after the other. Certificates are made at start-up with
the openssl CLI in a temporary directory. Every case asserts what both sides say was
negotiated; every process gets a timeout and is killed at the end, even on failure. The pki
suite (mutual TLS, chains, rejected certificates) lives in pki.py.

usage: interop.py --bin BUILD_DIR SUITE [--case SUBSTRING]
Exit codes: 0 all passed, 1 a case failed, 77 a peer program is missing (ctest: skipped).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from harness import (TIMEOUT, CaseFailed, Env, OneShotTlsServer, Peer, check, check_line,
                     end_without_close_notify, free_port, make_pki, run_client)
from algorithms import algorithms_suite
from asio_examples import asio_suite
from capi_python import capi_python_suite
from cli_client import cli_client_suite
from cli_verify import cli_verify_suite
from tls12 import tls12_suite
from http_server import http_server_suite
from pki import pki_suite
from resumption import resumption_suite


SUITES_TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
GROUPS = ["x25519", "secp256r1", "secp384r1"]
# The group a client lists first (and so sends a key share for) to force a HelloRetryRequest.
HRR_DECOY = {"x25519": "secp256r1", "secp256r1": "x25519", "secp384r1": "x25519"}

OPENSSL_GROUP = {"x25519": "X25519", "secp256r1": "P-256", "secp384r1": "P-384"}
GNUTLS_GROUP = {"x25519": "GROUP-X25519", "secp256r1": "GROUP-SECP256R1", "secp384r1": "GROUP-SECP384R1"}
GNUTLS_CIPHER = {
    "TLS_AES_128_GCM_SHA256": "AES-128-GCM",
    "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
    "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305",
}
PYTHON_CURVE = {"secp256r1": "prime256v1", "secp384r1": "secp384r1"}


def tls13_matrix():
    """(suite, group, hrr) for every suite x group, with and without HelloRetryRequest."""
    return [(s, g, h) for s in SUITES_TLS13 for g in GROUPS for h in (False, True)]


def case_name(prefix, suite, group, hrr):
    return f"{prefix}/{suite}/{group}" + ("/hrr" if hrr else "")


def check_client_summary(text, suite, group, hrr, alpn, subject="bastion-test-ec"):
    where = "bastion client summary"
    check_line(text, "version: TLSv1.3", where)
    if suite:
        check_line(text, f"cipher: {suite}", where)
    if group:
        check_line(text, f"group: {group}", where)
    check_line(text, f"hello_retry: {'yes' if hrr else 'no'}", where)
    check_line(text, f"alpn: {alpn}", where)
    check_line(text, "verified: yes", where)
    check(re.search(r"^subject: .*CN=" + re.escape(subject), text, re.M), f"subject in:\n{text}")
    check(re.search(r"^issuer: .*CN=Bastion ca", text, re.M), f"issuer in:\n{text}")
    check(re.search(r"^expires: \S+", text, re.M), f"expires in:\n{text}")


def check_server_status(text, suite, group, hrr, alpn, sni="localhost"):
    """The body of bastion server's default HTTP response."""
    where = "bastion server status page"
    check_line(text, "version: TLSv1.3", where)
    check_line(text, f"cipher: {suite}", where)
    check_line(text, f"group: {group}", where)
    check_line(text, f"hello_retry: {'yes' if hrr else 'no'}", where)
    check_line(text, f"alpn: {alpn}", where)
    check_line(text, f"sni: {sni}", where)


def client_groups(group, hrr):
    """Groups for a peer client: the decoy first forces a HelloRetryRequest."""
    return [HRR_DECOY[group], group] if hrr else [group]


HTTP_GET = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"

# ---------------------------------------------------------------------------------------------
# bastion client against other servers


def client_vs_openssl(env):
    def case(suite, group, hrr):
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
               "-cert", env.cert("ec"), "-key", env.key("ec"),
               "-ciphersuites", suite, "-groups", OPENSSL_GROUP[group], "-alpn", "h2,http/1.1"]
        with Peer(cmd) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            groups = ",".join(client_groups(group, hrr))
            rc, out, err = env.bastion_client(port, "--ciphers", suite, "--groups", groups,
                                              "--alpn", "http/1.1,h2", "--pipe",
                                              stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
            check_client_summary(err, suite, group, hrr, "h2")  # the server's preference
            check(f"New, TLSv1.3, Cipher is {suite}" in out, f"s_server page:\n{out}")

    def sni_case():
        # With -servername_fatal and -cert2, only a client sending SNI "localhost" gets the
        # leaf for localhost (any other name is a fatal alert); the default is the RSA leaf.
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
               "-cert", env.cert("rsa"), "-key", env.key("rsa"),
               "-cert2", env.cert("ec"), "-key2", env.key("ec"),
               "-servername", "localhost", "-servername_fatal"]
        with Peer(cmd) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = env.bastion_client(port, "--pipe", stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
            check_client_summary(err, None, None, False, "none", subject="bastion-test-ec")
            rc, out, err = run_client([env.bastion, "client", f"127.0.0.1:{port}",
                                       "--servername", "other.example", "--insecure"])
            check(rc == 1 and "unrecognized_name" in single_error_line(err), f"exit {rc}\n{err}")

    cases = [(case_name("openssl-s_server", *m), lambda m=m: case(*m)) for m in tls13_matrix()]
    return cases + [("openssl-s_server/sni", sni_case)]


def client_vs_openssl_keys(env):
    """RSA-2048 (RSA-PSS signatures) and Ed25519 server certificates."""
    def case(kind):
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
               "-cert", env.cert(kind), "-key", env.key(kind)]
        with Peer(cmd) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = env.bastion_client(port, "--pipe", stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check_client_summary(err, None, None, False, "none", subject=f"bastion-test-{kind}")
            check("New, TLSv1.3, Cipher is" in out, f"s_server page:\n{out}")
    def key_update_case():
        # s_server sends a KeyUpdate asking for one back when it reads "K" on a line; data
        # must then flow both ways under the new keys.
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-naccept", "1",
               "-cert", env.cert("ec"), "-key", env.key("ec")]
        with Peer(cmd, stdin=subprocess.PIPE) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            client_cmd = [env.bastion, "client", f"127.0.0.1:{port}", "--servername", "localhost",
                          "--cafile", env.ca, "--pipe"]
            with Peer(client_cmd, stdin=subprocess.PIPE) as client:
                def say(peer, line):
                    peer.proc.stdin.write(line + "\n")
                    peer.proc.stdin.flush()
                say(client, "hello server")
                server.wait_for("^hello server")
                say(server, "K")
                server.wait_for("SSL_do_handshake -> 1")
                say(server, "hello client")
                client.wait_for("^hello client")
                say(client, "after the update")
                server.wait_for("^after the update")
                client.proc.stdin.close()
                rc = client.proc.wait(timeout=TIMEOUT)
                check(rc == 0, f"client exit {rc}:\n{client.text()}\nserver:\n{server.text()}")

    return [(f"openssl-s_server/{kind}-certificate", lambda k=kind: case(k))
            for kind in ("rsa", "ed25519")] + [("openssl-s_server/key-update", key_update_case)]


def start_gnutls_serv(env, priority, extra, kind="ec"):
    for _ in range(5):
        port = free_port()
        peer = Peer(["gnutls-serv", "--port", str(port), "--x509certfile", env.cert(kind),
                     "--x509keyfile", env.key(kind), "--priority", priority, *extra])
        try:
            peer.wait_for(r"listening on IPv4")
            return peer, port
        except CaseFailed:
            peer.stop()  # most likely the port was taken meanwhile: try another
    raise CaseFailed(f"gnutls-serv did not start:\n{peer.text()}")


def gnutls_priority(suites, groups):
    return ("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:" +
            ":".join("+" + GNUTLS_CIPHER[s] for s in suites) + ":-GROUP-ALL:" +
            ":".join("+" + GNUTLS_GROUP[g] for g in groups))


def client_vs_gnutls(env):
    def case(suite, group, hrr):
        priority = gnutls_priority([suite], [group])
        server, port = start_gnutls_serv(env, priority, ["--echo", "--alpn=h2"])
        with server:
            groups = ",".join(client_groups(group, hrr))
            data = b"ping from bastion\n" * 100
            rc, out, err = env.bastion_client(port, "--ciphers", suite, "--groups", groups,
                                              "--alpn", "http/1.1,h2", "--pipe",
                                              stdin_data=data)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check_client_summary(err, suite, group, hrr, "h2")
            check(out.encode() == data, f"echo differs: {len(out)} bytes back for {len(data)}")
    return [(case_name("gnutls-serv", *m), lambda m=m: case(*m)) for m in tls13_matrix()]


class PythonServer(OneShotTlsServer):
    """Answers a line with what it negotiated and the line reversed, then closes with
    close_notify (or, with close_notify=False, with a bare TCP FIN)."""

    def __init__(self, env, curve=None, alpn=("h2", "http/1.1"), kind="ec", close_notify=True):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(env.cert(kind), env.key(kind))
        if curve:
            ctx.set_ecdh_curve(curve)  # OpenSSL 3: also the only TLS 1.3 group
        if alpn:
            ctx.set_alpn_protocols(list(alpn))
        self.sni = None
        ctx.sni_callback = lambda sock, name, _ctx: setattr(self, "sni", name)
        self.close_notify = close_notify
        super().__init__(ctx)

    def respond(self, tls, raw, line):
        reply = (f"python: {tls.version()} {tls.cipher()[0]} sni={self.sni} "
                 f"alpn={tls.selected_alpn_protocol()}\n").encode() + line[::-1]
        tls.sendall(reply)
        if self.close_notify:
            tls.unwrap()
        else:
            end_without_close_notify(tls)


def client_vs_python(env):
    def case(suite, group, hrr):
        # Python (3.11) cannot choose TLS 1.3 groups except through set_ecdh_curve, which takes
        # no x25519: the x25519 server case offers every group instead.
        server = PythonServer(env, curve=PYTHON_CURVE.get(group))
        groups = ",".join(client_groups(group, hrr))
        rc, out, err = env.bastion_client(server.port, "--ciphers", suite, "--groups", groups,
                                          "--alpn", "http/1.1,h2", "--pipe",
                                          stdin_data=b"hello python\n")
        error = server.finish()
        check(rc == 0, f"exit {rc}\n{err}\npython server: {error}")
        check(error is None, f"python server: {error}")
        check_client_summary(err, suite, group, hrr, "h2")
        check(f"python: TLSv1.3 {suite} sni=localhost alpn=h2\n" in out, f"reply: {out!r}")
        check("\nnohtyp olleh" in out, f"reply: {out!r}")
    cases = []
    for suite, group, hrr in tls13_matrix():
        if hrr and group == "x25519":
            continue  # needs a server restricted to x25519, which Python cannot be
        cases.append((case_name("python-ssl-server", suite, group, hrr),
                      lambda m=(suite, group, hrr): case(*m)))
    return cases


# ---------------------------------------------------------------------------------------------
# Other clients against bastion server


def server_args(suite, group, alpn=("http/1.1",)):
    args = ["--ciphers", suite, "--groups", group]
    if alpn:
        args += ["--alpn", ",".join(alpn)]
    return args


def openssl_vs_server(env):
    def case(suite, group, hrr):
        server, port = env.bastion_server(*server_args(suite, group, ("h2", "http/1.1")))
        with server:
            groups = ":".join(OPENSSL_GROUP[g] for g in client_groups(group, hrr))
            rc, out, err = run_client(
                ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                 "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost",
                 "-tls1_3", "-ciphersuites", suite, "-groups", groups, "-alpn", "http/1.1",
                 "-ign_eof"], HTTP_GET)
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check("Verify return code: 0 (ok)" in out, f"s_client:\n{out}")
            check(re.search(r"^HTTP/1\.1 200 OK", out, re.M), f"s_client:\n{out}")
            check_server_status(out, suite, group, hrr, "http/1.1")
            check_line(out, "closed", "s_client (close_notify received)")
    return [(case_name("openssl-s_client", *m), lambda m=m: case(*m)) for m in tls13_matrix()]


def openssl_vs_server_keys(env):
    def case(kind, key, signature):
        server, port = env.bastion_server(cert=kind, key=key)
        with server:
            rc, out, err = run_client(
                ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                 "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost",
                 "-tls1_3", "-ign_eof"], HTTP_GET)
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check("Verify return code: 0 (ok)" in out, f"s_client:\n{out}\n{err}")
            check(f"CN = bastion-test-{kind}" in out, f"s_client:\n{out}")
            check(f"Peer signature type: {signature}" in out, f"s_client:\n{out}")
            check_line(out, "sni: localhost", "status page")
    def key_update_case():
        # s_client sends a KeyUpdate asking for one back when it reads "K" on a line.
        server, port = env.bastion_server("--echo")
        with server:
            cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername",
                   "localhost", "-CAfile", env.ca, "-verify_return_error", "-tls1_3"]
            with Peer(cmd, stdin=subprocess.PIPE) as client:
                for line, expect in (("before", "^before"), ("K", "KEYUPDATE"),
                                     ("after", "^after")):
                    client.proc.stdin.write(line + "\n")
                    client.proc.stdin.flush()
                    client.wait_for(expect)
                client.proc.stdin.close()
                check(client.proc.wait(timeout=TIMEOUT) == 0, f"s_client:\n{client.text()}")

    p8 = os.path.join(env.tmp, "leaf-ec.p8")
    return [("openssl-s_client/key-update", key_update_case),("openssl-s_client/rsa-certificate", lambda: case("rsa", None, "RSA-PSS")),
            ("openssl-s_client/ed25519-certificate", lambda: case("ed25519", None, "ed25519")),
            ("openssl-s_client/ec-pkcs8-key", lambda: case("ec", p8, "ECDSA"))]


# GnuTLS sends a key share for its first group and for the first group of another kind
# (x25519 vs NIST curves), so its decoy must be of the same kind; x25519 has no partner.
GNUTLS_HRR_DECOY = {"secp256r1": "secp384r1", "secp384r1": "secp256r1"}


def gnutls_vs_server(env):
    def case(suite, group, hrr):
        server, port = env.bastion_server(*server_args(suite, group))
        with server:
            groups = [GNUTLS_HRR_DECOY[group], group] if hrr else [group]
            priority = gnutls_priority([suite], groups)
            rc, out, err = run_client(
                ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca,
                 "--sni-hostname", "localhost", "--verify-hostname", "localhost",
                 "--priority", priority, "--alpn", "http/1.1", "127.0.0.1"],
                HTTP_GET, keep_stdin_open=True)
            check(rc == 0, f"gnutls-cli exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check(re.search(r"^HTTP/1\.1 200 OK", out, re.M), f"gnutls-cli:\n{out}\n{err}")
            check_server_status(out, suite, group, hrr, "http/1.1")
            check("- Peer has closed the GnuTLS connection" in out + err, f"gnutls-cli:\n{err}")
    return [(case_name("gnutls-cli", *m), lambda m=m: case(*m)) for m in tls13_matrix()
            if not (m[2] and m[1] == "x25519")]


def gnutls_vs_server_ed25519(env):
    def case():
        server, port = env.bastion_server(cert="ed25519")
        with server:
            rc, out, err = run_client(
                ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca,
                 "--verify-hostname", "localhost", "--sni-hostname", "localhost", "127.0.0.1"],
                HTTP_GET, keep_stdin_open=True)
            check(rc == 0 and "sni: localhost" in out, f"gnutls-cli:\n{out}\n{err}")
            check("EdDSA-Ed25519" in out + err, f"gnutls-cli:\n{out}\n{err}")
    return [("gnutls-cli/ed25519-certificate", case)]


def python_client(env, port, curve=None, alpn=("http/1.1",), data=HTTP_GET):
    ctx = ssl.create_default_context(cafile=env.ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if curve:
        ctx.set_ecdh_curve(curve)
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        # Without suppress_ragged_eofs, an end without close_notify raises SSLEOFError.
        with ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as tls:
            info = (tls.version(), tls.cipher()[0], tls.selected_alpn_protocol())
            tls.sendall(data)
            received = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    break  # close_notify: a close without it raises SSLEOFError
                received += chunk
            return info, received


def python_echo(env, port, data, chunk=65536):
    """Sends data in pieces, reading each one back, then closes with close_notify and waits
    for the server's."""
    ctx = ssl.create_default_context(cafile=env.ca)
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        # Without suppress_ragged_eofs, an end without close_notify raises SSLEOFError.
        with ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as tls:
            back = b""
            for i in range(0, len(data), chunk):
                piece = data[i:i + chunk]
                tls.sendall(piece)
                got = b""
                while len(got) < len(piece):
                    more = tls.recv(len(piece) - len(got))
                    check(more, "server closed before echoing everything")
                    got += more
                back += got
            tls.unwrap()
            return back


def python_vs_server(env):
    def case(suite, group, hrr):
        # Python offers x25519 first; a server without x25519 makes it retry. A client limited
        # to one NIST curve sends that share at once. (x25519 with a retry is not possible.)
        server, port = env.bastion_server(*server_args(suite, group))
        with server:
            curve = None if hrr or group == "x25519" else PYTHON_CURVE[group]
            info, body = python_client(env, port, curve=curve)
            check(info == ("TLSv1.3", suite, "http/1.1"), f"python saw {info}")
            check_server_status(body.decode(), suite, group, hrr, "http/1.1")

    def echo_case():
        server, port = env.bastion_server("--echo")
        with server:
            data = os.urandom(1 << 20)
            back = python_echo(env, port, data)
            check(back == data, f"echoed {len(back)} bytes of {len(data)}, equal={back == data}")

    def concurrent_case():
        server, port = env.bastion_server("--echo")
        with server:
            results, threads = {}, []
            for i in range(16):
                def one(i=i):
                    try:
                        results[i] = python_echo(env, port, b"client %d\n" % i)
                    except Exception as e:
                        results[i] = e
                threads.append(threading.Thread(target=one))
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=TIMEOUT)
            for i in range(16):
                check(results.get(i) == b"client %d\n" % i, f"client {i}: {results.get(i)!r}")

    cases = []
    for suite, group, hrr in tls13_matrix():
        if hrr and group == "x25519":
            continue
        cases.append((case_name("python-ssl-client", suite, group, hrr),
                      lambda m=(suite, group, hrr): case(*m)))
    cases.append(("python-ssl-client/echo-1MiB", echo_case))
    cases.append(("python-ssl-client/16-concurrent", concurrent_case))
    return cases


def curl_vs_server(env):
    def case(suite, group, hrr):
        server, port = env.bastion_server(*server_args(suite, group))
        with server:
            curves = ":".join(OPENSSL_GROUP[g] for g in client_groups(group, hrr))
            rc, out, err = run_client(
                ["curl", "-sS", "--max-time", str(TIMEOUT), "--cacert", env.ca, "--resolve",
                 f"localhost:{port}:127.0.0.1", "--tlsv1.3", "--tls13-ciphers", suite,
                 "--curves", curves, "--http1.1", f"https://localhost:{port}/"])
            check(rc == 0, f"curl exit {rc}: {err}\nserver:\n{server.text()}")
            check_server_status(out, suite, group, hrr, "http/1.1")

    cases = [(case_name("curl", *m), lambda m=m: case(*m)) for m in tls13_matrix()]
    return cases


# ---------------------------------------------------------------------------------------------
# Failures, signals, addresses


def single_error_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].startswith("error: "), f"expected one error line:\n{err}")
    return lines[0]


def negative(env):
    def wrong_ca():
        server, port = env.bastion_server()
        with server:
            rc, out, err = run_client([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                                       "localhost", "--cafile", env.other_ca])
            check(rc == 1, f"exit {rc}\n{out}{err}")
            line = single_error_line(err)
            check("unknown_issuer" in line, line)

    def wrong_name():
        server, port = env.bastion_server()
        with server:
            rc, out, err = env.bastion_client(port, "--servername", "example.com")
            # --servername appears twice; the last wins.
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("certificate_name_mismatch" in single_error_line(err), err)

    def insecure_reports():
        server, port = env.bastion_server()
        with server:
            rc, out, err = run_client([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                                       "localhost", "--cafile", env.other_ca, "--insecure"])
            check(rc == 0, f"exit {rc}\n{err}")
            check(re.search(r"^verified: no \(unknown_issuer", out, re.M), out)

    def tls12_only():
        # A client that takes TLS 1.3 only refuses a TLS 1.2 server.
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_2", "-www",
               "-cert", env.cert("ec"), "-key", env.key("ec")]
        with Peer(cmd) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = env.bastion_client(port, "--min-version", "1.3")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("protocol_version" in single_error_line(err), err)

    def alpn_mismatch_bastion():
        server, port = env.bastion_server("--alpn", "h2")
        with server:
            rc, out, err = env.bastion_client(port, "--alpn", "http/1.1")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("no_application_protocol" in single_error_line(err), err)

    def alpn_mismatch_gnutls():
        server, port = start_gnutls_serv(env, "NORMAL", ["--echo", "--alpn=h2", "--alpn-fatal"])
        with server:
            rc, out, err = env.bastion_client(port, "--alpn", "http/1.1")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("no_application_protocol" in single_error_line(err), err)

    def truncated():
        server = PythonServer(env, close_notify=False)
        rc, out, err = env.bastion_client(server.port, "--pipe", stdin_data=b"hi\n")
        server.finish()
        check(rc == 1, f"exit {rc}\n{out}{err}")
        check("truncated" in err.splitlines()[-1], err)

    def refused():
        rc, out, err = env.bastion_client(free_port())
        check(rc == 1 and "io_error" in single_error_line(err), err)

    def bad_usage():
        rc, out, err = run_client([env.bastion, "client", "localhost", "--groups", "x9999"])
        check(rc == 2 and "unknown group 'x9999'" in err, f"exit {rc}\n{err}")

    return [("negative/wrong-cafile", wrong_ca), ("negative/wrong-servername", wrong_name),
            ("negative/insecure-still-reports", insecure_reports),
            ("negative/tls12-only-server", tls12_only),
            ("negative/alpn-mismatch-bastion-server", alpn_mismatch_bastion),
            ("negative/alpn-mismatch-gnutls-serv", alpn_mismatch_gnutls),
            ("negative/truncated", truncated), ("negative/connection-refused", refused),
            ("negative/bad-usage", bad_usage)]


def lifecycle(env):
    def ctrl_c():
        server, port = env.bastion_server("--echo")
        with server:
            # An idle client keeps a connection open; stopping must not wait for it.
            raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            time.sleep(0.1)
            server.proc.send_signal(signal.SIGINT)
            try:
                rc = server.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                raise CaseFailed("bastion server ignored SIGINT")
            raw.close()
            check(rc == 0, f"exit {rc} after SIGINT:\n{server.text()}")

    def sigterm():
        server, port = env.bastion_server()
        with server:
            server.proc.send_signal(signal.SIGTERM)
            check(server.proc.wait(timeout=5) == 0, f"after SIGTERM:\n{server.text()}")

    def ipv6():
        try:
            socket.create_server(("::1", 0), family=socket.AF_INET6).close()
        except OSError:
            print("  (no IPv6 loopback: skipped)")
            return
        peer = Peer([env.bastion, "server", "--cert", env.cert("ec"), "--key", env.key("ec"),
                     "--listen", "[::1]:0"], ours=True)
        with peer:
            port = int(peer.wait_for(r"^listening on \[::1\]:(\d+)").group(1))
            rc, out, err = run_client([env.bastion, "client", f"[::1]:{port}", "--servername",
                                       "localhost", "--cafile", env.ca])
            check(rc == 0, f"exit {rc}\n{err}")
            check_line(out, "verified: yes", "client")
            rc, out, err = run_client([env.bastion, "client", f"[::1]:{port}", "--cafile", env.ca])
            check(rc == 0, f"IP-literal name: exit {rc}\n{err}")

    def version_help():
        rc, out, _ = run_client([env.bastion, "version"])
        check(rc == 0 and out.startswith("bastion "), out)
        rc, out, _ = run_client([env.bastion, "--help"])
        check(rc == 0 and "client HOST[:PORT]" in out, out)

    def keylog():
        server, port = env.bastion_server()
        with server:
            path = os.path.join(env.tmp, "keys.log")
            proc = subprocess.run([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                                   "localhost", "--cafile", env.ca], capture_output=True,
                                  timeout=TIMEOUT, env={**os.environ, "SSLKEYLOGFILE": path})
            check(proc.returncode == 0, proc.stderr.decode())
            with open(path) as f:
                log = f.read()
            for label in ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                          "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"):
                check(re.search(f"^{label} [0-9a-f]{{64}} [0-9a-f]{{64}}$", log, re.M),
                      f"{label} in key log:\n{log}")

    def bastion_both_sides():
        server, port = env.bastion_server("--echo", "--alpn", "h2,http/1.1")
        with server:
            data = b"both sides are bastion\n" * 1000
            rc, out, err = env.bastion_client(port, "--alpn", "http/1.1", "--pipe",
                                              stdin_data=data)
            check(rc == 0, f"exit {rc}\n{err}")
            check_client_summary(err, "TLS_AES_128_GCM_SHA256", "x25519", False, "http/1.1")
            check(out.encode() == data, f"echo: {len(out)} of {len(data)} bytes")

    def ip_literal():
        # An IP address is checked against the certificate's IP addresses and sent as no SNI.
        server, port = env.bastion_server()
        with server:
            rc, out, err = run_client([env.bastion, "client", f"127.0.0.1:{port}", "--cafile",
                                       env.ca, "--pipe"], HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}")
            check_line(err, "verified: yes", "client summary")
            check_line(out, "sni: none", "status page")

    return [("lifecycle/ip-literal-no-sni", ip_literal), ("lifecycle/sigint", ctrl_c), ("lifecycle/sigterm", sigterm), ("lifecycle/ipv6", ipv6),
            ("lifecycle/version-help", version_help), ("lifecycle/sslkeylogfile", keylog),
            ("lifecycle/bastion-client-server", bastion_both_sides)]


def examples(env):
    def example_client():
        cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
               "-cert", env.cert("ec"), "-key", env.key("ec")]
        with Peer(cmd) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            # 127.0.0.1 is in the certificate's IP addresses.
            rc, out, err = run_client([os.path.join(env.bindir, "examples", "example_client"),
                                       "127.0.0.1", str(port), env.ca])
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check(out.startswith("HTTP/1.0 200 ok") and "TLSv1.3" in out, out)

    def example_server():
        peer = Peer([os.path.join(env.bindir, "examples", "example_server"), env.cert("ec"),
                     env.key("ec"), "0"], ours=True)
        with peer:
            port = int(peer.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
            back = python_echo(env, port, b"hello example\n")
            check(back == b"hello example\n", f"echo: {back!r}")

    return [("examples/client-vs-openssl", example_client),
            ("examples/server-vs-python", example_server)]


SUITES = {
    "client-openssl": (["openssl"], lambda env: client_vs_openssl(env) + client_vs_openssl_keys(env)),
    "client-gnutls": (["gnutls-serv"], client_vs_gnutls),
    "client-python": ([], client_vs_python),
    "server-openssl": (["openssl"], lambda env: openssl_vs_server(env) + openssl_vs_server_keys(env)),
    "server-gnutls": (["gnutls-cli"], lambda env: gnutls_vs_server(env) + gnutls_vs_server_ed25519(env)),
    "server-python": ([], python_vs_server),
    "server-curl": (["curl"], curl_vs_server),
    "negative": (["gnutls-serv"], negative),
    "lifecycle": ([], lifecycle),
    "examples": ([], examples),
    "asio": (["openssl"], asio_suite),
    "pki": (["openssl"], pki_suite),
    "cli-client": (["openssl"], cli_client_suite),
    "cli-verify": (["openssl"], cli_verify_suite),
    "http-server": (["curl"], http_server_suite),
    "algorithms": (["openssl", "gnutls-cli"], algorithms_suite),
    "resumption": (["openssl", "gnutls-serv"], resumption_suite),
    "tls12": (["openssl", "gnutls-serv", "gnutls-cli", "curl"], tls12_suite),
    "capi-python": (["openssl"], capi_python_suite),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="build directory holding ./bastion")
    parser.add_argument("suite", choices=sorted(SUITES) + ["all"])
    parser.add_argument("--case", default="", help="run only cases whose name contains this")
    args = parser.parse_args()

    names = sorted(SUITES) if args.suite == "all" else [args.suite]
    needed = {"openssl"} | {tool for n in names for tool in SUITES[n][0]}
    missing = [tool for tool in sorted(needed) if shutil.which(tool) is None]
    if missing:
        print(f"skipped: {', '.join(missing)} not installed")
        return 77

    failures, count = [], 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bastion-interop-") as tmp:
        make_pki(tmp)
        env = Env(os.path.abspath(args.bin), tmp)
        for name in names:
            for case, fn in SUITES[name][1](env):
                if args.case not in case:
                    continue
                count += 1
                t0 = time.monotonic()
                try:
                    fn()
                    print(f"ok   {case} ({time.monotonic() - t0:.2f}s)", flush=True)
                except (CaseFailed, subprocess.SubprocessError, OSError, ssl.SSLError) as e:
                    failures.append(case)
                    print(f"FAIL {case} ({time.monotonic() - t0:.2f}s): {e}", flush=True)
    print(f"{count - len(failures)}/{count} passed in {time.monotonic() - start:.1f}s")
    for case in failures:
        print(f"failed: {case}")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
