"""The asio suite: the Asio adapter's examples (examples/asio_get.cpp and
examples/asio_echo_server.cpp, built when Asio is installed) against real peers: openssl
s_server, s_client and Python's ssl module."""

import os
import socket
import ssl
import subprocess
import threading

from harness import (TIMEOUT, CaseFailed, Peer, TruncatingServer, check, check_line,
                     run_client)


def asio_get(env):
    return os.path.join(env.bindir, "examples", "bastion-example-asio-get")


def start_echo_server(env):
    peer = Peer([os.path.join(env.bindir, "examples", "bastion-example-asio-echo-server"), "0",
                 env.cert("ec"), env.key("ec")], ours=True)
    try:
        port = int(peer.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
    except CaseFailed:
        peer.stop()
        raise
    return peer, port


def tls_client(env, port):
    """A Python TLS connection to localhost:port that reports an end without close_notify."""
    ctx = ssl.create_default_context(cafile=env.ca)
    raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    return ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)


def echo(env, port, data, chunk=256 * 1024):
    """Sends data in pieces, reading each back; then unwrap(): our close_notify, and the
    server's answer to it (a close without one raises SSLEOFError)."""
    with tls_client(env, port) as tls:
        version = tls.version()
        back = bytearray()
        for i in range(0, len(data), chunk):
            piece = data[i:i + chunk]
            tls.sendall(piece)
            got = bytearray()
            while len(got) < len(piece):
                more = tls.recv(len(piece) - len(got))
                check(more, f"the server closed after {len(back) + len(got)} bytes")
                got += more
            back += got
        tls.unwrap()
        return version, bytes(back)


def openssl_s_server(env, *args):
    return Peer(["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-cert", env.cert("ec"),
                 "-key", env.key("ec"), *args])


def get_vs_s_server(env, version):
    with openssl_s_server(env, f"-{version}") as server:
        port = server.wait_for(r"^ACCEPT .*:(\d+)").group(1)
        rc, out, err = run_client([asio_get(env), "localhost", port, env.ca])
        check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
        check(out.startswith("HTTP/1.0 200 ok\r\n"), f"response:\n{out}")
        name = {"tls1_3": "TLSv1.3", "tls1_2": "TLSv1.2"}[version]
        check(f"New, {name}, Cipher is" in out, f"s_server page:\n{out}")
        check(out.rstrip().endswith("</HTML>"), f"the page is cut short:\n{out}")


def get_wrong_ca(env):
    with openssl_s_server(env) as server:
        port = server.wait_for(r"^ACCEPT .*:(\d+)").group(1)
        rc, out, err = run_client([asio_get(env), "localhost", port, env.other_ca])
        check(rc == 1, f"exit {rc}\n{err}\n{out}")
        check(out == "", f"output with a refused certificate:\n{out}")
        check_line(err, f'error: handshake with localhost:{port}: unknown_issuer: no trusted or '
                   f'presented issuer for "CN=bastion-test-ec" (issuer "O=Bastion interop, '
                   f'CN=Bastion ca")', "asio-get stderr")


def get_truncated(env):
    server = TruncatingServer(env, b"HTTP/1.0 200 OK\r\n\r\nthe start of")
    rc, out, err = run_client([asio_get(env), "localhost", str(server.port), env.ca])
    error = server.finish()
    check(error is None, f"server: {error}")
    check(rc == 1, f"exit {rc}\n{err}\n{out}")
    check("the start of" in out, f"what came before the end is printed:\n{out}")
    check_line(err, "error: reading the response: truncated: the peer closed the connection "
               "without close_notify", "asio-get stderr")


def echo_large(env):
    server, port = start_echo_server(env)
    with server:
        data = os.urandom(8 << 20)
        version, back = echo(env, port, data)
        check(version == "TLSv1.3", f"version {version}")
        check(back == data, f"echoed {len(back)} bytes of {len(data)}, equal={back == data}")
        server.wait_for(r"^127\.0\.0\.1:\d+: closed$")


def echo_concurrent(env):
    server, port = start_echo_server(env)
    with server:
        payloads = [os.urandom(256 * 1024 + i) for i in range(16)]
        results = {}

        def one(i):
            try:
                results[i] = echo(env, port, payloads[i], chunk=64 * 1024)[1]
            except Exception as e:  # reported below
                results[i] = e
        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(payloads))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=4 * TIMEOUT)
        for i, data in enumerate(payloads):
            got = results.get(i)
            check(got == data, f"client {i}: "
                  f"{got if not isinstance(got, bytes) else f'{len(got)} bytes, not equal'}")
        for _ in payloads:
            server.wait_for(r"^127\.0\.0\.1:\d+: closed$")


def echo_truncated(env):
    """A client that goes without close_notify is reported truncated; the server serves on."""
    server, port = start_echo_server(env)
    with server:
        with tls_client(env, port) as tls:
            tls.sendall(b"bye without close_notify")
            check(tls.recv(100) == b"bye without close_notify", "no echo")
            tls.shutdown(socket.SHUT_RDWR)  # drops the TLS layer: no close_notify
        server.wait_for(r"^127\.0\.0\.1:\d+: error: truncated: the peer closed the connection "
                        r"without close_notify$")
        check(echo(env, port, b"still there")[1] == b"still there", "no echo afterwards")


def echo_vs_s_client(env, version):
    """openssl s_client: lines echoed, a KeyUpdate it asks to be answered ("K", TLS 1.3), and
    its close_notify at the end of its input answered by the server."""
    server, port = start_echo_server(env)
    with server:
        cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
               "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost",
               f"-{version}"]
        lines = [("first line", "^first line")]
        if version == "tls1_3":
            lines += [("K", "KEYUPDATE"), ("after the update", "^after the update")]
        lines += [("x" * 3000, "^" + "x" * 3000)]
        with Peer(cmd, stdin=subprocess.PIPE) as client:
            client.wait_for(r"Verify return code: 0 \(ok\)")
            for line, expect in lines:
                client.proc.stdin.write(line + "\n")
                client.proc.stdin.flush()
                client.wait_for(expect)
            client.proc.stdin.close()
            rc = client.proc.wait(timeout=TIMEOUT)
            check(rc == 0, f"s_client exit {rc}:\n{client.text()}")
        server.wait_for(r"^127\.0\.0\.1:\d+: closed$")


def asio_suite(env):
    return [
        ("asio/get-vs-openssl-s_server-tls13", lambda: get_vs_s_server(env, "tls1_3")),
        ("asio/get-vs-openssl-s_server-tls12", lambda: get_vs_s_server(env, "tls1_2")),
        ("asio/get-wrong-ca", lambda: get_wrong_ca(env)),
        ("asio/get-truncated", lambda: get_truncated(env)),
        ("asio/echo-8MiB-python", lambda: echo_large(env)),
        ("asio/echo-16-concurrent-python", lambda: echo_concurrent(env)),
        ("asio/echo-truncated-client", lambda: echo_truncated(env)),
        ("asio/echo-vs-openssl-s_client-tls13", lambda: echo_vs_s_client(env, "tls1_3")),
        ("asio/echo-vs-openssl-s_client-tls12", lambda: echo_vs_s_client(env, "tls1_2")),
    ]
