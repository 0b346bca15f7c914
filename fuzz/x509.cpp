// The DER/X.509 parser and the path builder. Input: a chain, each certificate as a 2-byte
// big-endian length and its DER, leaf first. Every certificate is parsed and summarised; the
// chain goes through the WebPKI verifier with the test CA as the only anchor, at a fixed time.
#include <chrono>
#include <vector>

#include "bastion/x509.hpp"
#include "crypto/provider.hpp"
#include "support/test_certs.hpp"
#include "x509/certificate.hpp"

namespace {

using namespace bastion;

const std::shared_ptr<const CertificateVerifier>& verifier() {
  static const auto v = [] {
    auto ca = parse_pem_certificates(test::kCaPem);
    if (!ca) __builtin_trap();
    auto store = TrustStore::from_ders(*ca);
    if (!store) __builtin_trap();
    return webpki_verifier(*store, crypto::openssl_provider());
  }();
  return v;
}

std::vector<Der> split_chain(const uint8_t* data, size_t size) {
  std::vector<Der> chain;
  size_t pos = 0;
  while (pos + 2 <= size && chain.size() < 20) {
    size_t length = size_t{data[pos]} << 8 | data[pos + 1];
    pos += 2;
    length = std::min(length, size - pos);
    chain.emplace_back(data + pos, data + pos + length);
    pos += length;
  }
  return chain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<Der> chain = split_chain(data, size);
  for (const Der& der : chain) {
    (void)x509::Certificate::parse(der);
    (void)describe_certificate(der);
  }
  if (chain.empty()) return 0;
  // 2026-11-23T00:00:00Z: inside the test certificates' validity.
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1795392000));
  (void)verifier()->verify_server(chain, "localhost", now);
  (void)verifier()->verify_client(chain, now);
  return 0;
}
