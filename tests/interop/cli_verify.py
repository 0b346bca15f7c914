"""The cli-verify suite of interop.py: `bastion verify` on the files of the test PKI, each
verdict also asked of `openssl verify` (they must agree), with the negative paths: a missing
intermediate, the wrong CA, expired and not yet valid certificates (--at), name mismatches,
the wrong purpose, and usage errors (exit 2)."""

import os
import re

from harness import check, run, run_client
from cli_client import ensure_pki_extras
from pki import BACKDATING_CA_CONFIG, error_line

CA_EXT = ("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
          "subjectKeyIdentifier=hash\n")


def make_dated_pki(d):
    """dated-ca.pem, valid 2019 to 2030, and dated.pem from it for localhost, valid in January
    2020 only: validity at a time in the past, the anchor's included."""
    p = lambda name: os.path.join(d, name)
    if os.path.exists(p("dated.pem")):
        return
    db = p("dated-db")
    os.makedirs(db)
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write("2000\n")
    with open(os.path.join(db, "ca.cnf"), "w") as f:
        f.write(BACKDATING_CA_CONFIG.format(dir=db))
    with open(p("dated-ca.ext"), "w") as f:
        f.write(CA_EXT)
    for name, subject in (("dated-ca", "/CN=Bastion dated ca"),
                          ("dated", "/CN=bastion-test-dated")):
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", p(name + ".key")])
        run(["openssl", "req", "-new", "-key", p(name + ".key"), "-out", p(name + ".csr"),
             "-subj", subject])
    ca = ["openssl", "ca", "-batch", "-notext", "-config", os.path.join(db, "ca.cnf"),
          "-keyfile", p("dated-ca.key")]
    run([*ca, "-selfsign", "-in", p("dated-ca.csr"), "-out", p("dated-ca.pem"),
         "-extfile", p("dated-ca.ext"), "-startdate", "20190101000000Z",
         "-enddate", "20300101000000Z"])
    run([*ca, "-cert", p("dated-ca.pem"), "-in", p("dated.csr"), "-out", p("dated.pem"),
         "-extfile", p("leaf.ext"), "-startdate", "20200101000000Z",
         "-enddate", "20200201000000Z"])


