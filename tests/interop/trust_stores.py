#!/usr/bin/env python3
"""`bastion cert install` and `uninstall` against the real stores, as root: a local CA from
`bastion cert ca`, a `bastion server` with a certificate from it, and clients given no CA
option at all: curl and `bastion client` (the system store), headless Chromium (the NSS
database of a throwaway HOME). Each must fail before the install, succeed after it, and fail
again after the uninstall; the machine is left as it was (the uninstall runs whatever happens).

It changes the system trust store for a few seconds, so ctest runs it alone (RUN_SERIAL).
Chromium (about 140 MB) and certutil (libnss3-tools) are installed with apt-get when missing.

usage: trust_stores.py --bin BUILD_DIR [--case SUBSTRING]
Exit codes: 0 all passed, 1 a case failed, 77 skipped (not root, or tools not installable).
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from harness import TIMEOUT, CaseFailed, Peer, check, run_client

SYSTEM_CA_DIR = "/usr/local/share/ca-certificates"
# The programs this suite needs and the Debian package of each.
PACKAGES = {"curl": "curl", "certutil": "libnss3-tools", "chromium": "chromium",
            "update-ca-certificates": "ca-certificates"}
CHROMIUM_TIMEOUT = 60


def missing_programs():
    return [tool for tool in PACKAGES
            if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}")]


def install_missing():
    """None when everything is there (installing what is missing), else why not."""
    missing = missing_programs()
    if not missing:
        return None
    if shutil.which("apt-get") is None:
        return f"{', '.join(missing)} missing and no apt-get to install them"
    packages = sorted({PACKAGES[tool] for tool in missing})
    print(f"installing {' '.join(packages)} (apt-get)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    for attempt in (install, ["apt-get", "update", "-qq"], install):
        try:
            done = subprocess.run(attempt, env=env, capture_output=True, timeout=900)
        except subprocess.TimeoutExpired:
            return f"{' '.join(attempt)} timed out"
        if attempt is install and done.returncode == 0:
            break
    missing = missing_programs()
    return f"{', '.join(missing)} could not be installed" if missing else None


class Setup:
    def __init__(self, bindir, tmp):
        self.bastion = os.path.join(bindir, "bastion")
        self.tmp = tmp
        self.ca_dir = os.path.join(tmp, "ca")
        self.home = os.path.join(tmp, "home")  # the throwaway HOME whose NSS database we use
        os.makedirs(self.home)
        self.env = dict(os.environ, HOME=self.home)
        self.runs = 0

    def bastion_cmd(self, *args, env=None):
        proc = subprocess.run([self.bastion, *args], capture_output=True, text=True,
                              timeout=TIMEOUT * 6, env=env or self.env)
        return proc.returncode, proc.stdout, proc.stderr

    def nickname(self):
        """The CA's CN, which cert install uses as the NSS nickname."""
        rc, out, err = self.bastion_cmd("verify", os.path.join(self.ca_dir, "ca.pem"),
                                        "--cafile", os.path.join(self.ca_dir, "ca.pem"))
        m = re.search(r"^  subject: .*CN=(.+)$", out, re.M)
        check(m, f"CA subject in\n{out}{err}")
        return m.group(1)

    def nss_lists(self, nickname):
        proc = subprocess.run(["certutil", "-L", "-d", f"sql:{self.home}/.pki/nssdb", "-n",
                               nickname], capture_output=True, text=True, timeout=TIMEOUT)
        return proc.returncode == 0

    def curl(self, port):
        return run_client(["curl", "-sS", "--max-time", str(TIMEOUT), "--resolve",
                           f"localhost:{port}:127.0.0.1", f"https://localhost:{port}/"])

    def chromium(self, port):
        """Headless Chromium with the throwaway HOME and a fresh profile: (page, stderr)."""
        self.runs += 1
        profile = os.path.join(self.tmp, f"chromium-profile-{self.runs}")
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={profile}", "--dump-dom", f"https://localhost:{port}/"]
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              timeout=CHROMIUM_TIMEOUT, env=self.env)
        return proc.stdout, proc.stderr


