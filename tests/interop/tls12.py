"""TLS 1.2 against real peers, both roles: every suite with its certificate kind against openssl
s_client and s_server (asserting the extended master secret and secure renegotiation), gnutls
with TLS 1.3 disabled, Python ssl capped at TLS 1.2, curl --tls-max 1.2; mutual TLS; version
negotiation between ranges; TLS_FALLBACK_SCSV; renegotiation refused; the key log."""

import os
import re
import socket
import ssl
import subprocess
import tempfile
import time

from harness import TIMEOUT, Peer, check, check_line, run_client

HTTP_GET = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"

# IANA name, OpenSSL name, certificate kind, gnutls key-exchange and cipher names.
SUITES = [
    ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", "ec",
     "ECDHE-ECDSA", "AES-128-GCM"),
    ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", "ec",
     "ECDHE-ECDSA", "AES-256-GCM"),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", "ec",
     "ECDHE-ECDSA", "CHACHA20-POLY1305"),
    ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "rsa",
     "ECDHE-RSA", "AES-128-GCM"),
    ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "rsa",
     "ECDHE-RSA", "AES-256-GCM"),
    ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", "rsa",
     "ECDHE-RSA", "CHACHA20-POLY1305"),
]


def s_client(env, port, *extra, data=HTTP_GET):
    return run_client(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
         "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost", "-ign_eof",
         *extra], data)


def s_server(env, kind, *extra):
    return Peer(["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-cert", env.cert(kind),
                 "-key", env.key(kind), *extra])


def port_of(server):
    return int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))


def openssl_client(env, iana, name, kind):
    server, port = env.bastion_server("--ciphers", iana, cert=kind)
    with server:
        rc, out, err = s_client(env, port, "-tls1_2", "-cipher", name)
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check(f"New, TLSv1.2, Cipher is {name}" in out, f"s_client:\n{out}")
        check("Extended master secret: yes" in out, f"s_client:\n{out}")
        check("Secure Renegotiation IS supported" in out, f"s_client:\n{out}")
        check_line(out, "version: TLSv1.2", "status page")
        check_line(out, f"cipher: {iana}", "status page")
        check_line(out, "extended_master_secret: yes", "status page")


def openssl_server(env, iana, name, kind):
    with s_server(env, kind, "-tls1_2", "-cipher", name) as server:
        port = port_of(server)
        rc, out, err = env.bastion_client(port, "--ciphers", iana, "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_line(err, "version: TLSv1.2", "bastion client summary")
        check_line(err, f"cipher: {iana}", "bastion client summary")
        check_line(err, "extended_master_secret: yes", "bastion client summary")
        check_line(err, "verified: yes", "bastion client summary")
        check(f"New, TLSv1.2, Cipher is {name}" in out, f"s_server page:\n{out}")


def gnutls_client(env, iana, kx, cipher, kind):
    server, port = env.bastion_server("--ciphers", iana, "--echo", cert=kind)
    with server:
        priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+{kx}:-CIPHER-ALL:+{cipher}"
        data = b"ping from gnutls over TLS 1.2\n" * 500
        rc, out, err = run_client(
            ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca, "--priority", priority,
             "localhost"], data)
        check(out.encode().count(b"ping from gnutls over TLS 1.2") == 500,
              f"gnutls-cli exit {rc}\n{err}\nserver:\n{server.text()}")
        description = re.search(r"Description: \(TLS1\.2.*", out + err)
        check(description and cipher in description.group(0), f"gnutls-cli:\n{out}{err}")


def gnutls_server(env, iana, kx, cipher, kind):
    priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+{kx}:-CIPHER-ALL:+{cipher}"
    from interop import start_gnutls_serv
    server, port = start_gnutls_serv(env, priority, ["--echo"], kind=kind)
    with server:
        data = b"echo through gnutls-serv\n" * 100
        rc, out, err = env.bastion_client(port, "--pipe", stdin_data=data)
        check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
        check_line(err, "version: TLSv1.2", "bastion client summary")
        check_line(err, f"cipher: {iana}", "bastion client summary")
        check(out.encode().count(b"echo through gnutls-serv") == 100, f"echo:\n{out[:200]}")


def python_client(env, port):
    ctx = ssl.create_default_context(cafile=env.ca)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as tls:
            info = (tls.version(), tls.cipher()[0])
            tls.sendall(HTTP_GET)
            received = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                received += chunk
            return info, received.decode()


