"""The resumption suite of interop.py: TLS 1.3 tickets and PSK handshakes (RFC 8446 §2.2,
§4.6.1) between Bastion and openssl s_client/s_server, gnutls-serv and Python ssl, in both
roles. Each case makes a first connection that receives tickets, then a second that offers one,
and asserts that both sides say the second was resumed."""

import os
import re
import socket
import ssl
import tempfile

from harness import TIMEOUT, Peer, check, check_line, run_client

HTTP_GET = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"


def summaries(err):
    """The bastion client's summaries, one per connection, in order."""
    return [part for part in re.split(r"(?m)^(?=version: )", err) if part.startswith("version:")]


def check_reconnect(err, out, where):
    parts = summaries(err)
    check(len(parts) == 2, f"{where}: expected two summaries:\n{err}\n{out}")
    check_line(parts[0], "resumed: no", f"{where}, first connection")
    check_line(parts[1], "resumed: yes", f"{where}, second connection")
    # The server authenticated in the first handshake; the second keeps that identity.
    check_line(parts[1], "verified: yes", f"{where}, second connection")
    check(re.search(r"^subject: .*CN=bastion-test-ec", parts[1], re.M), f"subject in:\n{parts[1]}")


def s_client(env, port, *extra):
    return run_client(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
         "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost", "-tls1_3",
         "-ign_eof", *extra], HTTP_GET)


def openssl_client_resumes(env, groups=None, hrr=False):
    args = ("--groups", "x25519") if hrr else ()
    server, port = env.bastion_server(*args)
    with server, tempfile.TemporaryDirectory() as d:
        sess = os.path.join(d, "session.pem")
        extra = ("-groups", groups) if groups else ()
        rc, out, err = s_client(env, port, "-sess_out", sess, *extra)
        check(rc == 0 and "New, TLSv1.3" in out, f"first s_client exit {rc}\n{out}\n{err}")
        check_line(out, "resumed: no", "status page, first connection")
        check(os.path.getsize(sess) > 0, "s_client saved no session")
        rc, out, err = s_client(env, port, "-sess_in", sess, *extra)
        check(rc == 0, f"second s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check("Reused, TLSv1.3" in out, f"s_client did not resume:\n{out}")
        check_line(out, "resumed: yes", "status page, second connection")
        check_line(out, f"hello_retry: {'yes' if hrr else 'no'}", "status page")
        check_line(out, "sni: localhost", "status page")


def bastion_client_vs_openssl(env):
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
           "-cert", env.cert("ec"), "-key", env.key("ec")]
    with Peer(cmd) as server:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
        rc, out, err = env.bastion_client(port, "--reconnect", "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_reconnect(err, out, "bastion client vs s_server")
        check("Reused, TLSv1.3" in out, f"s_server page:\n{out}")


def bastion_client_vs_gnutls(env):
    from interop import start_gnutls_serv  # the one helper shared with the main suites
    server, port = start_gnutls_serv(env, "NORMAL:-VERS-ALL:+VERS-TLS1.3", ["--echo"])
    with server:
        rc, out, err = env.bastion_client(port, "--reconnect", "--pipe", stdin_data=b"ping\n")
        check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
        check_reconnect(err, out, "bastion client vs gnutls-serv")
        check(out == "ping\n", f"echo: {out!r}")


def bastion_both_sides(env):
    server, port = env.bastion_server()
    with server:
        rc, out, err = env.bastion_client(port, "--reconnect", "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
        check_reconnect(err, out, "bastion client vs bastion server")
        check_line(out, "resumed: yes", "status page, second connection")


def python_client_resumes(env):
    server, port = env.bastion_server("--alpn", "http/1.1")
    with server:
        ctx = ssl.create_default_context(cafile=env.ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.set_alpn_protocols(["http/1.1"])

        def connect(session=None):
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
                with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
                    tls.sendall(HTTP_GET)
                    body = b""
                    while chunk := tls.recv(65536):
                        body += chunk
                    return tls.session, tls.session_reused, body.decode()

        session, reused, body = connect()
        check(not reused and session is not None, f"first connection: reused={reused}")
        check(session.has_ticket, "Python received no ticket")
        check_line(body, "resumed: no", "status page, first connection")
        _, reused, body = connect(session)
        check(reused, f"Python did not resume:\n{body}")
        check_line(body, "resumed: yes", "status page, second connection")
        check_line(body, "alpn: http/1.1", "status page, second connection")


def tickets_before_any_data(env):
    """A client that only wants a ticket, or waits for one before it writes: the tickets come
    right after the handshake, not after the client's first data."""
    server, port = env.bastion_server("--echo")
    with server, socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        ctx = ssl.create_default_context(cafile=env.ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
        handshaking = True
        while handshaking or not tls.session.has_ticket:
            try:
                if handshaking:
                    tls.do_handshake()
                    handshaking = False
                else:
                    tls.read(1)
            except ssl.SSLWantReadError:
                pass
            if data := outgoing.read():
                raw.sendall(data)
            if handshaking or not tls.session.has_ticket:
                chunk = raw.recv(65536)  # times out (and fails the case) without a ticket
                check(chunk, "the server closed before sending a ticket")
                incoming.write(chunk)


def server_without_tickets(env):
    server, port = env.bastion_server("--no-tickets")
    with server, tempfile.TemporaryDirectory() as d:
        sess = os.path.join(d, "session.pem")
        rc, out, err = s_client(env, port, "-sess_out", sess)
        check(rc == 0 and "New, TLSv1.3" in out, f"s_client exit {rc}\n{out}\n{err}")
        # s_client writes a TLS 1.3 session only once a NewSessionTicket arrived.
        check(not os.path.exists(sess), "s_client saved a session: the server sent a ticket")


def resumption_suite(env):
    return [
        ("openssl-s_client/sess_in", lambda: openssl_client_resumes(env)),
        # s_client shares P-256 first; the server wants x25519: both handshakes retry.
        ("openssl-s_client/sess_in/hrr",
         lambda: openssl_client_resumes(env, groups="P-256:X25519", hrr=True)),
        ("openssl-s_client/no-tickets", lambda: server_without_tickets(env)),
        ("python-ssl-client/tickets-before-any-data", lambda: tickets_before_any_data(env)),
        ("openssl-s_server/reconnect", lambda: bastion_client_vs_openssl(env)),
        ("gnutls-serv/reconnect", lambda: bastion_client_vs_gnutls(env)),
        ("python-ssl-client/session", lambda: python_client_resumes(env)),
        ("bastion/reconnect", lambda: bastion_both_sides(env)),
    ]
