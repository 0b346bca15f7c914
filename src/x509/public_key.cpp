// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and signature AlgorithmIdentifiers (RFC 4055,
// RFC 5758, RFC 8410), parsed into the crypto provider's terms.
#include "x509/certificate.hpp"
#include "x509/der.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {

namespace {

Error malformed(std::string detail) {
  return Error{ErrorCode::bad_certificate, std::move(detail)};
}
Error unsupported(std::string detail) {
  return Error{ErrorCode::unsupported_certificate, std::move(detail)};
}

// An AlgorithmIdentifier: the OID and the parameters' whole TLV (empty when absent).
struct AlgorithmId {
  Bytes oid;
  Bytes params;
};

bool read_algorithm(Bytes tlv, AlgorithmId& out) {
  der::Reader outer(tlv);
  der::Reader seq(Bytes{});
  if (!outer.enter(der::kSequence, seq) || !outer.empty()) return false;
  if (!seq.read(der::kOid, out.oid) || !der::is_valid_oid(out.oid)) return false;
  out.params = {};
  if (!seq.empty()) {
    uint8_t tag = 0;
    Bytes contents;
    if (!seq.read_any(tag, contents, &out.params) || !seq.empty()) return false;
  }
  return true;
}

bool is_null(Bytes params) {
  return params.size() == 2 && params[0] == der::kNull && params[1] == 0;
}

// RFC 4055 §2.1: hash AlgorithmIdentifiers carry NULL or absent parameters.
std::optional<crypto::HashAlg> hash_algorithm(Bytes tlv) {
  AlgorithmId id;
  if (!read_algorithm(tlv, id) || !(id.params.empty() || is_null(id.params))) return std::nullopt;
  if (oid::kSha256 == id.oid) return crypto::HashAlg::sha256;
  if (oid::kSha384 == id.oid) return crypto::HashAlg::sha384;
  if (oid::kSha512 == id.oid) return crypto::HashAlg::sha512;
  return std::nullopt;
}

// RFC 4055 §3.1 RSASSA-PSS-params, as far as we support them: SHA-2 hashes (the SHA-1 defaults
// are not), MGF1, trailer field 1.
struct PssParams {
  crypto::HashAlg hash;
  crypto::HashAlg mgf_hash;
  uint64_t salt;
};

std::optional<PssParams> parse_pss_params(Bytes params) {
  der::Reader outer(params);
  der::Reader seq(Bytes{});
  if (!outer.enter(der::kSequence, seq) || !outer.empty()) return std::nullopt;
  // The defaults (SHA-1) are not supported, so [0] and [1] must be present.
  Bytes hash_tlv_outer, mgf_outer;
  if (!seq.read(der::context_constructed(0), hash_tlv_outer)) return std::nullopt;
  if (!seq.read(der::context_constructed(1), mgf_outer)) return std::nullopt;
  const auto hash = hash_algorithm(hash_tlv_outer);
  if (!hash) return std::nullopt;
  AlgorithmId mgf;
  if (!read_algorithm(mgf_outer, mgf) || !(oid::kMgf1 == mgf.oid)) return std::nullopt;
  const auto mgf_hash = hash_algorithm(mgf.params);
  if (!mgf_hash) return std::nullopt;
  uint64_t salt = 20;
  std::optional<Bytes> salt_outer;
  if (!seq.read_optional(der::context_constructed(2), salt_outer)) return std::nullopt;
  if (salt_outer) {
    der::Reader r(*salt_outer);
    Bytes v;
    if (!r.read(der::kInteger, v) || !r.empty()) return std::nullopt;
    const auto s = der::decode_uint(v);
    if (!s) return std::nullopt;
    salt = *s;
  }
  std::optional<Bytes> trailer_outer;
  if (!seq.read_optional(der::context_constructed(3), trailer_outer) || !seq.empty()) {
    return std::nullopt;
  }
  if (trailer_outer) {
    der::Reader r(*trailer_outer);
    Bytes v;
    if (!r.read(der::kInteger, v) || !r.empty() || der::decode_uint(v) != 1u) return std::nullopt;
  }
  return PssParams{*hash, *mgf_hash, salt};
}

// A PSS signature algorithm: what TLS 1.3 uses, MGF1 with the message hash and a salt of the
// hash's length. Anything else is nullopt.
std::optional<crypto::SigAlg> pss_algorithm(Bytes params) {
  const auto pss = parse_pss_params(params);
  if (!pss || pss->mgf_hash != pss->hash || pss->salt != crypto::hash_length(pss->hash)) {
    return std::nullopt;
  }
  switch (pss->hash) {
    case crypto::HashAlg::sha256:
      return crypto::SigAlg::rsa_pss_sha256;
    case crypto::HashAlg::sha384:
      return crypto::SigAlg::rsa_pss_sha384;
    case crypto::HashAlg::sha512:
      return crypto::SigAlg::rsa_pss_sha512;
  }
  return std::nullopt;
}

// Bounds on RSA keys, so that no certificate makes a signature check cost much: the moduli
// that CAs use (up to 8192 bits, as webpki allows), and odd public exponents of at most 32
// bits (65537 in practice; a huge exponent made one check cost milliseconds).
constexpr size_t kMaxRsaModulusBits = 8192;
constexpr size_t kMaxRsaExponentBytes = 4;

Result<crypto::PublicKeyParams> parse_rsa_key(Bytes key_bits, crypto::KeyType type) {
  // RFC 8017 §A.1.1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
  der::Reader outer(key_bits);
  der::Reader seq(Bytes{});
  Bytes n, e;
  if (!outer.enter(der::kSequence, seq) || !outer.empty() || !seq.read(der::kInteger, n) ||
      !seq.read(der::kInteger, e) || !seq.empty() || !der::is_valid_integer(n) ||
      !der::is_valid_integer(e) || (n[0] & 0x80) || (e[0] & 0x80)) {
    return malformed("malformed RSA public key");
  }
  if (n[0] == 0) n = n.subspan(1);
  if (e[0] == 0) e = e.subspan(1);
  if (n.empty() || e.empty()) return malformed("RSA public key with a zero modulus or exponent");
  if (n.size() > kMaxRsaModulusBits / 8) {
    return unsupported("RSA modulus over " + std::to_string(kMaxRsaModulusBits) + " bits");
  }
  // RFC 8017 §3.1: 3 <= e < n, and e odd.
  if (e.size() > kMaxRsaExponentBytes || (e.back() & 1) == 0 || (e.size() == 1 && e[0] < 3)) {
    return unsupported("RSA public exponent is even, below 3 or over 32 bits");
  }
  crypto::PublicKeyParams key;
  key.type = type;
  key.rsa_modulus.assign(n.begin(), n.end());
  key.rsa_exponent.assign(e.begin(), e.end());
  return key;
}

}  // namespace