def python_vs_server(env, kind):
    server, port = env.bastion_server(cert=kind)
    with server:
        (version, cipher), page = python_client(env, port)
        check(version == "TLSv1.2", f"python negotiated {version}")
        check_line(page, "version: TLSv1.2", "status page")
        check_line(page, "extended_master_secret: yes", "status page")


def curl_vs_server(env):
    server, port = env.bastion_server()
    with server:
        rc, out, err = run_client(
            ["curl", "-sS", "--cacert", env.ca, "--tls-max", "1.2", "--tlsv1.2",
             "--resolve", f"localhost:{port}:127.0.0.1", f"https://localhost:{port}/"])
        check(rc == 0, f"curl exit {rc}\n{err}\nserver:\n{server.text()}")
        check_line(out, "version: TLSv1.2", "status page")


def mutual_openssl_client(env):
    from algorithms import client_certificate
    server, port = env.bastion_server("--client-ca", env.ca, "--require-client-cert")
    with server:
        rc, out, err = s_client(env, port, "-tls1_2", "-cert", client_certificate(env, "ec"),
                                "-key", env.key("ec"))
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check_line(out, "version: TLSv1.2", "status page")
        check_line(out, "client_verified: yes", "status page")
        check("CN=bastion-client-ec" in out, f"status page:\n{out}")


def mutual_openssl_server(env, kind):
    from algorithms import client_certificate
    with s_server(env, "ec", "-tls1_2", "-Verify", "1", "-CAfile", env.ca) as server:
        port = port_of(server)
        rc, out, err = env.bastion_client(port, "--cert", client_certificate(env, kind), "--key",
                                          env.key(kind), "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_line(err, "version: TLSv1.2", "bastion client summary")
        check(f"CN = bastion-client-{kind}" in server.text() or
              f"CN=bastion-client-{kind}" in server.text() or "New, TLSv1.2" in out,
              f"s_server:\n{server.text()}\n{out}")


def required_client_certificate_missing(env):
    server, port = env.bastion_server("--client-ca", env.ca, "--require-client-cert")
    with server:
        rc, out, err = s_client(env, port, "-tls1_2")
        check(rc != 0 and "handshake failure" in (out + err), f"s_client exit {rc}\n{out}\n{err}")


def versions(env):
    cases = []

    def capped_server():
        # s_client offers 1.3 and 1.2; a server capped at 1.2 picks 1.2.
        server, port = env.bastion_server("--max-version", "1.2")
        with server:
            rc, out, err = s_client(env, port)
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}")
            check("Protocol  : TLSv1.2" in out, f"s_client:\n{out}")

    def capped_client():
        with s_server(env, "ec") as server:
            port = port_of(server)
            rc, out, err = env.bastion_client(port, "--max-version", "1.2", "--pipe",
                                              stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}")
            check_line(err, "version: TLSv1.2", "bastion client summary")

    def both_sides_prefer_tls13():
        with s_server(env, "ec") as server:
            port = port_of(server)
            rc, out, err = env.bastion_client(port, "--pipe", stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}")
            check_line(err, "version: TLSv1.3", "bastion client summary")

    def tls13_only_client_refuses():
        with s_server(env, "ec", "-tls1_2") as server:
            port = port_of(server)
            rc, out, err = env.bastion_client(port, "--min-version", "1.3")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("protocol_version" in err, err)

    def tls13_only_server_refuses():
        server, port = env.bastion_server("--min-version", "1.3")
        with server:
            rc, out, err = s_client(env, port, "-tls1_2")
            check(rc != 0 and "protocol version" in (out + err), f"s_client exit {rc}\n{out}{err}")

    def fallback_scsv():
        # RFC 7507: a client signalling a fallback to 1.2 to a server that has 1.3.
        server, port = env.bastion_server()
        with server:
            rc, out, err = s_client(env, port, "-tls1_2", "-fallback_scsv")
            check(rc != 0 and "inappropriate fallback" in (out + err),
                  f"s_client exit {rc}\n{out}{err}")

    for name, fn in [("capped-server", capped_server), ("capped-client", capped_client),
                     ("both-prefer-tls13", both_sides_prefer_tls13),
                     ("tls13-only-client-refuses-tls12", tls13_only_client_refuses),
                     ("tls13-only-server-refuses-tls12", tls13_only_server_refuses),
                     ("fallback-scsv", fallback_scsv)]:
        cases.append((f"tls12/versions/{name}", fn))
    return cases


