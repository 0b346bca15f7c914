"""The PKI suite of interop.py: mutual TLS, chains with an intermediate, and certificates that
must be rejected (expired, wrong name, missing client certificate), against openssl s_server,
s_client and Python ssl. Each negative case asserts the alert the other side really saw."""

import os
import re
import socket
import ssl

from harness import (TIMEOUT, CaseFailed, OneShotTlsServer, Peer, check, check_line, run,
                     run_client)

HTTP_GET = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"

CLIENT_EXT = ("basicConstraints=critical,CA:FALSE\n"
              "keyUsage=critical,digitalSignature\n"
              "extendedKeyUsage=clientAuth\n"
              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
INTERMEDIATE_EXT = ("basicConstraints=critical,CA:TRUE,pathlen:0\n"
                    "keyUsage=critical,keyCertSign,cRLSign\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")

# openssl ca signs with any validity period (OpenSSL 3.0's x509 has no -not_before).
BACKDATING_CA_CONFIG = """[ca]
default_ca = backdating
[backdating]
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
default_md = sha256
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
"""


KEY_ALGORITHMS = {
    "ec": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "ed25519": ["-algorithm", "ed25519"],
}


def make_pki_extras(d):
    """Next to make_pki's files: client certificates from the CA (client.pem with a P-256 key,
    client-rsa.pem, client-ed25519.pem); a second hierarchy (root, intermediate, server and
    client leaves; the *-chain.pem files hold leaf + intermediate); an expired server and an
    expired client certificate from the CA."""
    p = lambda name: os.path.join(d, name)

    def key(name, kind="ec"):
        run(["openssl", "genpkey", *KEY_ALGORITHMS[kind], "-out", p(name + ".key")])

    def csr(name, subject, kind="ec"):
        key(name, kind)
        run(["openssl", "req", "-new", "-key", p(name + ".key"), "-out", p(name + ".csr"),
             "-subj", subject])

    def write_ext(name, ext_text):
        with open(p(name + ".ext"), "w") as f:
            f.write(ext_text)

    def sign(name, issuer, ext_text):
        write_ext(name, ext_text)
        run(["openssl", "x509", "-req", "-in", p(name + ".csr"), "-CA", p(issuer + ".pem"),
             "-CAkey", p(issuer + ".key"), "-CAcreateserial", "-days", "2",
             "-extfile", p(name + ".ext"), "-out", p(name + ".pem")])

    def concat(out, *names):
        with open(p(out), "w") as f:
            for name in names:
                with open(p(name)) as part:
                    f.write(part.read())

    with open(p("leaf.ext")) as f:
        server_ext = f.read()
    csr("client", "/CN=bastion-test-client")
    sign("client", "ca", CLIENT_EXT)
    for kind in ("rsa", "ed25519"):
        csr(f"client-{kind}", f"/CN=bastion-test-client-{kind}", kind)
        sign(f"client-{kind}", "ca", CLIENT_EXT)

    key("root")
    run(["openssl", "req", "-x509", "-new", "-key", p("root.key"), "-out", p("root.pem"),
         "-days", "2", "-subj", "/O=Bastion interop/CN=Bastion root",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    csr("intermediate", "/O=Bastion interop/CN=Bastion intermediate")
    sign("intermediate", "root", INTERMEDIATE_EXT)
    csr("chain-server", "/CN=bastion-test-chain-server")
    sign("chain-server", "intermediate", server_ext)
    csr("chain-client", "/CN=bastion-test-chain-client")
    sign("chain-client", "intermediate", CLIENT_EXT)
    concat("chain-server-chain.pem", "chain-server.pem", "intermediate.pem")
    concat("chain-client-chain.pem", "chain-client.pem", "intermediate.pem")

    backdating = p("backdating")
    os.makedirs(backdating)
    open(os.path.join(backdating, "index.txt"), "w").close()
    with open(os.path.join(backdating, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(backdating, "ca.cnf"), "w") as f:
        f.write(BACKDATING_CA_CONFIG.format(dir=backdating))
    for name, ext_text in (("expired", server_ext), ("expired-client", CLIENT_EXT)):
        csr(name, f"/CN=bastion-test-{name}")
        write_ext(name, ext_text)
        run(["openssl", "ca", "-batch", "-notext", "-config", os.path.join(backdating, "ca.cnf"),
             "-cert", p("ca.pem"), "-keyfile", p("ca.key"), "-in", p(name + ".csr"),
             "-out", p(name + ".pem"), "-extfile", p(name + ".ext"),
             "-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])


# ---------------------------------------------------------------------------------------------
# Helpers


def error_line(err):
    """The last line of a failed bastion command's stderr: `error: <reason>...`."""
    lines = [l for l in err.splitlines() if l.strip()]
    check(lines and lines[-1].startswith("error: "), f"expected an error line:\n{err}")
    return lines[-1]


def start_s_server(*args):
    """openssl s_server on a free port, TLS 1.3, serving its -www status page."""
    server = Peer(["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www", *args])
    try:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
    except CaseFailed:
        server.stop()
        raise
    return server, port


def start_bastion_server(env, cert, key, *args):
    server = Peer([env.bastion, "server", "--cert", cert, "--key", key, "--listen", "127.0.0.1:0",
                   *args], ours=True)
    try:
        port = int(server.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
    except CaseFailed:
        server.stop()
        raise
    return server, port


def s_client(port, *args, stdin_data=HTTP_GET):
    return run_client(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername",
                       "localhost", "-verify_return_error", "-verify_hostname", "localhost",
                       "-tls1_3", "-ign_eof", *args], stdin_data)


def check_client_identity(text, subject, verified, where):
    check_line(text, f"client_subject: {subject}", where)
    check_line(text, f"client_verified: {verified}", where)


class PythonMtlsServer(OneShotTlsServer):
    """CERT_REQUIRED: answers a line with the client certificate's commonName, then closes with
    close_notify."""

    def __init__(self, cert, key, cafile):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(cert, key)
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile)
        super().__init__(ctx)

    def respond(self, tls, raw, line):
        subject = dict(rdn[0] for rdn in tls.getpeercert()["subject"])
        tls.sendall(f"python saw client {subject['commonName']}\n".encode())
        tls.unwrap()


def python_mtls_client(port, cafile, cert=None, key=None):
    """Python's ssl module as a client presenting cert/key; returns the HTTP response."""
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if cert:
        ctx.load_cert_chain(cert, key)
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as tls:
            tls.sendall(HTTP_GET)
            received = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    return received.decode(errors="replace")
                received += chunk


# ---------------------------------------------------------------------------------------------
# The cases


def pki_cases(env):
    p = lambda name: os.path.join(env.tmp, name)
    client_cert = ["--cert", p("client.pem"), "--key", p("client.key")]
    mtls_s_server = ["-cert", env.cert("ec"), "-key", env.key("ec"), "-Verify", "1", "-CAfile",
                     env.ca, "-verify_return_error"]

    def bastion_client_vs_s_server_verify():
        server, port = start_s_server(*mtls_s_server)
        with server:
            rc, out, err = env.bastion_client(port, *client_cert, "--pipe", stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check_line(err, "verified: yes", "bastion client summary")
            check("Client certificate" in out and "Subject: CN=bastion-test-client" in out,
                  f"s_server page:\n{out}")
            server.wait_for(r"^depth=0 CN = bastion-test-client")
            server.wait_for(r"^verify return:1")

    def bastion_client_key_type_vs_s_server_verify(kind):
        server, port = start_s_server(*mtls_s_server)
        with server:
            rc, out, err = env.bastion_client(port, "--cert", p(f"client-{kind}.pem"), "--key",
                                              p(f"client-{kind}.key"), "--pipe",
                                              stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check(f"Subject: CN=bastion-test-client-{kind}" in out, f"s_server page:\n{out}")
            server.wait_for(rf"^depth=0 CN = bastion-test-client-{kind}")

    def bastion_client_without_cert_vs_s_server_verify():
        # OpenSSL answers an empty client Certificate with the TLS 1.3 alert
        # certificate_required (116), after our side of the handshake is complete.
        server, port = start_s_server(*mtls_s_server)
        with server:
            rc, out, err = env.bastion_client(port)
            check(rc == 1, f"exit {rc}\n{out}{err}\nserver:\n{server.text()}")
            line = error_line(err)
            check("peer sent certificate_required" in line, line)
            server.wait_for("peer did not return a certificate")

    def bastion_client_server_auth_cert_vs_s_server_verify():
        # A certificate without the clientAuth EKU: OpenSSL sends unsupported_certificate (43).
        server, port = start_s_server(*mtls_s_server)
        with server:
            rc, out, err = env.bastion_client(port, "--cert", env.cert("ec"), "--key",
                                              env.key("ec"))
            check(rc == 1, f"exit {rc}\n{out}{err}\nserver:\n{server.text()}")
            line = error_line(err)
            check("peer sent unsupported_certificate" in line, line)
            server.wait_for("unsuitable certificate purpose")

    required = ["--client-ca", env.ca, "--require-client-cert"]

    def s_client_cert_vs_bastion_server():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca, *client_cert)
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check("Verify return code: 0 (ok)" in out, f"s_client:\n{out}")
            check_client_identity(out, "CN=bastion-test-client", "yes", "status page")
            server.wait_for(r"^127\.0\.0\.1:\d+: client_subject: CN=bastion-test-client; "
                            r"client_verified: yes$")

    def s_client_key_type_vs_bastion_server(kind):
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca, "-cert", p(f"client-{kind}.pem"),
                                    "-key", p(f"client-{kind}.key"))
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check_client_identity(out, f"CN=bastion-test-client-{kind}", "yes", "status page")

    def s_client_expired_cert_vs_bastion_server():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca, "-cert", p("expired-client.pem"),
                                    "-key", p("expired-client.key"))
            check(rc != 0, f"s_client exit {rc}\n{out}\n{err}")
            check("alert certificate expired" in err and "SSL alert number 45" in err,
                  f"s_client:\n{err}")
            server.wait_for(r"^127\.0\.0\.1:\d+: error: certificate_expired")

    def s_client_without_cert_vs_bastion_server():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca)
            check(rc != 0, f"s_client exit {rc}\n{out}\n{err}")
            check("alert certificate required" in err and "SSL alert number 116" in err,
                  f"s_client:\n{err}")
            server.wait_for(r"^127\.0\.0\.1:\d+: error: certificate_required")

    def s_client_untrusted_cert_vs_bastion_server():
        # A client certificate from a CA the server does not trust: unknown_ca (48).
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca, "-cert", p("chain-client.pem"),
                                    "-cert_chain", p("intermediate.pem"), "-key",
                                    p("chain-client.key"))
            check(rc != 0, f"s_client exit {rc}\n{out}\n{err}")
            check("alert unknown ca" in err and "SSL alert number 48" in err, f"s_client:\n{err}")
            server.wait_for(r"^127\.0\.0\.1:\d+: error: unknown_issuer")

    def s_client_sees_acceptable_ca_names():
        # Requested, not required: a client without a certificate gets in, unverified.
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), "--client-ca",
                                            env.ca)
        with server:
            rc, out, err = s_client(port, "-CAfile", env.ca)
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}")
            check(re.search(r"^Acceptable client certificate CA names\r?\n"
                            r"O = Bastion interop, CN = Bastion ca\r?$", out, re.M),
                  f"s_client:\n{out}")
            check_client_identity(out, "none", "no", "status page")
            server.wait_for(r"^127\.0\.0\.1:\d+: client_subject: none; client_verified: no$")

    def python_client_cert_vs_bastion_server():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            body = python_mtls_client(port, env.ca, p("client.pem"), p("client.key"))
            check_client_identity(body, "CN=bastion-test-client", "yes", "status page")

    def bastion_client_vs_python_cert_required():
        server = PythonMtlsServer(env.cert("ec"), env.key("ec"), env.ca)
        rc, out, err = env.bastion_client(server.port, *client_cert, "--pipe",
                                          stdin_data=b"hello\n")
        error = server.finish()
        check(rc == 0 and error is None, f"exit {rc}\n{err}\npython server: {error}")
        check(out == "python saw client bastion-test-client\n", f"reply: {out!r}")

    def bastion_client_without_cert_vs_python_cert_required():
        server = PythonMtlsServer(env.cert("ec"), env.key("ec"), env.ca)
        rc, out, err = env.bastion_client(server.port)
        error = server.finish()
        check(rc == 1, f"exit {rc}\n{out}{err}")
        # Python closes the socket with our Finished unread, so a reset may beat the alert
        # (certificate_required) to our close_notify: Stream::close() then reports the reset.
        line = error_line(err)
        check("peer sent certificate_required" in line or "reset by peer" in line, line)
        check(isinstance(error, ssl.SSLError) and "PEER_DID_NOT_RETURN_A_CERTIFICATE" in str(error),
              f"python server: {error!r}")

    def chain_bastion_client_vs_s_server():
        # Both sides send leaf + intermediate; both trust only the root.
        server, port = start_s_server("-cert", p("chain-server.pem"), "-key", p("chain-server.key"),
                                      "-cert_chain", p("intermediate.pem"), "-Verify", "2",
                                      "-CAfile", p("root.pem"), "-verify_return_error")
        with server:
            rc, out, err = run_client([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                                       "localhost", "--cafile", p("root.pem"), "--cert",
                                       p("chain-client-chain.pem"), "--key", p("chain-client.key"),
                                       "--pipe"], HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check_line(err, "verified: yes", "bastion client summary")
            check(re.search(r"^issuer: .*CN=Bastion intermediate", err, re.M), err)
            check("Subject: CN=bastion-test-chain-client" in out, f"s_server page:\n{out}")
            server.wait_for(r"^depth=2 O = Bastion interop, CN = Bastion root")
            server.wait_for(r"^depth=1 O = Bastion interop, CN = Bastion intermediate")
            server.wait_for(r"^depth=0 CN = bastion-test-chain-client")

    chain_server = [p("chain-server-chain.pem"), p("chain-server.key"), "--client-ca",
                    p("root.pem"), "--require-client-cert"]

    def chain_s_client_vs_bastion_server():
        server, port = start_bastion_server(env, *chain_server)
        with server:
            rc, out, err = s_client(port, "-CAfile", p("root.pem"), "-cert", p("chain-client.pem"),
                                    "-cert_chain", p("intermediate.pem"), "-key",
                                    p("chain-client.key"))
            check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
            check("Verify return code: 0 (ok)" in out, f"s_client:\n{out}")
            check(re.search(r"^ 1 s:O = Bastion interop, CN = Bastion intermediate", out, re.M),
                  f"s_client (server chain):\n{out}")
            check_client_identity(out, "CN=bastion-test-chain-client", "yes", "status page")

    def chain_python_client_vs_bastion_server():
        server, port = start_bastion_server(env, *chain_server)
        with server:
            body = python_mtls_client(port, p("root.pem"), p("chain-client-chain.pem"),
                                      p("chain-client.key"))
            check_client_identity(body, "CN=bastion-test-chain-client", "yes", "status page")

    def expired_server_cert():
        server, port = start_s_server("-cert", p("expired.pem"), "-key", p("expired.key"))
        with server:
            rc, out, err = env.bastion_client(port)
            check(rc == 1, f"exit {rc}\n{out}{err}")
            line = error_line(err)
            check(line.startswith("error: certificate_expired"), line)
            server.wait_for(r"alert certificate expired.*SSL alert number 45")

    def wrong_name():
        server, port = start_s_server("-cert", env.cert("ec"), "-key", env.key("ec"))
        with server:
            rc, out, err = env.bastion_client(port, "--servername", "example.com")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            line = error_line(err)
            check(line.startswith("error: certificate_name_mismatch"), line)
            server.wait_for(r"alert certificate unknown.*SSL alert number 46")

    def bastion_both_sides():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), *required)
        with server:
            rc, out, err = env.bastion_client(port, *client_cert, "--pipe", stdin_data=HTTP_GET)
            check(rc == 0, f"exit {rc}\n{err}\nserver:\n{server.text()}")
            check_client_identity(out, "CN=bastion-test-client", "yes", "status page")
            rc, out, err = env.bastion_client(port)
            check(rc == 1 and "peer sent certificate_required" in error_line(err), f"{rc}\n{err}")

    def usage():
        for args, message in (
                (["client", "localhost", "--cert", p("client.pem")], "--cert and --key go together"),
                (["server", "--cert", env.cert("ec"), "--key", env.key("ec"),
                  "--require-client-cert"], "--require-client-cert needs --client-ca")):
            rc, out, err = run_client([env.bastion, *args])
            check(rc == 2 and message in err, f"{args}: exit {rc}\n{err}")
        rc, out, err = run_client([env.bastion, "--help"])
        for option in ("--cert PEM --key PEM", "--client-ca PEM", "--require-client-cert"):
            check(rc == 0 and option in out, f"{option} in bastion --help:\n{out}")

    return [
        ("pki/s_server-Verify/client-cert", bastion_client_vs_s_server_verify),
        ("pki/s_server-Verify/client-cert-rsa",
         lambda: bastion_client_key_type_vs_s_server_verify("rsa")),
        ("pki/s_server-Verify/client-cert-ed25519",
         lambda: bastion_client_key_type_vs_s_server_verify("ed25519")),
        ("pki/s_server-Verify/no-client-cert", bastion_client_without_cert_vs_s_server_verify),
        ("pki/s_server-Verify/serverAuth-only-cert",
         bastion_client_server_auth_cert_vs_s_server_verify),
        ("pki/s_client-cert/required", s_client_cert_vs_bastion_server),
        ("pki/s_client-cert/rsa", lambda: s_client_key_type_vs_bastion_server("rsa")),
        ("pki/s_client-cert/ed25519", lambda: s_client_key_type_vs_bastion_server("ed25519")),
        ("pki/s_client-cert/expired", s_client_expired_cert_vs_bastion_server),
        ("pki/s_client-cert/none", s_client_without_cert_vs_bastion_server),
        ("pki/s_client-cert/untrusted", s_client_untrusted_cert_vs_bastion_server),
        ("pki/s_client-cert/acceptable-ca-names", s_client_sees_acceptable_ca_names),
        ("pki/python-ssl-client/client-cert", python_client_cert_vs_bastion_server),
        ("pki/python-ssl-server/CERT_REQUIRED", bastion_client_vs_python_cert_required),
        ("pki/python-ssl-server/CERT_REQUIRED-no-cert",
         bastion_client_without_cert_vs_python_cert_required),
        ("pki/chain/bastion-client-vs-s_server", chain_bastion_client_vs_s_server),
        ("pki/chain/s_client-vs-bastion-server", chain_s_client_vs_bastion_server),
        ("pki/chain/python-ssl-client-vs-bastion-server", chain_python_client_vs_bastion_server),
        ("pki/expired-server-cert", expired_server_cert),
        ("pki/wrong-name", wrong_name),
        ("pki/bastion-both-sides", bastion_both_sides),
        ("pki/usage", usage),
    ]


def pki_suite(env):
    make_pki_extras(env.tmp)
    return pki_cases(env)