def system_store_leftovers(file_name):
    """What remains of our CA in the system store: its file, its link in /etc/ssl/certs, and
    hash links to either."""
    if not file_name:
        return []
    ours = os.path.join(SYSTEM_CA_DIR, file_name)
    link = os.path.join("/etc/ssl/certs", os.path.splitext(file_name)[0] + ".pem")
    found = [path for path in (ours, link) if os.path.lexists(path)]
    for path in glob.glob("/etc/ssl/certs/*"):
        if os.path.islink(path) and os.readlink(path) in (ours, os.path.basename(link)):
            found.append(path)
    return found


def trust_cases(s, port):
    state = {}

    def check_page(page, where):
        check("version: TLSv1.3" in page and "sni: localhost" in page, f"{where}:\n{page}")

    def check_refused(port, where):
        rc, out, err = s.curl(port)
        check(rc == 60, f"{where}: curl exit {rc} (60: not trusted)\n{out}{err}")
        rc, out, err = run_client([s.bastion, "client", f"localhost:{port}"])
        check(rc == 1 and "unknown_issuer" in err, f"{where}: bastion client exit {rc}\n{out}{err}")
        page, log = s.chromium(port)
        check("version: TLSv1.3" not in page and "ERR_CERT_AUTHORITY_INVALID" in log,
              f"{where}: chromium loaded the page:\n{page}\n{log[-2000:]}")

    def before_install():
        state["nickname"] = s.nickname()
        check_refused(port, "before install")

    def install():
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", s.ca_dir)
        check(rc == 0 and err == "", f"exit {rc}\n{out}{err}")
        m = re.search(r"^  system store: installed as (/usr/local/share/ca-certificates/"
                      r"(bastion-[a-z0-9-]+\.crt)) \(update-ca-certificates\)$", out, re.M)
        check(m, out)
        state["file"] = m.group(2)
        check(os.path.exists(m.group(1)), f"{m.group(1)} missing")
        check(f'  NSS database {s.home}/.pki/nssdb: trusted as "{state["nickname"]}"' in out, out)
        check(s.nss_lists(state["nickname"]), "certutil -L does not list the CA")
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", s.ca_dir)  # again: no harm
        check(rc == 0, f"second install: exit {rc}\n{out}{err}")

    def curl_and_bastion_after_install():
        rc, out, err = s.curl(port)
        check(rc == 0, f"curl exit {rc}\n{err}")
        check_page(out, "curl")
        rc, out, err = run_client([s.bastion, "client", f"localhost:{port}"])
        check(rc == 0 and "verified: yes" in out, f"bastion client exit {rc}\n{out}{err}")

    def chromium_after_install():
        page, log = s.chromium(port)
        check_page(page, f"chromium page (log:\n{log[-2000:]})")

    def uninstall():
        rc, out, err = s.bastion_cmd("cert", "uninstall", "--dir", s.ca_dir)
        check(rc == 0 and err == "", f"exit {rc}\n{out}{err}")
        check(f"  system store: removed /usr/local/share/ca-certificates/{state['file']}" in out,
              out)
        check(f'  NSS database {s.home}/.pki/nssdb: removed "{state["nickname"]}"' in out, out)
        check(not s.nss_lists(state["nickname"]), "certutil -L still lists the CA")
        left = system_store_leftovers(state["file"])
        check(not left, f"left in the system store: {left}")
        check_refused(port, "after uninstall")
        rc, out, err = s.bastion_cmd("cert", "uninstall", "--dir", s.ca_dir)
        check(rc == 0 and "system store: not installed" in out and "nssdb: not installed" in out,
              f"second uninstall: exit {rc}\n{out}{err}")

    def nss_only():
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", s.ca_dir, "--store", "nss")
        check(rc == 0 and "system store" not in out, f"exit {rc}\n{out}{err}")
        try:
            chromium_after_install()
            rc, out, err = s.curl(port)
            check(rc == 60, f"curl trusts a CA only in NSS: exit {rc}")
        finally:
            rc, out, err = s.bastion_cmd("cert", "uninstall", "--dir", s.ca_dir, "--store", "nss")
        check(rc == 0 and not s.nss_lists(state["nickname"]), f"exit {rc}\n{out}{err}")

    def not_root():
        setpriv = shutil.which("setpriv")
        check(setpriv, "setpriv (util-linux) missing")
        rc, out, err = run_client([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                                   s.bastion, "cert", "install", "--dir", s.ca_dir, "--store",
                                   "system"])
        check(rc == 1 and "error: system store: needs root: run sudo bastion cert install" in err,
              f"exit {rc}\n{out}{err}")
        check(not system_store_leftovers(state["file"]), "a non-root install left files")

    def certutil_missing():
        env = dict(s.env, PATH=os.path.join(s.tmp, "empty-path"))
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", s.ca_dir, "--store", "nss",
                                     env=env)
        check(rc == 1 and "error: NSS database: certutil not found: install it with apt-get "
              "install libnss3-tools" in err, f"exit {rc}\n{out}{err}")

    def bad_usage():
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", s.ca_dir, "--store", "java")
        check(rc == 2 and "unknown --store 'java'" in err, f"exit {rc}\n{err}")
        rc, out, err = s.bastion_cmd("cert", "install", "--dir", os.path.join(s.tmp, "no-ca"))
        check(rc == 1 and "bastion cert ca --dir" in err, f"exit {rc}\n{err}")

    return [("trust/before-install", before_install), ("trust/install", install),
            ("trust/curl-and-bastion-after-install", curl_and_bastion_after_install),
            ("trust/chromium-after-install", chromium_after_install),
            ("trust/uninstall", uninstall), ("trust/nss-only", nss_only),
            ("trust/not-root", not_root), ("trust/certutil-missing", certutil_missing),
            ("trust/bad-usage", bad_usage)], state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="build directory holding ./bastion")
    parser.add_argument("--case", default="", help="run only cases whose name contains this")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("skipped: the system store needs root")
        return 77
    why = install_missing()
    if why:
        print(f"skipped: {why}")
        return 77

    failures, count = [], 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bastion-trust-") as tmp:
        os.chmod(tmp, 0o755)  # the not-root case reads the CA as nobody
        s = Setup(os.path.abspath(args.bin), tmp)
        rc, out, err = s.bastion_cmd("cert", "ca", "--dir", s.ca_dir)
        check(rc == 0, f"cert ca: {out}{err}")
        rc, out, err = s.bastion_cmd("cert", "issue", "localhost", "127.0.0.1", "--ca", s.ca_dir,
                                     "--dir", s.ca_dir)
        check(rc == 0, f"cert issue: {out}{err}")
        server = Peer([s.bastion, "server", "--cert", os.path.join(s.ca_dir, "localhost.pem"),
                       "--key", os.path.join(s.ca_dir, "localhost-key.pem"), "--listen",
                       "127.0.0.1:0"], ours=True)
        cases, state = [], {}
        try:
            port = int(server.wait_for(r"^listening on 127\.0\.0\.1:(\d+)").group(1))
            cases, state = trust_cases(s, port)
            for case, fn in cases:
                if args.case not in case:
                    continue
                count += 1
                t0 = time.monotonic()
                try:
                    fn()
                    print(f"ok   {case} ({time.monotonic() - t0:.2f}s)", flush=True)
                except (CaseFailed, subprocess.SubprocessError, OSError) as e:
                    failures.append(case)
                    print(f"FAIL {case} ({time.monotonic() - t0:.2f}s): {e}", flush=True)
        finally:
            server.stop()
            # Whatever happened, the machine keeps no trust in the CA.
            s.bastion_cmd("cert", "uninstall", "--dir", s.ca_dir)
            left = system_store_leftovers(state.get("file"))
            if left:
                failures.append("trust/leaves-the-machine-clean")
                print(f"FAIL trust/leaves-the-machine-clean: {left}", flush=True)
    print(f"{count - len(failures)}/{count} passed in {time.monotonic() - start:.1f}s")
    for case in failures:
        print(f"failed: {case}")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