def renegotiation_refused(env):
    # s_client's "R" asks for a renegotiation; Bastion answers no_renegotiation and stays up.
    server, port = env.bastion_server("--echo")
    with server:
        proc = subprocess.Popen(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_2", "-CAfile", env.ca,
             "-servername", "localhost"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        try:
            # s_client reads its stdin line by line and quits at its end: give each line time
            # to be acted on before the next.
            for line in (b"before\n", b"R\n"):
                proc.stdin.write(line)
                proc.stdin.flush()
                time.sleep(0.5)
            out, _ = proc.communicate(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
        text = out.decode(errors="replace")
        check("RENEGOTIATING" in text and "no renegotiation" in text, f"s_client:\n{text}")
        check("before" in text.split("RENEGOTIATING")[0], f"echo before renegotiation:\n{text}")
        # The server is still serving.
        rc, out2, err2 = env.bastion_client(port, "--max-version", "1.2", "--pipe",
                                            stdin_data=b"still here\n")
        check(rc == 0 and out2 == "still here\n", f"exit {rc}\n{out2}{err2}")


def key_log(env):
    server, port = env.bastion_server()
    with server:
        path = os.path.join(env.tmp, "keys12.log")
        proc = subprocess.run([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                               "localhost", "--cafile", env.ca, "--max-version", "1.2"],
                              capture_output=True, timeout=TIMEOUT,
                              env={**os.environ, "SSLKEYLOGFILE": path})
        check(proc.returncode == 0, proc.stderr.decode())
        with open(path) as f:
            log = f.read()
        check(re.search(r"^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$", log, re.M),
              f"CLIENT_RANDOM in key log:\n{log}")


RSA_SUITES = [("TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"),
              ("TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384")]


def rsa_refused_unless_named(env):
    server, port = env.bastion_server(cert="rsa")
    with server:
        rc, out, err = s_client(env, port, "-tls1_2", "-cipher", "AES128-GCM-SHA256")
        check(rc != 0 and "handshake failure" in (out + err), f"s_client exit {rc}\n{out}{err}")


def exporter_matches_openssl(env, version):
    # RFC 5705 / RFC 8446 §7.5: the same keying material on both sides.
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", env.cert("ec"), "-key",
           env.key("ec"), "-keymatexport", "EXPERIMENTAL-bastion", "-keymatexportlen", "32"]
    with Peer(cmd, stdin=subprocess.PIPE) as server:
        port = port_of(server)
        rc, out, err = env.bastion_client(port, "--max-version", version, "--export",
                                          "EXPERIMENTAL-bastion:32", "--pipe",
                                          stdin_data=b"hello\n")
        check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
        ours = re.search(r"^exporter: ([0-9A-F]{64})$", err, re.M)
        check(ours, f"bastion client summary:\n{err}")
        theirs = server.wait_for(r"Keying material: ([0-9A-F]+)").group(1)
        check(ours.group(1) == theirs, f"bastion {ours.group(1)} != openssl {theirs}")


def openssl_client_resumes(env, no_ticket):
    # s_client -sess_out/-sess_in: by ticket (RFC 5077), or with -no_ticket by session ID.
    server, port = env.bastion_server()
    extra = ("-no_ticket",) if no_ticket else ()
    with server, tempfile.TemporaryDirectory() as d:
        sess = os.path.join(d, "session.pem")
        rc, out, err = s_client(env, port, "-tls1_2", "-sess_out", sess, *extra)
        check(rc == 0 and "New, TLSv1.2" in out, f"first s_client exit {rc}\n{out}\n{err}")
        check_line(out, "resumed: no", "status page, first connection")
        rc, out, err = s_client(env, port, "-tls1_2", "-sess_in", sess, *extra)
        check(rc == 0, f"second s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check("Reused, TLSv1.2" in out, f"s_client did not resume:\n{out}")
        check_line(out, "resumed: yes", "status page, second connection")
        check_line(out, f"resumed_by: {'session_id' if no_ticket else 'ticket'}", "status page")
        check("Extended master secret: yes" in out, f"s_client:\n{out}")


def bastion_client_resumes(env, no_ticket):
    extra = ["-no_ticket"] if no_ticket else []
    with s_server(env, "ec", "-tls1_2", *extra) as server:
        port = port_of(server)
        rc, out, err = env.bastion_client(port, "--reconnect", "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        parts = [p for p in re.split(r"(?m)^(?=version: )", err) if p.startswith("version:")]
        check(len(parts) == 2, f"expected two summaries:\n{err}")
        check_line(parts[0], "resumed: no", "first connection")
        check_line(parts[1], "resumed: yes", "second connection")
        check_line(parts[1], f"resumed_by: {'session_id' if no_ticket else 'ticket'}",
                   "second connection")
        check_line(parts[1], "verified: yes", "second connection")
        check("Reused, TLSv1.2" in out, f"s_server page:\n{out}")


def rsa_certificate_without_key_encipherment(env):
    # RFC 5246 §7.4.2: a key transport server's certificate must allow keyEncipherment.
    from harness import run
    p = lambda name: os.path.join(env.tmp, name)
    with open(p("sign-only.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run(["openssl", "req", "-new", "-key", env.key("rsa"), "-out", p("sign-only.csr"),
         "-subj", "/CN=bastion-sign-only"])
    run(["openssl", "x509", "-req", "-in", p("sign-only.csr"), "-CA", env.ca, "-CAkey",
         p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("sign-only.ext"),
         "-out", p("sign-only.pem")])
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-tls1_2", "-cert",
           p("sign-only.pem"), "-key", env.key("rsa"), "-cipher", "AES128-GCM-SHA256"]
    with Peer(cmd) as server:
        port = port_of(server)
        rc, out, err = env.bastion_client(port, "--ciphers", "TLS_RSA_WITH_AES_128_GCM_SHA256")
        check(rc == 1 and "bad_key_usage" in err, f"exit {rc}\n{out}{err}")


def tls12_suite(env):
    cases = [("tls12/rsa-key-transport/certificate-without-key-encipherment",
              lambda: rsa_certificate_without_key_encipherment(env))]
    for no_ticket in (False, True):
        how = "session-id" if no_ticket else "ticket"
        cases.append((f"tls12/resumption/openssl-s_client/{how}",
                      lambda n=no_ticket: openssl_client_resumes(env, n)))
        cases.append((f"tls12/resumption/openssl-s_server/{how}",
                      lambda n=no_ticket: bastion_client_resumes(env, n)))
    for version in ("1.2", "1.3"):
        cases.append((f"tls12/exporter/openssl-s_server/tls{version}",
                      lambda v=version: exporter_matches_openssl(env, v)))
    for iana, name in RSA_SUITES:
        cases.append((f"tls12/rsa-key-transport/openssl-s_client/{iana}",
                      lambda i=iana, n=name: openssl_client(env, i, n, "rsa")))
        cases.append((f"tls12/rsa-key-transport/openssl-s_server/{iana}",
                      lambda i=iana, n=name: openssl_server(env, i, n, "rsa")))
    cases.append(("tls12/rsa-key-transport/refused-unless-named",
                  lambda: rsa_refused_unless_named(env)))
    for iana, name, kind, kx, cipher in SUITES:
        cases.append((f"tls12/openssl-s_client/{iana}",
                      lambda i=iana, n=name, k=kind: openssl_client(env, i, n, k)))
        cases.append((f"tls12/openssl-s_server/{iana}",
                      lambda i=iana, n=name, k=kind: openssl_server(env, i, n, k)))
        cases.append((f"tls12/gnutls-cli/{iana}",
                      lambda i=iana, x=kx, c=cipher, k=kind: gnutls_client(env, i, x, c, k)))
        cases.append((f"tls12/gnutls-serv/{iana}",
                      lambda i=iana, x=kx, c=cipher, k=kind: gnutls_server(env, i, x, c, k)))
    cases.append(("tls12/openssl-s_client/ed25519",
                  lambda: openssl_client(env, SUITES[0][0], SUITES[0][1], "ed25519")))
    for kind in ("ec", "rsa", "ed25519"):
        cases.append((f"tls12/python-ssl/{kind}", lambda k=kind: python_vs_server(env, k)))
    cases.append(("tls12/curl", lambda: curl_vs_server(env)))
    cases.append(("tls12/mutual/openssl-s_client", lambda: mutual_openssl_client(env)))
    for kind in ("ec", "p521", "ed448"):
        cases.append((f"tls12/mutual/openssl-s_server/{kind}",
                      lambda k=kind: mutual_openssl_server(env, k)))
    cases.append(("tls12/mutual/required-and-missing",
                  lambda: required_client_certificate_missing(env)))
    cases.append(("tls12/renegotiation-refused", lambda: renegotiation_refused(env)))
    cases.append(("tls12/sslkeylogfile", lambda: key_log(env)))
    return cases + versions(env)
