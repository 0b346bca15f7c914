// An X.509 v3 certificate (RFC 5280 §4), parsed strictly from DER, with the fields that path
// validation and the handshake need. Views (spans) point into the certificate's own DER, so a
// Certificate is neither copyable nor movable: it lives behind a shared_ptr.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "crypto/provider.hpp"
#include "x509/name.hpp"

namespace bastion::x509 {

using Bytes = std::span<const uint8_t>;

// RFC 5280 §4.2.1.6 GeneralName: the kinds we interpret keep their value bytes (the
// IA5String / OCTET STRING contents, or the full Name TLV for directoryName).
struct GeneralName {
  enum class Kind : uint8_t { other, email, dns, x400, directory, edi, uri, ip, registered_id };
  Kind kind = Kind::other;
  Bytes value;
};

// RFC 5280 §4.2.1.10: a GeneralSubtree (minimum 0 and no maximum, as §4.2.1.10 requires),
// checked once when the certificate is parsed, so that comparisons do not check it again.
struct NameConstraint {
  GeneralName base;
  // Whether the base is a valid constraint of its kind; a malformed one makes every name of
  // that kind fail (bad_certificate) when it is applied.
  bool well_formed = true;
  std::optional<Name> directory;  // the parsed Name of a directoryName base
};
struct NameConstraints {
  std::vector<NameConstraint> permitted;
  std::vector<NameConstraint> excluded;
};

struct BasicConstraints {
  bool ca = false;
  std::optional<uint32_t> path_len;
};

// RFC 5280 §4.2.1.3 KeyUsage bits, numbered as in the ASN.1 (bit 0 = digitalSignature).
enum class KeyUsageBit : uint8_t {
  digital_signature = 0,
  content_commitment = 1,
  key_encipherment = 2,
  data_encipherment = 3,
  key_agreement = 4,
  key_cert_sign = 5,
  crl_sign = 6,
  encipher_only = 7,
  decipher_only = 8,
};

// The signature algorithm of a certificate, when we support it.
struct SignatureAlgorithm {
  Bytes raw;  // the whole AlgorithmIdentifier TLV (both copies must be byte-identical)
  std::optional<crypto::SigAlg> alg;
};

class Certificate {
 public:
  // Parses a DER certificate. Errors: bad_certificate (malformed, duplicate extension, ...),
  // unsupported_certificate (version 1/2 with extensions, ...).
  static Result<std::shared_ptr<const Certificate>> parse(std::vector<uint8_t> der);

  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;

  Bytes der() const { return der_; }
  Bytes tbs() const { return tbs_; }
  int version() const { return version_; }  // 1, 2 or 3
  Bytes serial() const { return serial_; }
  const SignatureAlgorithm& signature_algorithm() const { return sig_alg_; }
  Bytes signature() const { return signature_; }

  Bytes issuer_raw() const { return issuer_raw_; }  // the Name TLV
  Bytes subject_raw() const { return subject_raw_; }
  const Name& issuer() const { return issuer_; }
  const Name& subject() const { return subject_; }

  // Seconds since 1970-01-01T00:00:00Z (RFC 5280 §4.1.2.5: both bounds are inclusive).
  int64_t not_before() const { return not_before_; }
  int64_t not_after() const { return not_after_; }
  // Whether both times use the ASN.1 type RFC 5280 §4.1.2.5 requires for their year (some
  // trust anchors use GeneralizedTime before 2050).
  bool validity_conforms() const { return validity_conforms_; }

  Bytes spki_raw() const { return spki_raw_; }
  // The subject public key, or the reason it is unusable (unsupported algorithm or curve).
  const Result<crypto::PublicKeyParams>& public_key() const { return public_key_; }

  const std::optional<BasicConstraints>& basic_constraints() const { return basic_constraints_; }
  bool basic_constraints_critical() const { return basic_constraints_critical_; }
  // The KeyUsage bits as a mask of (1 << KeyUsageBit), when the extension is present.
  std::optional<uint16_t> key_usage() const { return key_usage_; }
  bool has_key_usage(KeyUsageBit bit) const {
    return !key_usage_ || (*key_usage_ >> static_cast<int>(bit)) & 1;
  }
  // extKeyUsage KeyPurposeIds (OID contents), when present.
  const std::optional<std::vector<Bytes>>& extended_key_usage() const { return eku_; }
  const std::optional<std::vector<GeneralName>>& subject_alt_names() const { return san_; }
  bool san_critical() const { return san_critical_; }
  const std::optional<NameConstraints>& name_constraints() const { return name_constraints_; }
  std::optional<Bytes> authority_key_id() const { return aki_; }
  bool has_authority_key_id_extension() const { return aki_present_; }
  std::optional<Bytes> subject_key_id() const { return ski_; }
  // The OID (dotted) of the first critical extension we do not process, if any: such a
  // certificate must not be used (RFC 5280 §4.2).
  const std::optional<std::string>& unknown_critical_extension() const { return unknown_critical_; }
  bool self_issued() const;  // RFC 5280 §6.1: subject and issuer names match

 private:
  explicit Certificate(std::vector<uint8_t> der)
      : der_(std::move(der)), public_key_(Error{ErrorCode::internal_error, "not parsed"}) {}
  Result<void> parse_all();
  Result<void> parse_tbs(Bytes tbs);
  Result<void> parse_extensions(Bytes extensions);
  Result<void> parse_extension(Bytes oid, bool critical, Bytes value);

  std::vector<uint8_t> der_;
  Bytes tbs_;
  int version_ = 1;
  Bytes serial_;
  SignatureAlgorithm sig_alg_;
  Bytes signature_;
  Bytes issuer_raw_;
  Bytes subject_raw_;
  Name issuer_;
  Name subject_;
  int64_t not_before_ = 0;
  int64_t not_after_ = 0;
  bool validity_conforms_ = true;
  Bytes spki_raw_;
  Result<crypto::PublicKeyParams> public_key_;
  std::optional<BasicConstraints> basic_constraints_;
  bool basic_constraints_critical_ = false;
  std::optional<uint16_t> key_usage_;
  std::optional<std::vector<Bytes>> eku_;
  std::optional<std::vector<GeneralName>> san_;
  bool san_critical_ = false;
  std::optional<NameConstraints> name_constraints_;
  std::optional<Bytes> aki_;
  bool aki_present_ = false;
  std::optional<Bytes> ski_;
  std::optional<std::string> unknown_critical_;
};

using CertificatePtr = std::shared_ptr<const Certificate>;

// The public key of an end-entity certificate, for verifying CertificateVerify. Fails with
// bad_certificate when the DER is malformed and unsupported_certificate when the key
// algorithm is not one we support (RSA, RSASSA-PSS, ECDSA P-256/P-384/P-521, Ed25519).
Result<crypto::PublicKeyParams> leaf_public_key(Bytes der);

// Parses a SubjectPublicKeyInfo TLV.
Result<crypto::PublicKeyParams> parse_subject_public_key_info(Bytes spki);

// Parses a signature AlgorithmIdentifier TLV; nullopt when unsupported (MD5, SHA-1, DSA, ...,
// and RSASSA-PSS parameters other than MGF1 with the same hash and salt = hash length).
Result<std::optional<crypto::SigAlg>> parse_signature_algorithm(Bytes algorithm_identifier);

}  // namespace bastion::x509
