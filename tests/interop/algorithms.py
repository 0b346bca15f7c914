"""The algorithms beyond the main matrix, against openssl and gnutls in both roles: the groups
secp521r1, x448 and ffdhe2048 to ffdhe8192 (with and without a HelloRetryRequest to them), and
Ed448 and ECDSA P-521 certificates, as server and as client certificates, and the AES-CCM
suites, off by default and named on both sides."""

import os
import re

from harness import Peer, check, check_line, run, run_client

HTTP_GET = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"

EXTRA_GROUPS = ["secp521r1", "x448", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144",
                "ffdhe8192"]
OPENSSL_NAME = {"x25519": "X25519", "secp521r1": "P-521", "x448": "X448"}
GNUTLS_NAME = {"x25519": "GROUP-X25519", "secp521r1": "GROUP-SECP521R1", "x448": "GROUP-X448"}


def openssl_group(group):
    return OPENSSL_NAME.get(group, group)


def gnutls_group(group):
    return GNUTLS_NAME.get(group, "GROUP-" + group.upper())


def s_client(env, port, *extra, data=HTTP_GET):
    return run_client(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
         "-CAfile", env.ca, "-verify_return_error", "-verify_hostname", "localhost", "-tls1_3",
         "-ign_eof", *extra], data)


def openssl_client_group(env, group, hrr):
    # With a HelloRetryRequest: s_client shares x25519 first; the server wants only `group`.
    server, port = env.bastion_server("--groups", group)
    with server:
        groups = f"X25519:{openssl_group(group)}" if hrr else openssl_group(group)
        rc, out, err = s_client(env, port, "-groups", groups)
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check_line(out, f"group: {group}", "status page")
        check_line(out, f"hello_retry: {'yes' if hrr else 'no'}", "status page")


def default_server_group(env, group):
    # The server accepts every group without being told.
    server, port = env.bastion_server()
    with server:
        rc, out, err = s_client(env, port, "-groups", openssl_group(group))
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check_line(out, f"group: {group}", "status page")
        check_line(out, "hello_retry: no", "status page")


def bastion_client_vs_openssl(env, group, hrr):
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
           "-cert", env.cert("ec"), "-key", env.key("ec"), "-groups", openssl_group(group)]
    with Peer(cmd) as server:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
        groups = f"x25519,{group}" if hrr else group
        rc, out, err = env.bastion_client(port, "--groups", groups, "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_line(err, f"group: {group}", "bastion client summary")
        check_line(err, f"hello_retry: {'yes' if hrr else 'no'}", "bastion client summary")
        check(re.search(r"^New, TLSv1\.3", out, re.M), f"s_server page:\n{out}")


def gnutls_client_group(env, group):
    server, port = env.bastion_server("--groups", group, "--echo")
    with server:
        priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+{gnutls_group(group)}"
        rc, out, err = run_client(
            ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca, "--priority", priority,
             "localhost"], b"ping from gnutls\n", keep_stdin_open=False)
        text = out + err
        check("ping from gnutls" in out, f"gnutls-cli exit {rc}\n{text}\nserver:\n{server.text()}")
        description = re.search(r"Description: \(TLS1\.3.*", text)
        check(description and group.upper() in description.group(0), f"gnutls-cli:\n{text}")


# s_client's name for the peer's signature, and ours.
SIGNATURE_KINDS = {"ed448": ("ed448", "ed448"), "p521": ("ECDSA", "ecdsa_secp521r1_sha512")}


def client_certificate(env, kind):
    """A clientAuth certificate from the CA for the key of env.key(kind)."""
    from pki import CLIENT_EXT
    p = lambda name: os.path.join(env.tmp, name)
    if not os.path.exists(p(f"client-{kind}.pem")):
        with open(p("client.ext"), "w") as f:
            f.write(CLIENT_EXT)
        run(["openssl", "req", "-new", "-key", env.key(kind), "-out", p(f"client-{kind}.csr"),
             "-subj", f"/CN=bastion-client-{kind}"])
        run(["openssl", "x509", "-req", "-in", p(f"client-{kind}.csr"), "-CA", env.ca,
             "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("client.ext"),
             "-out", p(f"client-{kind}.pem")])
    return p(f"client-{kind}.pem")


def openssl_client_signature(env, kind):
    openssl_name, scheme = SIGNATURE_KINDS[kind]
    server, port = env.bastion_server(cert=kind)
    with server:
        rc, out, err = s_client(env, port)
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check(f"Peer signature type: {openssl_name}" in out, f"s_client:\n{out}")
        check(f"CN = bastion-test-{kind}" in out, f"s_client:\n{out}")


