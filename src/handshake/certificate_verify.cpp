#include "handshake/certificate_verify.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "handshake/signature_scheme.hpp"
#include "x509/certificate.hpp"

namespace bastion::handshake {
namespace {

// RFC 8446 §4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash.
std::vector<uint8_t> signed_content(Signer signer, crypto::Bytes transcript_hash) {
  std::string_view context = signer == Signer::server ? "TLS 1.3, server CertificateVerify"
                                                      : "TLS 1.3, client CertificateVerify";
  std::vector<uint8_t> content;
  content.reserve(64 + context.size() + 1 + transcript_hash.size());
  content.assign(64, 0x20);
  content.insert(content.end(), context.begin(), context.end());
  content.push_back(0);
  content.insert(content.end(), transcript_hash.begin(), transcript_hash.end());
  return content;
}

}  // namespace

Result<std::unique_ptr<crypto::PublicKey>> peer_public_key(const crypto::Provider& provider,
                                                           const Der& leaf) {
  auto params = x509::leaf_public_key(leaf);
  if (!params) return Error{ErrorCode::bad_certificate, params.error().message()};
  auto key = provider.import_public_key(*params);
  if (!key) return Error{ErrorCode::unsupported_certificate, key.error().message()};
  return std::move(key).value();
}

Result<SignatureVerified> verify_certificate_verify(const crypto::PublicKey& key,
                                                    std::span<const SignatureScheme> offered,
                                                    const msgs::CertificateVerify& message,
                                                    Signer signer, crypto::Bytes transcript_hash) {
  // RFC 8446 §4.4.3: the algorithm MUST be one offered in signature_algorithms (an
  // illegal_parameter otherwise), and the signature MUST verify (else decrypt_error).
  auto info = handshake_scheme(message.algorithm);
  if (!info || std::find(offered.begin(), offered.end(), message.algorithm) == offered.end()) {
    return Error{ErrorCode::illegal_parameter,
                 "CertificateVerify uses a scheme not offered: " + to_string(message.algorithm)};
  }
  if (!info->allows(key.type()) || !key.permits(info->alg)) {
    return Error{ErrorCode::illegal_parameter,
                 "CertificateVerify scheme does not fit the certificate's key: " +
                     to_string(message.algorithm)};
  }
  auto content = signed_content(signer, transcript_hash);
  auto ok = key.verify(info->alg, content, message.signature);
  if (!ok) return Error{ErrorCode::bad_signature, "CertificateVerify signature does not verify"};
  return SignatureVerified{};
}

Result<SignatureVerified> verify_tls12_signature(const crypto::PublicKey& key,
                                                 std::span<const SignatureScheme> offered,
                                                 SignatureScheme scheme, crypto::Bytes content,
                                                 crypto::Bytes signature, std::string_view what) {
  // RFC 5246 §7.4.1.4.1: the peer signs with a scheme we listed in signature_algorithms.
  auto info = tls12_scheme(scheme);
  if (!info || std::find(offered.begin(), offered.end(), scheme) == offered.end()) {
    return Error{ErrorCode::illegal_parameter,
                 std::string(what) + " uses a scheme not offered: " + to_string(scheme)};
  }
  if (!info->allows(key.type()) || !key.permits(info->alg)) {
    return Error{
        ErrorCode::illegal_parameter,
        std::string(what) + " scheme does not fit the certificate's key: " + to_string(scheme)};
  }
  if (!key.verify(info->alg, content, signature)) {
    return Error{ErrorCode::bad_signature, std::string(what) + " signature does not verify"};
  }
  return SignatureVerified{};
}

Result<std::vector<uint8_t>> sign_tls12(const crypto::PrivateKey& key, SignatureScheme scheme,
                                        crypto::Bytes content) {
  auto info = tls12_scheme(scheme);
  if (!info) return Error{ErrorCode::internal_error, "cannot sign with " + to_string(scheme)};
  return key.sign(info->alg, content);
}

Result<msgs::CertificateVerify> sign_certificate_verify(const crypto::PrivateKey& key,
                                                        SignatureScheme scheme, Signer signer,
                                                        crypto::Bytes transcript_hash) {
  auto info = handshake_scheme(scheme);
  if (!info) return Error{ErrorCode::internal_error, "cannot sign with " + to_string(scheme)};
  auto signature = key.sign(info->alg, signed_content(signer, transcript_hash));
  if (!signature) return std::move(signature).error();
  return msgs::CertificateVerify{scheme, std::move(signature).value()};
}

}  // namespace bastion::handshake