Result<crypto::PublicKeyParams> parse_subject_public_key_info(Bytes spki) {
  der::Reader outer(spki);
  der::Reader seq(Bytes{});
  Bytes algorithm_tlv, bits_contents;
  if (!outer.enter(der::kSequence, seq) || !outer.empty() ||
      !seq.read_tlv(der::kSequence, algorithm_tlv) || !seq.read(der::kBitString, bits_contents) ||
      !seq.empty()) {
    return malformed("malformed SubjectPublicKeyInfo");
  }
  AlgorithmId alg;
  const auto bits = der::decode_bit_string(bits_contents);
  if (!read_algorithm(algorithm_tlv, alg) || !bits || bits->unused_bits != 0) {
    return malformed("malformed SubjectPublicKeyInfo");
  }
  if (oid::kRsaEncryption == alg.oid) {
    // RFC 3279 §2.3.1: the parameters field MUST have ASN.1 type NULL.
    if (!is_null(alg.params)) return malformed("rsaEncryption key without NULL parameters");
    return parse_rsa_key(bits->bytes, crypto::KeyType::rsa);
  }
  if (oid::kRsassaPss == alg.oid) {
    // RFC 4055 §3.1: absent parameters leave the key unrestricted; present ones restrict it
    // to one hash (for MGF1 too) and a minimum salt length, enforced by key_permits().
    std::optional<crypto::PssRestriction> restriction;
    if (!alg.params.empty()) {
      const auto pss = parse_pss_params(alg.params);
      if (!pss || pss->mgf_hash != pss->hash) {
        return unsupported("unsupported RSASSA-PSS key parameters");
      }
      restriction = crypto::PssRestriction{pss->hash, static_cast<size_t>(pss->salt)};
    }
    auto key = parse_rsa_key(bits->bytes, crypto::KeyType::rsa_pss);
    if (key) key->pss = restriction;
    return key;
  }
  if (oid::kEcPublicKey == alg.oid) {
    // RFC 5480 §2.1.1: namedCurve only; implicitCurve and specifiedCurve MUST NOT be used.
    der::Reader p(alg.params);
    Bytes curve;
    if (!p.read(der::kOid, curve) || !p.empty()) {
      return unsupported("EC key without a named curve");
    }
    crypto::PublicKeyParams key;
    size_t coordinate = 0;
    if (oid::kSecp256r1 == curve) {
      key.type = crypto::KeyType::ec_p256;
      coordinate = 32;
    } else if (oid::kSecp384r1 == curve) {
      key.type = crypto::KeyType::ec_p384;
      coordinate = 48;
    } else if (oid::kSecp521r1 == curve) {
      key.type = crypto::KeyType::ec_p521;
      coordinate = 66;
    } else {
      return unsupported("unsupported elliptic curve " + oid_to_string(curve));
    }
    // RFC 5480 §2.2: the uncompressed form MUST be supported; we accept only it.
    if (bits->bytes.size() != 1 + 2 * coordinate || bits->bytes[0] != 0x04) {
      return unsupported("EC public key not in uncompressed form");
    }
    key.point.assign(bits->bytes.begin(), bits->bytes.end());
    return key;
  }
  const bool ed25519 = oid::kEd25519 == alg.oid;
  if (ed25519 || oid::kEd448 == alg.oid) {
    // RFC 8410 §3: the parameters MUST be absent; RFC 8032: keys of 32 and 57 bytes.
    if (!alg.params.empty() || bits->bytes.size() != (ed25519 ? 32u : 57u)) {
      return malformed("malformed EdDSA public key");
    }
    crypto::PublicKeyParams key;
    key.type = ed25519 ? crypto::KeyType::ed25519 : crypto::KeyType::ed448;
    key.point.assign(bits->bytes.begin(), bits->bytes.end());
    return key;
  }
  return unsupported("unsupported public key algorithm " + oid_to_string(alg.oid));
}