def bastion_client_signature(env, kind):
    _, scheme = SIGNATURE_KINDS[kind]
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
           "-cert", env.cert(kind), "-key", env.key(kind)]
    with Peer(cmd) as server:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
        rc, out, err = env.bastion_client(port, "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_line(err, f"signature: {scheme}", "bastion client summary")
        check_line(err, "verified: yes", "bastion client summary")


def client_certificate_signature(env, kind):
    # Our client presents the certificate; our server verifies it with the CA.
    server, port = env.bastion_server("--client-ca", env.ca, "--require-client-cert")
    with server:
        rc, out, err = env.bastion_client(port, "--cert", client_certificate(env, kind),
                                          "--key", env.key(kind), "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check(f"CN=bastion-client-{kind}" in out, f"status page:\n{out}")
        check_line(out, "client_verified: yes", "status page")


def openssl_client_certificate_signature(env, kind):
    # s_client signs its CertificateVerify with the key; our server verifies it.
    server, port = env.bastion_server("--client-ca", env.ca, "--require-client-cert")
    with server:
        rc, out, err = s_client(env, port, "-cert", client_certificate(env, kind), "-key",
                                env.key(kind))
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check(f"CN=bastion-client-{kind}" in out, f"status page:\n{out}")
        check_line(out, "client_verified: yes", "status page")


def gnutls_client_signature(env, kind):
    server, port = env.bastion_server("--echo", cert=kind)
    with server:
        rc, out, err = run_client(
            ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca, "localhost"],
            b"ping from gnutls\n")
        check("ping from gnutls" in out, f"gnutls-cli exit {rc}\n{out}{err}\n{server.text()}")


CCM_SUITES = {"TLS_AES_128_CCM_SHA256": "AES-128-CCM", "TLS_AES_128_CCM_8_SHA256": "AES-128-CCM-8"}


def openssl_client_ccm(env, suite):
    server, port = env.bastion_server("--ciphers", suite)
    with server:
        rc, out, err = s_client(env, port, "-ciphersuites", suite)
        check(rc == 0, f"s_client exit {rc}\n{out}\n{err}\nserver:\n{server.text()}")
        check_line(out, f"cipher: {suite}", "status page")
        check(f"Cipher is {suite}" in out, f"s_client:\n{out}")


def bastion_client_ccm(env, suite):
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
           "-cert", env.cert("ec"), "-key", env.key("ec"), "-ciphersuites", suite]
    with Peer(cmd) as server:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)").group(1))
        rc, out, err = env.bastion_client(port, "--ciphers", suite, "--pipe", stdin_data=HTTP_GET)
        check(rc == 0, f"exit {rc}\n{err}\n{out}\nserver:\n{server.text()}")
        check_line(err, f"cipher: {suite}", "bastion client summary")
        check(f"Cipher is {suite}" in out, f"s_server page:\n{out}")


def gnutls_client_ccm(env, suite):
    server, port = env.bastion_server("--ciphers", suite, "--echo")
    with server:
        priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{CCM_SUITES[suite]}"
        data = b"ping from gnutls over CCM\n" * 1000
        rc, out, err = run_client(
            ["gnutls-cli", "--port", str(port), "--x509cafile", env.ca, "--priority", priority,
             "localhost"], data)
        check(out.encode().count(b"ping from gnutls over CCM") == 1000,
              f"gnutls-cli exit {rc}\n{err}\nserver:\n{server.text()}")
        description = re.search(r"Description: \(TLS1\.3.*", out + err)
        check(description and CCM_SUITES[suite] in description.group(0), f"gnutls-cli:\n{out}{err}")


def refused_by_default(env, suite):
    # A server not told about the suite does not accept it.
    server, port = env.bastion_server()
    with server:
        rc, out, err = s_client(env, port, "-ciphersuites", suite)
        check(rc != 0 and "handshake failure" in (out + err), f"s_client exit {rc}\n{out}\n{err}")


def algorithms_suite(env):
    cases = []
    for group in EXTRA_GROUPS:
        for hrr in (False, True):
            suffix = "/hrr" if hrr else ""
            cases.append((f"groups/openssl-s_client/{group}{suffix}",
                          lambda g=group, h=hrr: openssl_client_group(env, g, h)))
            cases.append((f"groups/openssl-s_server/{group}{suffix}",
                          lambda g=group, h=hrr: bastion_client_vs_openssl(env, g, h)))
        cases.append((f"groups/default-server/{group}", lambda g=group: default_server_group(env, g)))
        cases.append((f"groups/gnutls-cli/{group}", lambda g=group: gnutls_client_group(env, g)))
    for kind in SIGNATURE_KINDS:
        cases.append((f"signatures/openssl-s_client/{kind}",
                      lambda k=kind: openssl_client_signature(env, k)))
        cases.append((f"signatures/openssl-s_server/{kind}",
                      lambda k=kind: bastion_client_signature(env, k)))
        cases.append((f"signatures/client-certificate/{kind}",
                      lambda k=kind: client_certificate_signature(env, k)))
        cases.append((f"signatures/openssl-s_client-certificate/{kind}",
                      lambda k=kind: openssl_client_certificate_signature(env, k)))
        cases.append((f"signatures/gnutls-cli/{kind}", lambda k=kind: gnutls_client_signature(env, k)))
    for suite in CCM_SUITES:
        cases.append((f"ccm/openssl-s_client/{suite}", lambda s=suite: openssl_client_ccm(env, s)))
        cases.append((f"ccm/openssl-s_server/{suite}", lambda s=suite: bastion_client_ccm(env, s)))
        cases.append((f"ccm/gnutls-cli/{suite}", lambda s=suite: gnutls_client_ccm(env, s)))
        cases.append((f"ccm/off-by-default/{suite}", lambda s=suite: refused_by_default(env, s)))
    return cases
