#include "implementation.hpp"
#include "support/test_certs.hpp"

namespace bench {

const char* ca_pem() {
  return bastion::test::kCaPem;
}

const char* leaf_cert_pem(KeyKind key) {
  return key == KeyKind::ecdsa_p256 ? bastion::test::kEcdsaCertPem : bastion::test::kRsaCertPem;
}

const char* leaf_key_pem(KeyKind key) {
  return key == KeyKind::ecdsa_p256 ? bastion::test::kEcdsaKeyPem : bastion::test::kRsaKeyPem;
}

}  // namespace bench
