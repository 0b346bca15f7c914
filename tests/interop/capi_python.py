"""The C API from Python: examples/python/https_get.py (ctypes over libbastion.so) against
openssl s_server -www and a Python server that ends without close_notify.

s_server -www answers with a page that names the protocol and cipher it negotiated, so each
case checks that the response came through the C API and that both sides agree on what was
negotiated."""

import os
import re
import sys

from harness import CaseFailed, Peer, TruncatingServer, check, run_client

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "examples", "python", "https_get.py")


def https_get(env, port, cafile):
    lib = os.path.join(env.bindir, "libbastion.so")
    if not os.path.exists(lib):
        raise CaseFailed(f"{lib} is not built")
    return run_client([sys.executable, EXAMPLE, "127.0.0.1", str(port), cafile, "--lib", lib])


def s_server(env, *args, kind="ec"):
    return Peer(["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-cert", env.cert(kind),
                 "-key", env.key(kind), *args])


def negotiated(err):
    """(version, cipher suite) from the example's "connected:" line."""
    m = re.search(r"^connected: (TLSv1\.[23]) (\S+) alpn=\S+ verified=yes certificates=1$", err,
                  re.M)
    check(m, f"no connected line in:\n{err}")
    return m.group(1), m.group(2)


def capi_python_suite(env):
    def tls13(kind):
        with s_server(env, "-tls1_3", kind=kind) as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = https_get(env, port, env.ca)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check(out.startswith("HTTP/1.0 200 ok"), f"response:\n{out}")
            version, suite = negotiated(err)
            check(version == "TLSv1.3", err)
            check(f"New, TLSv1.3, Cipher is {suite}" in out, f"s_server page:\n{out}")

    def tls12():
        with s_server(env, "-tls1_2") as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = https_get(env, port, env.ca)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            version, suite = negotiated(err)
            check((version, suite) == ("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), err)
            # OpenSSL names the suite its own way.
            check("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256" in out,
                  f"s_server page:\n{out}")

    def wrong_ca():
        with s_server(env, "-tls1_3") as server:
            port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
            rc, out, err = https_get(env, port, env.other_ca)
            check(rc == 1, f"exit {rc}\n{out}{err}")
            lines = [line for line in err.splitlines() if line.strip()]
            check(len(lines) == 1 and lines[0].startswith("error: unknown_issuer: "),
                  f"expected one unknown_issuer line:\n{err}")
            check(out == "", f"nothing on stdout:\n{out}")
            # The alert went out before the socket closed.
            server.wait_for(r"alert unknown ca")

    def truncated():
        server = TruncatingServer(env, b"HTTP/1.0 200 OK\r\n\r\npartial body")
        rc, out, err = https_get(env, server.port, env.ca)
        error = server.finish()
        check(error is None, f"server: {error}")
        check(rc == 1, f"exit {rc}\n{out}{err}")
        check(out.endswith("partial body"), f"response:\n{out}")
        check(err.splitlines()[-1].startswith("error: truncated: "), err)

    return [("capi-python/openssl-s_server/tls13-ec", lambda: tls13("ec")),
            ("capi-python/openssl-s_server/tls13-rsa", lambda: tls13("rsa")),
            ("capi-python/openssl-s_server/tls12", tls12),
            ("capi-python/negative/wrong-cafile", wrong_ca),
            ("capi-python/negative/truncated", truncated)]
