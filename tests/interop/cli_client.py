"""The cli-client suite of interop.py: what `bastion client` shows and how it fails, against
openssl s_server and Python ssl: --showcerts (verified and rejected chains, PEM compared with
openssl's files), --json (parsed, escaped, after a failure, with --reconnect), --keylog
(compared with the key logs of s_server and bastion server), --capath / --cafile DIR, --timeout against a server
that never answers, name mismatches that list the certificate's names, and --help."""

import json
import os
import re
import socket
import ssl
import threading
import time

from harness import TIMEOUT, OneShotTlsServer, Peer, check, check_line, run, run_client
from pki import error_line, make_pki_extras, start_bastion_server, start_s_server

PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n", re.S)


def pem_blocks(text):
    return PEM_BLOCK.findall(text)


def read(path):
    with open(path) as f:
        return f.read()


def ensure_pki_extras(tmp):
    """make_pki_extras once per directory (the pki suite may have made them already)."""
    if not os.path.exists(os.path.join(tmp, "root.pem")):
        make_pki_extras(tmp)


def make_odd_subject_cert(d):
    """A leaf from the CA whose subject holds quotes, a backslash and non-ASCII letters, for
    the JSON escaping."""
    p = lambda name: os.path.join(d, name)
    if os.path.exists(p("odd.pem")):
        return
    run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-out", p("odd.key")])
    run(["openssl", "req", "-new", "-utf8", "-key", p("odd.key"), "-out", p("odd.csr"),
         "-subj", '/O=Quote " and \\\\ backslash/CN=Zürich tëst'])
    run(["openssl", "x509", "-req", "-in", p("odd.csr"), "-CA", p("ca.pem"), "-CAkey",
         p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("leaf.ext"),
         "-out", p("odd.pem")])


