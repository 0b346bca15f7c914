#include "help.hpp"

#include <array>

namespace bastion::cli {
namespace {

constexpr OptionSpec kHelp{"help", {}, "print this command's options"};

// --alpn, --groups, --ciphers and the versions mean the same to the client and the server,
// except for whose preference counts.
constexpr OptionSpec kClientOptions[] = {
    {"servername", "NAME", "name sent as SNI and checked against the certificate (default HOST)"},
    {"cafile", "PEM|DIR",
     "trust the CA certificates in PEM, or in the *.pem and *.crt files of DIR (default: the "
     "system's)"},
    {"capath", "DIR", "trust the CA certificates in the *.pem and *.crt files of DIR"},
    {"alpn", "LIST", "protocols to offer, e.g. h2,http/1.1"},
    {"groups", "LIST", "key exchange groups in preference order, e.g. x25519,secp256r1"},
    {"ciphers", "LIST",
     "cipher suites, e.g. TLS_AES_128_GCM_SHA256 (TLS 1.3) or "
     "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (TLS 1.2)"},
    {"min-version", "V", "lowest version to offer, 1.2 or 1.3 (default 1.2)"},
    {"max-version", "V", "highest version to offer, 1.2 or 1.3 (default 1.3)"},
    {"cert", "PEM", "client certificate chain, presented when the server asks (mutual TLS)"},
    {"key", "PEM", "the private key of --cert"},
    {"key-password-file", "FILE",
     "the passphrase of an encrypted --key: the first line of FILE (default: the "
     "BASTION_KEY_PASSWORD environment variable)"},
    {"timeout", "SECONDS",
     "limit for the TCP connect, for the handshake and for each later wait on the server (in "
     "--pipe once stdin has ended); default 30 s for the connect and the handshake, no limit "
     "after; 0: no limit at all"},
    {"showcerts",
     {},
     "print the chain the server presented: subject, issuer, names, validity and PEM of each "
     "certificate (also when it failed verification, marked unverified)"},
    {"json", {}, "print the summary as one JSON object on stdout (not with --pipe)"},
    {"keylog", "FILE",
     "append the session keys to FILE in the NSS key log format (default: the file named by "
     "SSLKEYLOGFILE)"},
    {"export", "LABEL:LENGTH",
     "print LENGTH (1 to 1024) bytes of keying material exported for LABEL (RFC 5705, RFC 8446 "
     "section 7.5), in hex"},
    {"reconnect",
     {},
     "connect a second time, offering a ticket from the first connection, and print the second "
     "summary too (\"resumed: yes\" when the server accepted it)"},
    {"pipe",
     {},
     "then copy stdin to the connection and the connection to stdout (the summary goes to stderr)"},
    {"insecure", {}, "do not require a valid certificate (it is still checked and reported)"},
    kHelp,
};

constexpr OptionSpec kServerOptions[] = {
    {"cert", "PEM", "certificate chain to serve, leaf first (required)"},
    {"key", "PEM", "its private key (required)"},
    {"key-password-file", "FILE",
     "the passphrase of an encrypted --key: the first line of FILE (default: the "
     "BASTION_KEY_PASSWORD environment variable)"},
    {"listen", "ADDR:PORT", "address to listen on (default 127.0.0.1:4433; port 0 picks one)"},
    {"alpn", "LIST",
     "protocols accepted, server preference first (default http/1.1, none with --echo)"},
    {"groups", "LIST", "key exchange groups, server preference first"},
    {"ciphers", "LIST", "cipher suites (TLS 1.3 and 1.2), server preference first"},
    {"min-version", "V", "lowest version accepted, 1.2 or 1.3 (default 1.2)"},
    {"max-version", "V", "highest version accepted, 1.2 or 1.3 (default 1.3)"},
    {"echo", {}, "echo bytes back until the client closes"},
    {"www", "DIR",
     "serve the files of DIR over HTTP/1.1 (default: an HTTP response describing the connection)"},
    {"client-ca", "PEM",
     "ask clients for a certificate issued by a CA of PEM (mutual TLS); each connection's client "
     "subject and verification are logged"},
    {"require-client-cert", {}, "refuse clients without one (alert certificate_required)"},
    {"no-tickets", {}, "send no session tickets (no resumption)"},
    {"max-connections", "N", "connections served at once (default 256; more wait)"},
    {"handshake-timeout", "SECONDS",
     "limit for each handshake and each HTTP request head (default 10; 0: none)"},
    {"idle-timeout", "SECONDS", "limit for each wait on a client (default 30; 0: none)"},
    {"keylog", "FILE",
     "append the session keys to FILE in the NSS key log format (default: the file named by "
     "SSLKEYLOGFILE)"},
    kHelp,
};

constexpr OptionSpec kVerifyOptions[] = {
    {"cafile", "PEM|DIR",
     "trust anchors: the certificates in PEM, or in the *.pem and *.crt files of DIR (default: the "
     "system's)"},
    {"capath", "DIR", "trust anchors from the *.pem and *.crt files of DIR"},
    {"untrusted", "PEM", "more intermediate certificates the path may use"},
    {"name", "HOST|IP",
     "the DNS name or IP address the certificate must match (--purpose server; without it the name "
     "is not checked)"},
    {"purpose", "server|client", "the extended key usage to require (default server)"},
    {"at", "TIME",
     "validate at TIME instead of now: RFC 3339 (2026-01-01T00:00:00Z), a date (2026-01-01) or "
     "@UNIX-SECONDS"},
    kHelp,
};

constexpr OptionSpec kCertCaOptions[] = {
    {"dir", "DIR", "where to write ca.pem and ca-key.pem (default: the current directory)"},
    {"key-type", "TYPE", "ecdsa (P-256, default), ecdsa-p384, rsa2048, rsa3072, ed25519"},
    kHelp,
};

constexpr OptionSpec kCertIssueOptions[] = {
    {"ca", "DIR", "the CA's directory (default: the current directory)"},
    {"dir", "DIR", "where to write them (default: the current directory)"},
    {"key-type", "TYPE", "as for cert ca (default ecdsa)"},
    {"days", "N", "validity in days (default 825)"},
    kHelp,
};

constexpr OptionSpec kCertTrustOptions[] = {
    {"dir", "CA", "the CA's directory, holding ca.pem (default: the current directory)"},
    {"store", "system|nss",
     "only this store (default both): the system's (Debian: /usr/local/share/ca-certificates, "
     "needs root) or the NSS database of Chromium and Firefox ($HOME/.pki/nssdb and Firefox "
     "profiles)"},
    kHelp,
};

}  // namespace

const CommandSpec kClientCommand{
    "client", "HOST[:PORT] [options]",
    "  connect (PORT defaults to 443; IPv6 as [::1]:443), print what was negotiated and\n"
    "  the server's certificate, then close\n",
    kClientOptions,
    "On failure one line goes to stderr, error: <reason>[ (peer sent <alert>)]: <detail>,\n"
    "and the exit status is 1 (2 for a usage error).\n"};

const CommandSpec kServerCommand{
    "server", "--cert PEM --key PEM [options]", "  serve TLS clients, many at once, until Ctrl-C\n",
    kServerOptions,
    "Answers HTTP (a status page, or the files of --www) and negotiates ALPN http/1.1 when\n"
    "the client offers it (--alpn overrides); --echo echoes bytes and negotiates no ALPN\n"
    "unless --alpn is given. Files and directories whose names start with '.' are not served.\n"
    "Sends two session tickets after each handshake (resumption); --no-tickets: none.\n"
    "Limits: --max-connections at once (more wait to be accepted); each handshake, and each\n"
    "HTTP request head, must arrive within --handshake-timeout; a connection waits at most\n"
    "--idle-timeout on its client.\n"};

const CommandSpec kVerifyCommand{
    "verify", "CHAIN.pem [options]",
    "  validate the certificate chain of CHAIN.pem (leaf first, intermediates in any order)\n"
    "  as the client and server do: a path to a trust anchor, signatures, validity, CA\n"
    "  rights, name constraints, extended key usage and the name\n",
    kVerifyOptions,
    "Prints each certificate and OK, or the precise reason. Exit status: 0 valid, 1 not\n"
    "valid or unreadable, 2 usage error.\n"};

const CommandSpec kCertCaCommand{"cert ca",
                                 "[options]",
                                 "  create a local CA: ca.pem and ca-key.pem (never replaced)\n",
                                 kCertCaOptions,
                                 {}};

const CommandSpec kCertIssueCommand{
    "cert issue",
    "NAME... [options]",
    "  issue a TLS server/client certificate for DNS names (*.example.test wildcards\n"
    "  too), IP addresses and emails: NAME.pem and NAME-key.pem, NAME being the first\n"
    "  name ('*' as _wildcard, ':' as _)\n",
    kCertIssueOptions,
    {}};

const CommandSpec kCertInstallCommand{
    "cert install", "[options]",
    "  trust the local CA in the system store and in the NSS database of Chromium and\n"
    "  Firefox, as mkcert -install does\n",
    kCertTrustOptions,
    "The system store needs root (sudo) and update-ca-certificates; the NSS database needs\n"
    "certutil (Debian: apt-get install libnss3-tools). Remove it with bastion cert uninstall.\n"};

const CommandSpec kCertUninstallCommand{
    "cert uninstall",
    "[options]",
    "  remove the local CA from the stores cert install put it in\n",
    kCertTrustOptions,
    {}};

std::span<const CommandSpec* const> all_commands() {
  static constexpr std::array<const CommandSpec*, 7> kCommands = {
      &kClientCommand,    &kServerCommand,      &kVerifyCommand,        &kCertCaCommand,
      &kCertIssueCommand, &kCertInstallCommand, &kCertUninstallCommand,
  };
  return kCommands;
}

std::string command_help(const CommandSpec& command) {
  std::string out = "usage: bastion " + std::string(command.name) + " " +
                    std::string(command.synopsis) + "\n" + std::string(command.summary) +
                    "\noptions:\n" + format_options(command.options);
  if (!command.notes.empty()) out += "\n" + std::string(command.notes);
  return out;
}

std::string cert_help() {
  std::string out = "usage: bastion cert ca|issue|install|uninstall [options]\n";
  for (const CommandSpec* command : all_commands()) {
    if (!command->name.starts_with("cert ")) continue;
    out += "\nbastion " + std::string(command->name) + " " + std::string(command->synopsis) + "\n" +
           std::string(command->summary) + format_options(command->options);
  }
  return out;
}

std::string full_help() {
  std::string out =
      "usage: bastion <command> [options]   (bastion <command> --help: that command only)\n";
  for (const CommandSpec* command : all_commands()) {
    out += "\nbastion " + std::string(command->name) + " " + std::string(command->synopsis) + "\n" +
           std::string(command->summary) + format_options(command->options);
  }
  out +=
      "\nbastion version\n  print the version\n"
      "bastion help\n  print this text\n\n"
      "SSLKEYLOGFILE, when set, names a file that receives the session keys (NSS key log\n"
      "format) of the client and the server.\n";
  return out;
}

}  // namespace bastion::cli
