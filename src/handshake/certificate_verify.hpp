// CertificateVerify signing and checking (RFC 8446 §4.4.3).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/error.hpp"
#include "crypto/provider.hpp"
#include "msgs/certificate_verify.hpp"

namespace bastion::handshake {

enum class Signer : uint8_t { server, client };

// The peer's end-entity key, parsed from its certificate once.
Result<std::unique_ptr<crypto::PublicKey>> peer_public_key(const crypto::Provider& provider,
                                                           const Der& leaf);

// Proof that the peer's CertificateVerify was checked; only verify_certificate_verify makes one.
class SignatureVerified {
 private:
  SignatureVerified() = default;
  friend Result<SignatureVerified> verify_certificate_verify(const crypto::PublicKey&,
                                                             std::span<const SignatureScheme>,
                                                             const msgs::CertificateVerify&, Signer,
                                                             crypto::Bytes);
  friend Result<SignatureVerified> verify_tls12_signature(const crypto::PublicKey&,
                                                          std::span<const SignatureScheme>,
                                                          SignatureScheme, crypto::Bytes,
                                                          crypto::Bytes, std::string_view);
};

// Checks that the scheme is one we offered and fits the key, then the signature over the
// transcript hash up to the peer's Certificate.
Result<SignatureVerified> verify_certificate_verify(const crypto::PublicKey& key,
                                                    std::span<const SignatureScheme> offered,
                                                    const msgs::CertificateVerify& message,
                                                    Signer signer, crypto::Bytes transcript_hash);

// TLS 1.2 (RFC 5246 §7.4.3 and §7.4.8, RFC 8422 §5.4): a signature with `scheme` over
// `content` itself (the randoms and ServerECDHParams, or the handshake messages so far). The
// scheme must be one offered and fit the key (illegal_parameter), the signature must verify
// (decrypt_error). `what` names the message in errors.
Result<SignatureVerified> verify_tls12_signature(const crypto::PublicKey& key,
                                                 std::span<const SignatureScheme> offered,
                                                 SignatureScheme scheme, crypto::Bytes content,
                                                 crypto::Bytes signature, std::string_view what);
Result<std::vector<uint8_t>> sign_tls12(const crypto::PrivateKey& key, SignatureScheme scheme,
                                        crypto::Bytes content);

Result<msgs::CertificateVerify> sign_certificate_verify(const crypto::PrivateKey& key,
                                                        SignatureScheme scheme, Signer signer,
                                                        crypto::Bytes transcript_hash);

}  // namespace bastion::handshake