class SilentTcpServer:
    """Accepts connections and never sends a byte, until closed."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        try:
            while True:
                conn, _ = self.listener.accept()
                self.accepted.append(conn)
        except OSError:
            pass

    def close(self):
        self.listener.close()
        for conn in self.accepted:
            conn.close()


class SilentTlsServer(OneShotTlsServer):
    """Completes the handshake, reads the client's first bytes (or its close_notify), then
    says nothing until released."""

    def __init__(self, cert, key):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.release = threading.Event()
        super().__init__(ctx)

    def respond(self, tls, raw, line):
        self.release.wait(timeout=TIMEOUT)


def cli_client_suite(env):
    ensure_pki_extras(env.tmp)
    make_odd_subject_cert(env.tmp)
    p = lambda name: os.path.join(env.tmp, name)
    chain_server = ["-cert", p("chain-server.pem"), "-key", p("chain-server.key"),
                    "-cert_chain", p("intermediate.pem")]

    def client(port, *args, stdin_data=b""):
        return run_client([env.bastion, "client", f"127.0.0.1:{port}", "--servername",
                           "localhost", *args], stdin_data)

    def showcerts_verified():
        server, port = start_s_server(*chain_server)
        with server:
            rc, out, err = client(port, "--cafile", p("root.pem"), "--showcerts")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            check_line(out, "verified: yes", "summary")
            check_line(out, "--- certificate chain presented by the server, 2 certificates, "
                       "verified ---", "showcerts")
            check(re.search(r"^certificate 0:\n  subject:    CN=bastion-test-chain-server\n"
                            r"  issuer:     O=Bastion interop, CN=Bastion intermediate\n"
                            r"  names:      DNS:localhost, IP:127\.0\.0\.1, IP:::1\n"
                            r"  not_before: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n"
                            r"  not_after:  \d{4}-", out, re.M), out)
            check(re.search(r"^certificate 1:\n  subject:    O=Bastion interop, CN=Bastion "
                            r"intermediate\n  issuer:     O=Bastion interop, CN=Bastion root\n"
                            r"  names:      none\n", out, re.M), out)
            # The PEM printed is the server's certificates, byte for byte as openssl wrote them.
            check(pem_blocks(out) == pem_blocks(read(p("chain-server.pem"))) +
                  pem_blocks(read(p("intermediate.pem"))), f"PEM blocks differ:\n{out}")

    def showcerts_rejected():
        server, port = start_s_server(*chain_server)
        with server:
            rc, out, err = client(port, "--cafile", p("ca.pem"), "--showcerts")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            check("unknown_issuer" in error_line(err), err)
            check_line(out, "--- certificate chain presented by the server, 2 certificates, "
                       "UNVERIFIED: the handshake failed (see the error) ---", "showcerts")
            check(len(pem_blocks(out)) == 2 and
                  pem_blocks(out)[0] == pem_blocks(read(p("chain-server.pem")))[0], out)
            # Without --showcerts, only the error.
            rc, out, err = client(port, "--cafile", p("ca.pem"))
            check(rc == 1 and out == "" and "unknown_issuer" in error_line(err), out + err)

    def json_verified():
        server, port = start_s_server(*chain_server, "-alpn", "http/1.1")
        with server:
            rc, out, err = client(port, "--cafile", p("root.pem"), "--json", "--alpn",
                                  "h2,http/1.1", "--export", "EXPERIMENTAL-bastion:16")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            doc = json.loads(out)
            check(doc["handshake_complete"] is True and doc["version"] == "TLSv1.3", out)
            check(doc["cipher_suite"] == "TLS_AES_128_GCM_SHA256" and doc["group"] == "x25519",
                  out)
            check(doc["signature_scheme"] == "ecdsa_secp256r1_sha256", out)
            check(doc["alpn"] == "http/1.1" and doc["sni"] == "localhost", out)
            check(doc["host"] == "127.0.0.1" and doc["port"] == port, out)
            check(doc["resumed"] is False and doc["resumed_by"] is None, out)
            check(doc["hello_retry"] is False and doc["error"] is None, out)
            check(doc["verification"] == {"verified": True, "required": True, "error": None}, out)
            check(doc["certificates_verified"] is True, out)
            subjects = [c["subject"] for c in doc["certificates"]]
            check(subjects == ["CN=bastion-test-chain-server",
                               "O=Bastion interop, CN=Bastion intermediate"], out)
            leaf = doc["certificates"][0]
            check(leaf["dns_names"] == ["localhost"] and
                  leaf["ip_addresses"] == ["127.0.0.1", "::1"], out)
            check("pem" not in leaf, out)
            check(re.fullmatch(r"[0-9A-F]{32}", doc["exporter"]["value"]), out)
            rc, out, err = client(port, "--cafile", p("root.pem"), "--json", "--showcerts")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            pems = [c["pem"] for c in json.loads(out)["certificates"]]
            check(pems == pem_blocks(read(p("chain-server-chain.pem"))), out)

    def json_failed():
        server, port = start_s_server(*chain_server)
        with server:
            rc, out, err = client(port, "--cafile", p("ca.pem"), "--json")
            check(rc == 1 and err == "", f"exit {rc}\n{out}{err}")
            doc = json.loads(out)
            check(doc["handshake_complete"] is False and "version" not in doc, out)
            check(doc["verification"]["verified"] is False, out)
            check(doc["verification"]["error"].startswith("unknown_issuer"), out)
            check(doc["error"].startswith("unknown_issuer"), out)
            check(doc["certificates_verified"] is False and len(doc["certificates"]) == 2, out)
        rc, out, err = run_client([env.bastion, "client", "127.0.0.1:1", "--json"])
        check(rc == 1 and json.loads(out)["error"].startswith("io_error"), out + err)

    def json_escaping():
        server, port = start_s_server("-cert", p("odd.pem"), "-key", p("odd.key"))
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--json")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            subject = json.loads(out)["certificates"][0]["subject"]
            check('"' in subject and "\\" in subject and "CN=Zürich tëst" in subject,
                  f"subject {subject!r} in\n{out}")
            # The same text as the summary line shows.
            rc, text, err = client(port, "--cafile", env.ca)
            check(rc == 0 and f"subject: {subject}\n" in text, f"{subject!r} vs\n{text}{err}")

    def json_reconnect():
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"))
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--json", "--reconnect")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            doc = json.loads(out)
            check(doc["resumed"] is True and doc["resumed_by"] == "ticket", out)
            check(doc["first_connection"]["resumed"] is False, out)
            check(doc["certificates"][0]["subject"] == "CN=bastion-test-ec", out)

    def json_with_pipe_is_usage_error():
        rc, out, err = run_client([env.bastion, "client", "localhost", "--json", "--pipe"])
        check(rc == 2 and "--json and --pipe" in err, f"exit {rc}\n{err}")

    def keylog():
        ours, theirs = p("client-keylog.txt"), p("s_server-keylog.txt")
        for f in (ours, theirs):
            if os.path.exists(f):
                os.remove(f)
        server, port = start_s_server("-cert", env.cert("ec"), "-key", env.key("ec"),
                                      "-keylogfile", theirs)
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--keylog", ours)
            check(rc == 0, f"exit {rc}\n{out}{err}")
        lines = lambda f: sorted(l.lower() for l in read(f).splitlines() if l and l[0] != "#")
        mine, peer = lines(ours), lines(theirs)
        labels = {l.split()[0] for l in mine}
        check({"client_handshake_traffic_secret", "server_handshake_traffic_secret",
               "client_traffic_secret_0", "server_traffic_secret_0"} <= labels, "\n".join(mine))
        check(set(mine) <= set(peer), f"ours:\n{chr(10).join(mine)}\ns_server's:\n"
              f"{chr(10).join(peer)}")
        # bastion server --keylog logs the same secrets as the client.
        server_log, client_log = p("server-keylog.txt"), p("client-keylog-2.txt")
        server, port = start_bastion_server(env, env.cert("ec"), env.key("ec"), "--keylog",
                                            server_log)
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--keylog", client_log)
            check(rc == 0, f"exit {rc}\n{out}{err}")
        check(lines(client_log) and lines(client_log) == lines(server_log),
              f"client:\n{read(client_log)}\nserver:\n{read(server_log)}")
        rc, out, err = run_client([env.bastion, "client", "localhost", "--keylog",
                                   p("no-such-dir/keys.txt")])
        check(rc == 1 and "--keylog: cannot open" in error_line(err), f"exit {rc}\n{err}")

    def capath():
        anchors = p("anchors")
        os.makedirs(anchors, exist_ok=True)
        with open(os.path.join(anchors, "root.crt"), "w") as f:
            f.write(read(p("root.pem")))
        with open(os.path.join(anchors, "README.txt"), "w") as f:
            f.write("not a certificate\n")
        empty = p("no-anchors")
        os.makedirs(empty, exist_ok=True)
        server, port = start_s_server(*chain_server)
        with server:
            for option in ("--capath", "--cafile"):
                rc, out, err = client(port, option, anchors)
                check(rc == 0, f"{option}: exit {rc}\n{out}{err}")
                check_line(out, "verified: yes", option)
            rc, out, err = client(port, "--capath", empty)
            check(rc == 1 and error_line(err), f"exit {rc}\n{out}{err}")
        rc, out, err = client(port, "--capath", anchors, "--cafile", env.ca)
        check(rc == 2 and "exclude each other" in err, f"exit {rc}\n{err}")

    def timeout_silent_tcp():
        silent = SilentTcpServer()
        try:
            start = time.monotonic()
            rc, out, err = client(silent.port, "--timeout", "1")
            took = time.monotonic() - start
        finally:
            silent.close()
        check(rc == 1, f"exit {rc}\n{out}{err}")
        line = error_line(err)
        check("timed_out" in line and "handshake not complete within 1000 ms" in line, line)
        check(0.9 <= took < 3, f"took {took:.2f}s")

    def timeout_silent_after_handshake():
        silent = SilentTlsServer(env.cert("ec"), env.key("ec"))
        try:
            start = time.monotonic()
            rc, out, err = client(silent.port, "--cafile", env.ca, "--timeout", "0.5", "--pipe")
            took = time.monotonic() - start
        finally:
            silent.release.set()
            silent.finish()
        check(rc == 1, f"exit {rc}\n{out}{err}")
        check_line(err, "verified: yes", "summary on stderr")
        line = error_line(err)
        check("timed_out" in line and "nothing from the server for 500 ms" in line, line)
        check(0.4 <= took < 3, f"took {took:.2f}s")

    def timeout_usage():
        rc, out, err = run_client([env.bastion, "client", "localhost", "--timeout", "soon"])
        check(rc == 2 and "--timeout: 'soon' is not a number of seconds" in err, err)

    def name_mismatch_lists_names():
        server, port = start_s_server("-cert", env.cert("ec"), "-key", env.key("ec"))
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--servername", "example.com")
            check(rc == 1, f"exit {rc}\n{out}{err}")
            line = error_line(err)
            check("certificate_name_mismatch" in line and
                  line.endswith("(the certificate is for DNS:localhost, IP:127.0.0.1, IP:::1)"),
                  line)
            rc, out, err = client(port, "--cafile", env.ca, "--servername", "example.com",
                                  "--insecure")
            check(rc == 0, f"exit {rc}\n{out}{err}")
            check(re.search(r"^verified: no \(certificate_name_mismatch: .*\(the certificate is "
                            r"for DNS:localhost, IP:127\.0\.0\.1, IP:::1\)\)$", out, re.M), out)

    def help_lists_every_option():
        rc, full, err = run_client([env.bastion, "--help"])
        check(rc == 0, err)
        for command in (["client"], ["server"], ["verify"], ["cert", "ca"], ["cert", "issue"],
                        ["cert", "install"], ["cert", "uninstall"]):
            rc, own, err = run_client([env.bastion, *command, "--help"])
            check(rc == 0 and own.startswith(f"usage: bastion {' '.join(command)} "), own + err)
            options = set(re.findall(r"^    --([a-z0-9-]+)", own, re.M))
            check("help" in options, own)
            section = full.split(f"\nbastion {' '.join(command)} ", 1)[1].split("\nbastion ")[0]
            missing = options - set(re.findall(r"^    --([a-z0-9-]+)", section, re.M))
            check(not missing, f"bastion --help lacks {missing} of {command}")
            for option in options:
                args = [f"--{option}"]
                if option != "help":
                    rc, _, err = run_client([env.bastion, *command, *args])
                    check("unknown option" not in err, f"{command} --{option}: {err}")
        expected = {"client": {"reconnect", "showcerts", "json", "keylog", "capath", "timeout",
                               "export", "insecure", "pipe"},
                    "server": {"no-tickets", "keylog", "idle-timeout"}}
        for command, names in expected.items():
            rc, own, _ = run_client([env.bastion, command, "--help"])
            check(names <= set(re.findall(r"^    --([a-z0-9-]+)", own, re.M)), own)
        rc, out, err = run_client([env.bastion, "client", "localhost", "--no-such-option"])
        check(rc == 2 and "unknown option --no-such-option" in err, err)

    def encrypted_key():
        # An encrypted PKCS#8 key (openssl's own), opened with --key-password-file or
        # BASTION_KEY_PASSWORD; refused clearly without the passphrase or with a wrong one.
        enc = p("leaf-ec-encrypted.p8")
        run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:s3cret word",
             "-in", env.key("ec"), "-out", enc])
        with open(p("key-password"), "w") as f:
            f.write("s3cret word\n")
        with open(p("wrong-password"), "w") as f:
            f.write("not it\n")
        server_cmd = [env.bastion, "server", "--cert", env.cert("ec"), "--key", enc,
                      "--listen", "127.0.0.1:0"]
        for how in (["--key-password-file", p("key-password")], []):
            cmd = server_cmd + how if how else ["env", "BASTION_KEY_PASSWORD=s3cret word",
                                                *server_cmd]
            server = Peer(cmd, ours=True)
            with server:
                port = int(server.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
                rc, out, err = client(port, "--cafile", env.ca)
                check(rc == 0, f"{how}: exit {rc}\n{out}{err}")
                check_line(out, "verified: yes", "summary")
        rc, _, err = run_client(server_cmd + ["--key-password-file", p("wrong-password")])
        check(rc == 1 and "wrong passphrase" in err, f"exit {rc}: {err}")
        rc, _, err = run_client(server_cmd)
        check(rc == 1 and "a passphrase is needed" in err, f"exit {rc}: {err}")
        rc, _, err = run_client(server_cmd + ["--key-password-file", p("no-such-file")])
        check(rc == 1 and "--key-password-file" in err, f"exit {rc}: {err}")
        # The client's own certificate key opens the same way.
        server, port = start_s_server("-cert", env.cert("ec"), "-key", env.key("ec"), "-Verify",
                                      "1", "-CAfile", env.ca)
        with server:
            rc, out, err = client(port, "--cafile", env.ca, "--cert", env.cert("ec"), "--key",
                                  enc, "--key-password-file", p("key-password"))
            check(rc == 0, f"exit {rc}\n{out}{err}")

    return [("cli-client/encrypted-key", encrypted_key),
            ("cli-client/showcerts-verified-chain", showcerts_verified),
            ("cli-client/showcerts-rejected-chain", showcerts_rejected),
            ("cli-client/json", json_verified), ("cli-client/json-after-failure", json_failed),
            ("cli-client/json-escaping", json_escaping),
            ("cli-client/json-reconnect", json_reconnect),
            ("cli-client/json-with-pipe", json_with_pipe_is_usage_error),
            ("cli-client/keylog-matches-the-server", keylog), ("cli-client/capath", capath),
            ("cli-client/timeout-silent-tcp-server", timeout_silent_tcp),
            ("cli-client/timeout-silent-after-handshake", timeout_silent_after_handshake),
            ("cli-client/timeout-usage", timeout_usage),
            ("cli-client/name-mismatch-lists-names", name_mismatch_lists_names),
            ("cli-client/help-lists-every-option", help_lists_every_option)]
