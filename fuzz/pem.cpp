// The PEM readers: certificates (our own base64 and block parser) and private keys (through the
// provider, which hands PEM to libcrypto).
#include <string_view>

#include "bastion/x509.hpp"
#include "crypto/provider.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bastion;
  static const auto provider = crypto::openssl_provider();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_pem_certificates(text);
  (void)provider->load_private_key_pem(text, {});
  // With a passphrase too, so that encrypted PKCS#8 blocks are decrypted (and fail) as well.
  static constexpr uint8_t kPassphrase[] = {'f', 'u', 'z', 'z'};
  (void)provider->load_private_key_pem(text, kPassphrase);
  return 0;
}