def cli_verify_suite(env):
    ensure_pki_extras(env.tmp)
    make_dated_pki(env.tmp)
    p = lambda name: os.path.join(env.tmp, name)

    def verify(*args):
        return run_client([env.bastion, "verify", *args])

    def openssl_verify(*args):
        rc, out, err = run_client(["openssl", "verify", *args])
        return rc == 0

    def expect_ok(args, openssl_args, subjects):
        rc, out, err = verify(*args)
        check(rc == 0 and err == "", f"bastion verify {args}: exit {rc}\n{out}{err}")
        check(re.search(r"^" + re.escape(args[0]) + r": OK$", out, re.M), out)
        for i, subject in enumerate(subjects):
            check(re.search(rf"^certificate {i}:\n  subject:    {re.escape(subject)}\n", out, re.M),
                  f"certificate {i} {subject} in\n{out}")
        check(openssl_verify(*openssl_args), f"openssl verify {openssl_args} disagrees")
        return out

    def expect_fail(args, reason, openssl_args=None):
        rc, out, err = verify(*args)
        check(rc == 1, f"bastion verify {args}: exit {rc}\n{out}{err}")
        line = error_line(err)
        check(line.startswith(f"error: {args[0]}: {reason}"), f"expected {reason}: {line}")
        check(not re.search(r": OK$", out, re.M), out)
        if openssl_args is not None:
            check(not openssl_verify(*openssl_args), f"openssl verify {openssl_args} accepts")
        return line

    def chain_with_intermediate():
        out = expect_ok([p("chain-server-chain.pem"), "--cafile", p("root.pem"), "--name",
                         "localhost"],
                        ["-CAfile", p("root.pem"), "-untrusted", p("intermediate.pem"),
                         "-verify_hostname", "localhost", p("chain-server.pem")],
                        ["CN=bastion-test-chain-server",
                         "O=Bastion interop, CN=Bastion intermediate"])
        check(re.search(r"^purpose: server\nname: localhost\nat: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
                        r"\(now\)$", out, re.M), out)
        expect_ok([p("chain-server.pem"), "--cafile", p("root.pem"), "--untrusted",
                   p("intermediate.pem"), "--name", "127.0.0.1"],
                  ["-CAfile", p("root.pem"), "-untrusted", p("intermediate.pem"), "-verify_ip",
                   "127.0.0.1", p("chain-server.pem")],
                  ["CN=bastion-test-chain-server", "O=Bastion interop, CN=Bastion intermediate"])
        # Without --name the name is not checked; --cafile takes a directory too.
        anchors = p("verify-anchors")
        os.makedirs(anchors, exist_ok=True)
        with open(p("root.pem")) as src, open(os.path.join(anchors, "root.pem"), "w") as dst:
            dst.write(src.read())
        out = expect_ok([p("chain-server-chain.pem"), "--cafile", anchors],
                        ["-CAfile", p("root.pem"), "-untrusted", p("intermediate.pem"),
                         p("chain-server.pem")], [])
        check("name: not checked (no --name)" in out, out)
        expect_ok([p("chain-server-chain.pem"), "--capath", anchors],
                  ["-CAfile", p("root.pem"), "-untrusted", p("intermediate.pem"),
                   p("chain-server.pem")], [])

    def missing_intermediate():
        expect_fail([p("chain-server.pem"), "--cafile", p("root.pem"), "--name", "localhost"],
                    "unknown_issuer", ["-CAfile", p("root.pem"), p("chain-server.pem")])

    def wrong_ca():
        expect_fail([env.cert("ec"), "--cafile", env.other_ca, "--name", "localhost"],
                    "unknown_issuer", ["-CAfile", env.other_ca, env.cert("ec")])

    def expired_and_at():
        # dated.pem is valid from 2020-01-01 to 2020-02-01, its CA from 2019 to 2030.
        dated, dated_ca = p("dated.pem"), p("dated-ca.pem")
        expect_fail([dated, "--cafile", dated_ca, "--name", "localhost"], "certificate_expired",
                    ["-CAfile", dated_ca, dated])
        for at in ("2020-01-15T00:00:00Z", "@1579046400", "2020-01-15T03:00:00+03:00",
                   "2020-01-15"):
            out = expect_ok([dated, "--cafile", dated_ca, "--name", "localhost", "--at", at],
                            ["-CAfile", dated_ca, "-attime", "1579046400", dated],
                            ["CN=bastion-test-dated"])
            check("at: 2020-01-15T00:00:00Z\n" in out, out)
        expect_fail([dated, "--cafile", dated_ca, "--at", "2019-12-31T23:59:59Z"],
                    "certificate_not_yet_valid",
                    ["-CAfile", dated_ca, "-attime", "1577836799", dated])
        expect_fail([dated, "--cafile", dated_ca, "--at", "2020-02-01T00:00:01Z"],
                    "certificate_expired", ["-CAfile", dated_ca, "-attime", "1580515201", dated])
        # The anchor's validity counts too: the test CA is valid from today only.
        line = expect_fail([p("expired.pem"), "--cafile", env.ca, "--at", "2020-01-15"],
                           "certificate_not_yet_valid",
                           ["-CAfile", env.ca, "-attime", "1579046400", p("expired.pem")])
        check("Bastion ca" in line, line)
        expect_fail([p("expired.pem"), "--cafile", env.ca], "certificate_expired",
                    ["-CAfile", env.ca, p("expired.pem")])

    def name_mismatch():
        line = expect_fail([env.cert("ec"), "--cafile", env.ca, "--name", "example.com"],
                           "certificate_name_mismatch",
                           ["-CAfile", env.ca, "-verify_hostname", "example.com", env.cert("ec")])
        check(line.endswith("(the certificate is for DNS:localhost, IP:127.0.0.1, IP:::1)"), line)
        expect_fail([env.cert("ec"), "--cafile", env.ca, "--name", "192.0.2.1"],
                    "certificate_name_mismatch",
                    ["-CAfile", env.ca, "-verify_ip", "192.0.2.1", env.cert("ec")])

    def purposes():
        # client.pem has extendedKeyUsage clientAuth only, the leaves serverAuth only.
        out = expect_ok([p("client.pem"), "--cafile", env.ca, "--purpose", "client"],
                        ["-CAfile", env.ca, "-purpose", "sslclient", p("client.pem")],
                        ["CN=bastion-test-client"])
        check("purpose: client\nat: " in out and "name:" not in out, out)
        expect_fail([p("client.pem"), "--cafile", env.ca, "--purpose", "server"],
                    "bad_extended_key_usage",
                    ["-CAfile", env.ca, "-purpose", "sslserver", p("client.pem")])
        expect_fail([env.cert("ec"), "--cafile", env.ca, "--purpose", "client"],
                    "bad_extended_key_usage",
                    ["-CAfile", env.ca, "-purpose", "sslclient", env.cert("ec")])
        expect_ok([p("chain-client-chain.pem"), "--cafile", p("root.pem"), "--purpose", "client"],
                  ["-CAfile", p("root.pem"), "-untrusted", p("intermediate.pem"), "-purpose",
                   "sslclient", p("chain-client.pem")], ["CN=bastion-test-chain-client"])

    def unreadable_files():
        rc, out, err = verify(p("no-such.pem"), "--cafile", env.ca)
        check(rc == 1 and "cannot read" in error_line(err), f"exit {rc}\n{err}")
        rc, out, err = verify(env.key("ec"), "--cafile", env.ca)
        check(rc == 1 and error_line(err), f"exit {rc}\n{err}")
        rc, out, err = verify(env.cert("ec"), "--cafile", p("no-such-ca.pem"))
        check(rc == 1 and error_line(err), f"exit {rc}\n{err}")

    def usage_errors():
        for args, message in (([], "verify needs exactly one CHAIN.pem"),
                              ([env.cert("ec"), env.ca], "verify needs exactly one CHAIN.pem"),
                              ([env.cert("ec"), "--purpose", "email"], "unknown --purpose 'email'"),
                              ([env.cert("ec"), "--at", "tomorrow"],
                               "--at: 'tomorrow' is not a time"),
                              ([env.cert("ec"), "--purpose", "client", "--name", "localhost"],
                               "--name applies to --purpose server only"),
                              ([env.cert("ec"), "--cafile", env.ca, "--capath", env.tmp],
                               "--cafile and --capath exclude each other"),
                              ([env.cert("ec"), "--nope"], "unknown option --nope")):
            rc, out, err = verify(*args)
            check(rc == 2 and message in err, f"bastion verify {args}: exit {rc}\n{err}")

    return [("cli-verify/chain-with-intermediate", chain_with_intermediate),
            ("cli-verify/missing-intermediate", missing_intermediate),
            ("cli-verify/wrong-ca", wrong_ca), ("cli-verify/expired-and-at", expired_and_at),
            ("cli-verify/name-mismatch", name_mismatch), ("cli-verify/purposes", purposes),
            ("cli-verify/unreadable-files", unreadable_files),
            ("cli-verify/usage-errors", usage_errors)]
