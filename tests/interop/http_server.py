"""bastion server as an HTTPS server, against curl and Python's ssl: the files of --www and what
it refuses to serve, ALPN, how its answers are framed into records, and its limits
(--handshake-timeout against clients that trickle, --max-connections with --idle-timeout)."""

import os
import socket
import ssl
import time

from harness import TIMEOUT, CaseFailed, check, check_line, run_client

HTTP_GET = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


def curl_get(env, port, path):
    rc, out, err = run_client(
        ["curl", "-sS", "--path-as-is", "--max-time", str(TIMEOUT), "--cacert", env.ca,
         "--resolve", f"localhost:{port}:127.0.0.1", "-w", "\n%{http_code}",
         f"https://localhost:{port}{path}"])
    check(rc == 0, f"curl {path}: exit {rc}: {err}")
    body, _, code = out.rpartition("\n")
    return int(code), body


def client_context(env, alpn=None):
    ctx = ssl.create_default_context(cafile=env.ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    return ctx


def exchange(env, port, alpn=None, data=HTTP_GET):
    """One request through Python's ssl; returns (negotiated ALPN, the whole answer). With no
    data, only the handshake."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with client_context(env, alpn).wrap_socket(raw, server_hostname="localhost") as tls:
            if data is None:
                return tls.selected_alpn_protocol(), b""
            tls.sendall(data)
            received = b""
            while chunk := tls.recv(65536):
                received += chunk
            return tls.selected_alpn_protocol(), received


def records_of_answer(env, port, request):
    """Sends `request` and reads the answer one TLS record at a time through a memory BIO, so
    that the records can be counted: returns the plaintext each application-data record held."""
    ctx = client_context(env)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        pending = b""

        def next_record():
            nonlocal pending
            while len(pending) < 5 or len(pending) < 5 + int.from_bytes(pending[3:5], "big"):
                chunk = raw.recv(65536)
                if not chunk:
                    return None
                pending += chunk
            size = 5 + int.from_bytes(pending[3:5], "big")
            record, pending = pending[:size], pending[size:]
            return record

        def flush():
            if data := outgoing.read():
                raw.sendall(data)

        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                flush()
                record = next_record()
                check(record is not None, "server closed during the handshake")
                incoming.write(record)
        flush()
        tls.write(request)
        flush()
        plaintexts = []
        while (record := next_record()) is not None:
            incoming.write(record)
            try:
                got = tls.read(1 << 20)
            except ssl.SSLWantReadError:
                continue  # a record without application data (a NewSessionTicket)
            except ssl.SSLZeroReturnError:
                break
            if got:
                plaintexts.append(got)
        return plaintexts


def www(env):
    root = os.path.join(env.tmp, "www")
    os.makedirs(os.path.join(root, "sub"), exist_ok=True)
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<h1>bastion</h1>\n")
    with open(os.path.join(root, "sub", "data.txt"), "w") as f:
        f.write("x" * 100000)
    for hidden in (".hidden", ".env", os.path.join(".git", "config"), os.path.join("sub", ".env")):
        with open(os.path.join(root, hidden), "w") as f:
            f.write("secret\n")
    with open(os.path.join(env.tmp, "secret.txt"), "w") as f:
        f.write("secret\n")
    if not os.path.lexists(os.path.join(root, "out")):
        os.symlink(os.path.join(env.tmp, "secret.txt"), os.path.join(root, "out"))
        os.symlink("sub/data.txt", os.path.join(root, "in.txt"))
        os.symlink(env.tmp, os.path.join(root, "outdir"))
        os.mkfifo(os.path.join(root, "fifo"))
    return root


def files_case(env):
    root = www(env)
    server, port = env.bastion_server("--www", root)
    with server:
        check(curl_get(env, port, "/") == (200, "<h1>bastion</h1>\n"), f"/ -> {curl_get(env, port, '/')}")
        check(curl_get(env, port, "/sub/data.txt") == (200, "x" * 100000), "/sub/data.txt")
        check(curl_get(env, port, "/in.txt") == (200, "x" * 100000), "a symlink inside the root")
        check(curl_get(env, port, "/missing")[0] == 404, "/missing")
        check(curl_get(env, port, "/../secret.txt")[0] == 400, "/../secret.txt")
        check(curl_get(env, port, "/sub/%2e%2e/%2e%2e/secret.txt")[0] == 400, "encoded ..")
        for path in ("/.hidden", "/.env", "/.git/config", "/.git/", "/sub/.env", "/%2eenv",
                     "/out", "/outdir/secret.txt", "/fifo"):
            code, body = curl_get(env, port, path)
            check(code == 404 and "secret" not in body, f"{path} -> {code} {body!r}")


def alpn_case(env):
    server, port = env.bastion_server()
    with server:
        alpn, answer = exchange(env, port, alpn=("h2", "http/1.1"))
        check(alpn == "http/1.1", f"HTTP mode negotiated {alpn!r}")
        check_line(answer.decode(), "alpn: http/1.1", "status page")
        alpn, answer = exchange(env, port)
        check(alpn is None, f"ALPN {alpn!r} without an offer")
        check_line(answer.decode(), "alpn: none", "status page")
    server, port = env.bastion_server("--echo")
    with server:
        alpn, _ = exchange(env, port, alpn=("http/1.1",), data=None)
        check(alpn is None, f"--echo negotiated {alpn!r}")
    server, port = env.bastion_server("--alpn", "h2")
    with server:
        alpn, _ = exchange(env, port, alpn=("h2", "http/1.1"))
        check(alpn == "h2", f"--alpn h2 negotiated {alpn!r}")


def records_case(env):
    root = www(env)
    server, port = env.bastion_server("--www", root)
    with server:
        answer = records_of_answer(env, port, b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
        check(len(answer) == 1, f"a short answer came in {len(answer)} records: {answer!r}")
        check(answer[0].startswith(b"HTTP/1.1 200 OK\r\n") and
              answer[0].endswith(b"\r\n\r\n<h1>bastion</h1>\n"), f"answer: {answer[0]!r}")
        answer = records_of_answer(env, port, b"GET /sub/data.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        total = sum(len(r) for r in answer)
        check(total > 100000 and len(answer) == -(-total // 16384),
              f"{total} bytes in {len(answer)} records: {[len(r) for r in answer]}")
    server, port = env.bastion_server()
    with server:
        answer = records_of_answer(env, port, HTTP_GET)
        check(len(answer) == 1 and b"version: TLSv1.3" in answer[0],
              f"status page in {len(answer)} records")


def wait_for_close(sock, trickle):
    """Sends `trickle` a byte every 0.2 s until the server closes; returns the seconds it took."""
    start = time.monotonic()
    sock.settimeout(0.2)
    for i in range(int(TIMEOUT / 0.2)):
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except socket.timeout:
            pass
        except ConnectionResetError:
            return time.monotonic() - start
        try:
            sock.sendall(trickle[i % len(trickle):i % len(trickle) + 1])
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - start
    raise CaseFailed("the server kept a trickling client")


def slow_handshake_case(env):
    server, port = env.bastion_server("--handshake-timeout", "1", "--idle-timeout", "30")
    with server:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
            raw.sendall(bytes([22, 3, 1, 0x40, 0]))  # a record header promising 16 KiB
            took = wait_for_close(raw, b"\x01")
            check(took < TIMEOUT, f"closed after {took:.1f}s")
        server.wait_for(r"timed_out: handshake not complete within 1000 ms")
        alpn, answer = exchange(env, port, alpn=("http/1.1",))
        check(b"200 OK" in answer, "a normal client is still served")


def slow_request_case(env):
    server, port = env.bastion_server("--handshake-timeout", "1", "--idle-timeout", "30")
    with server:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
            with client_context(env).wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"GET / HTTP/1.1\r\n")
                start = time.monotonic()
                tls.settimeout(0.2)
                closed = False
                while not closed and time.monotonic() - start < TIMEOUT:
                    try:
                        closed = tls.recv(4096) == b""
                    except socket.timeout:
                        tls.sendall(b"X")  # one header byte at a time, never a blank line
                    except (ssl.SSLError, OSError):
                        closed = True
                check(closed, "the server kept a client that trickles its request head")


def connection_limit_case(env):
    server, port = env.bastion_server("--max-connections", "1", "--idle-timeout", "1")
    with server:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
            with client_context(env).wrap_socket(raw, server_hostname="localhost") as holder:
                start = time.monotonic()
                # The only slot is taken; this client is served once the holder idles out.
                alpn, answer = exchange(env, port)
                check(b"200 OK" in answer, "second client served")
                check(time.monotonic() - start > 0.5, "the second client did not wait for the slot")
                check(holder.recv(1) == b"", "the idle holder was not closed")


def http_server_suite(env):
    return [
        ("http/www-files-and-refusals", lambda: files_case(env)),
        ("http/alpn", lambda: alpn_case(env)),
        ("http/records", lambda: records_case(env)),
        ("http/slow-handshake", lambda: slow_handshake_case(env)),
        ("http/slow-request-head", lambda: slow_request_case(env)),
        ("http/max-connections-idle-timeout", lambda: connection_limit_case(env)),
    ]