Result<std::optional<crypto::SigAlg>> parse_signature_algorithm(Bytes algorithm_identifier) {
  AlgorithmId alg;
  if (!read_algorithm(algorithm_identifier, alg)) return malformed("malformed AlgorithmIdentifier");
  using crypto::SigAlg;
  // RFC 4055 §5: sha*WithRSAEncryption parameters are NULL (absent is accepted as equivalent).
  const bool null_or_absent = alg.params.empty() || is_null(alg.params);
  if (oid::kSha256WithRsa == alg.oid && null_or_absent) return {SigAlg::rsa_pkcs1_sha256};
  if (oid::kSha384WithRsa == alg.oid && null_or_absent) return {SigAlg::rsa_pkcs1_sha384};
  if (oid::kSha512WithRsa == alg.oid && null_or_absent) return {SigAlg::rsa_pkcs1_sha512};
  // RFC 5758 §3.2: ecdsa-with-SHA* parameters MUST be absent.
  if (oid::kEcdsaWithSha256 == alg.oid && alg.params.empty()) return {SigAlg::ecdsa_sha256};
  if (oid::kEcdsaWithSha384 == alg.oid && alg.params.empty()) return {SigAlg::ecdsa_sha384};
  if (oid::kEcdsaWithSha512 == alg.oid && alg.params.empty()) return {SigAlg::ecdsa_sha512};
  // RFC 8410 §3: parameters MUST be absent.
  if (oid::kEd25519 == alg.oid && alg.params.empty()) return {SigAlg::ed25519};
  if (oid::kEd448 == alg.oid && alg.params.empty()) return {SigAlg::ed448};
  if (oid::kRsassaPss == alg.oid) {
    return pss_algorithm(alg.params);
  }
  return std::optional<SigAlg>{};
}

}  // namespace bastion::x509
