// bastion cert: a local CA for development, as mkcert makes one.
#pragma once

#include <string_view>

namespace bastion::cli {

// `bastion cert ca ...` and `bastion cert issue ...`: argv[0] is "cert", argv[1] the
// sub-command. Returns the process exit code (0, 1 on failure, 2 on a usage error).
int run_cert_command(int argc, char** argv);

// The lines `bastion --help` shows for the command.
inline constexpr std::string_view kCertUsage =
    R"(  cert ca             create a local CA: ca.pem and ca-key.pem (never replaced)
      --dir DIR           where to write them (default: the current directory)
      --key-type TYPE     ecdsa (P-256, default), ecdsa-p384, rsa2048, rsa3072, ed25519
  cert issue NAME...   issue a TLS server/client certificate for DNS names (*.example.test
                       wildcards too), IP addresses and emails: NAME.pem and NAME-key.pem,
                       NAME being the first name ('*' as _wildcard, ':' as _)
      --ca DIR            the CA's directory (default: the current directory)
      --dir DIR           where to write them (default: the current directory)
      --key-type TYPE     as for cert ca (default ecdsa)
      --days N            validity in days (default 825)
)";

}  // namespace bastion::cli
