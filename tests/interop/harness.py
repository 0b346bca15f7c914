"""Process, certificate and assertion helpers for the interop tests (see interop.py)."""

import os
import queue
import re
import signal
import socket
import ssl
import subprocess
import threading
import time

TIMEOUT = 10  # seconds for any single step; cases normally take a fraction of one

# With BASTION_LEAK_CHECK=1 (scripts/test sets it for the sanitizer build), our own programs
# are stopped with SIGINT so that they exit normally and LeakSanitizer runs; a sanitizer report
# in the output of any of them, or a non-zero exit of a stopped server, fails the case.
LEAK_CHECK = os.environ.get("BASTION_LEAK_CHECK") == "1"
SANITIZER_REPORT = re.compile(r"ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:")


def check_sanitizers(text, what):
    m = SANITIZER_REPORT.search(text)
    if m:
        raise CaseFailed(f"{what}: sanitizer report:\n{text[m.start():m.start() + 4000]}")


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


def check_line(text, line, where):
    check(re.search(r"^" + re.escape(line) + r"\r?$", text, re.M),
          f"expected line {line!r} in {where}:\n{text}")


# ---------------------------------------------------------------------------------------------
# Certificates


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, timeout=TIMEOUT, **kwargs)


def make_pki(d):
    """An ECDSA P-256 CA and leaves (P-256, RSA-2048, Ed25519, Ed448, P-521) for
    localhost/127.0.0.1/::1."""
    p = lambda name: os.path.join(d, name)
    for ca in ("ca", "other-ca"):
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", p(ca + ".key")])
        run(["openssl", "req", "-x509", "-new", "-key", p(ca + ".key"), "-out", p(ca + ".pem"),
             "-days", "2", "-subj", f"/O=Bastion interop/CN=Bastion {ca}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    with open(p("leaf.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    keygen = {
        "ec": lambda out: ["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
                           "-out", out],  # SEC1
        "rsa": lambda out: ["openssl", "genrsa", "-traditional", "-out", out, "2048"],  # PKCS#1
        "ed25519": lambda out: ["openssl", "genpkey", "-algorithm", "ed25519", "-out", out],
        "ed448": lambda out: ["openssl", "genpkey", "-algorithm", "ed448", "-out", out],
        "p521": lambda out: ["openssl", "ecparam", "-name", "secp521r1", "-genkey", "-noout",
                             "-out", out],
    }
    for kind, command in keygen.items():
        run(command(p(f"leaf-{kind}.key")))
        run(["openssl", "req", "-new", "-key", p(f"leaf-{kind}.key"), "-out", p(f"leaf-{kind}.csr"),
             "-subj", f"/CN=bastion-test-{kind}"])
        run(["openssl", "x509", "-req", "-in", p(f"leaf-{kind}.csr"), "-CA", p("ca.pem"),
             "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("leaf.ext"),
             "-out", p(f"leaf-{kind}.pem")])
    # PKCS#8 copy of the EC key, to load both encodings.
    run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", p("leaf-ec.key"), "-out", p("leaf-ec.p8")])


# ---------------------------------------------------------------------------------------------
# Processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Peer:
    """A background process whose output lines are collected; killed (whole group) on exit.
    With `ours` (a program of this project) and LEAK_CHECK, it is stopped with SIGINT instead
    and must exit cleanly with no sanitizer report."""

    def __init__(self, cmd, stdin=subprocess.DEVNULL, ours=False):
        self.cmd = cmd
        self.ours = ours
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace",
                                     start_new_session=True)
        self.lines = queue.Queue()
        self.output = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = ""
            if line is None or left <= 0:
                raise CaseFailed(f"{self.cmd[0]} did not print /{pattern}/:\n{self.text()}")
            m = re.search(pattern, line)
            if m:
                return m

    def text(self):
        time.sleep(0.05)
        return "".join(self.output)

    def stop(self):
        if self.ours and LEAK_CHECK:
            self._stop_cleanly()
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)

    def _stop_cleanly(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=TIMEOUT)
                self.reader.join(timeout=TIMEOUT)
                raise CaseFailed(f"{self.cmd[0]} did not stop on SIGINT:\n{self.text()}")
        self.reader.join(timeout=TIMEOUT)
        check_sanitizers(self.text(), self.cmd[0])
        if self.proc.returncode != 0:
            raise CaseFailed(f"{self.cmd[0]} exited with {self.proc.returncode}:\n{self.text()}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class OneShotTlsServer:
    """One TLS connection served by Python's ssl module in a thread, with `ctx`: reads a line,
    then lets respond(tls, raw, line) answer. A failure (a refused handshake included) is kept
    and returned by finish()."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(TIMEOUT)
        self.port = self.listener.getsockname()[1]
        self.error = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def respond(self, tls, raw, line):
        raise NotImplementedError

    def _serve(self):
        try:
            raw, _ = self.listener.accept()
            raw.settimeout(TIMEOUT)
            with self.ctx.wrap_socket(raw, server_side=True) as tls:
                line = b""
                while not line.endswith(b"\n"):
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    line += chunk
                self.respond(tls, raw, line)
        except Exception as e:  # reported by finish()
            self.error = e

    def finish(self):
        self.thread.join(timeout=TIMEOUT)
        self.listener.close()
        return self.error


def end_without_close_notify(tls):
    """A TCP FIN without close_notify (SSLSocket.shutdown leaves TLS out), then waits for the
    peer to go."""
    tls.shutdown(socket.SHUT_WR)
    while tls.recv(4096):
        pass


class TruncatingServer(OneShotTlsServer):
    """Answers the request line with `body`, then ends without close_notify."""

    def __init__(self, env, body):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(env.cert("ec"), env.key("ec"))
        self.body = body
        super().__init__(ctx)

    def respond(self, tls, raw, line):
        tls.sendall(self.body)
        end_without_close_notify(tls)


def run_client(cmd, stdin_data=b"", timeout=TIMEOUT, keep_stdin_open=False):
    """Runs a client to completion. With keep_stdin_open the input is written but stdin stays
    open until the client exits on its own (for clients that quit at end of input)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        if keep_stdin_open:
            proc.stdin.write(stdin_data)
            proc.stdin.flush()
            out, err = [], []
            ts = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stdout, out)),
                  threading.Thread(target=lambda s, b: b.append(s.read()), args=(proc.stderr, err))]
            for t in ts:
                t.start()
            proc.wait(timeout=timeout)
            for t in ts:
                t.join(timeout=timeout)
            proc.stdin.close()
            text_out = b"".join(out).decode(errors="replace")
            text_err = b"".join(err).decode(errors="replace")
        else:
            raw_out, raw_err = proc.communicate(stdin_data, timeout=timeout)
            text_out, text_err = raw_out.decode(errors="replace"), raw_err.decode(errors="replace")
        check_sanitizers(text_err, cmd[0])
        return proc.returncode, text_out, text_err
    except subprocess.TimeoutExpired:
        raise CaseFailed(f"{cmd[0]} timed out after {timeout}s: {' '.join(cmd)}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------------------------------------
# The test environment


class Env:
    def __init__(self, bindir, tmp):
        self.bastion = os.path.join(bindir, "bastion")
        self.bindir = bindir
        self.tmp = tmp
        self.ca = os.path.join(tmp, "ca.pem")
        self.other_ca = os.path.join(tmp, "other-ca.pem")

    def cert(self, kind="ec"):
        return os.path.join(self.tmp, f"leaf-{kind}.pem")

    def key(self, kind="ec"):
        return os.path.join(self.tmp, f"leaf-{kind}.key")

    def bastion_server(self, *args, cert="ec", key=None):
        key = key or self.key(cert)
        peer = Peer([self.bastion, "server", "--cert", self.cert(cert), "--key", key,
                     "--listen", "127.0.0.1:0", *args], ours=True)
        try:
            port = int(peer.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
        except CaseFailed:
            peer.stop()
            raise
        return peer, port

    def bastion_client(self, port, *args, stdin_data=b"", host="127.0.0.1"):
        return run_client([self.bastion, "client", f"{host}:{port}", "--servername", "localhost",
                           "--cafile", self.ca, *args], stdin_data)
