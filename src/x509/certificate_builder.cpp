#include "x509/certificate_builder.hpp"

#include <algorithm>
#include <array>
#include <concepts>

#include "x509/certificate.hpp"
#include "x509/der_writer.hpp"
#include "x509/names.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {

namespace {

using der::Writer;

// id-at-commonName (2.5.4.3) and id-at-organizationName (2.5.4.10), RFC 5280 Appendix A.1.
constexpr oid::Oid<3> kCommonName{{0x55, 0x04, 0x03}};
constexpr oid::Oid<3> kOrganizationName{{0x55, 0x04, 0x0a}};

// The SEQUENCE OF GeneralName tags we write (RFC 5280 §4.2.1.6, IMPLICIT).
constexpr uint8_t kRfc822Name = 1;
constexpr uint8_t kDnsName = 2;
constexpr uint8_t kIpAddress = 7;

// The AKI's [0] keyIdentifier (RFC 5280 §4.2.1.1).
constexpr uint8_t kKeyIdentifierTag = 0;

constexpr size_t kSerialLength = 16;
constexpr size_t kKeyIdentifierLength = 20;

Error invalid(std::string detail) {
  return Error{ErrorCode::invalid_config, std::move(detail)};
}

struct AltName {
  uint8_t tag = 0;
  std::vector<uint8_t> value;
};

bool is_valid_email(std::string_view email) {
  // RFC 5280 §4.2.1.6: an rfc822Name is an RFC 5321 Mailbox, local-part "@" domain.
  const size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos) return false;
  const std::string_view local = email.substr(0, at);
  const bool printable = std::all_of(local.begin(), local.end(),
                                     [](char c) { return c > 0x20 && c < 0x7f && c != '@'; });
  return printable && is_valid_presented_dns_name(email.substr(at + 1), false);
}

Result<AltName> alt_name(std::string_view name) {
  if (auto ip = parse_ip_address(name)) return AltName{kIpAddress, std::move(*ip)};
  if (name.find('@') != std::string_view::npos) {
    if (!is_valid_email(name)) return invalid("not a valid email address: " + std::string(name));
    return AltName{kRfc822Name, {name.begin(), name.end()}};
  }
  if (!is_valid_presented_dns_name(name, true)) {
    return invalid("not a valid DNS name, IP address or email address: " + std::string(name));
  }
  return AltName{kDnsName, {name.begin(), name.end()}};
}

// The algorithm a key signs certificates with and its AlgorithmIdentifier TLV.
struct SignatureAlgorithmChoice {
  crypto::SigAlg alg;
  std::vector<uint8_t> identifier;
};

Result<SignatureAlgorithmChoice> signature_algorithm_for(crypto::KeyType type) {
  SignatureAlgorithmChoice choice{crypto::SigAlg::ecdsa_sha256, {}};
  Writer w(choice.identifier);
  switch (type) {
    case crypto::KeyType::ec_p256:
      // RFC 5758 §3.2: the parameters of ecdsa-with-SHA* MUST be absent.
      w.sequence([&] { w.oid(oid::kEcdsaWithSha256); });
      return choice;
    case crypto::KeyType::ec_p384:
      choice.alg = crypto::SigAlg::ecdsa_sha384;
      w.sequence([&] { w.oid(oid::kEcdsaWithSha384); });
      return choice;
    case crypto::KeyType::ec_p521:
      choice.alg = crypto::SigAlg::ecdsa_sha512;
      w.sequence([&] { w.oid(oid::kEcdsaWithSha512); });
      return choice;
    case crypto::KeyType::rsa:
      // RFC 4055 §5: the parameters of sha256WithRSAEncryption MUST be NULL.
      choice.alg = crypto::SigAlg::rsa_pkcs1_sha256;
      w.sequence([&] {
        w.oid(oid::kSha256WithRsa);
        w.null();
      });
      return choice;
    case crypto::KeyType::ed25519:
      // RFC 8410 §3: the parameters of id-Ed25519 and id-Ed448 MUST be absent.
      choice.alg = crypto::SigAlg::ed25519;
      w.sequence([&] { w.oid(oid::kEd25519); });
      return choice;
    case crypto::KeyType::ed448:
      choice.alg = crypto::SigAlg::ed448;
      w.sequence([&] { w.oid(oid::kEd448); });
      return choice;
    case crypto::KeyType::rsa_pss:
      break;
  }
  return Error{ErrorCode::unsupported_certificate, "cannot issue with an RSASSA-PSS key"};
}

// The bytes of the subjectPublicKey BIT STRING.
std::vector<uint8_t> subject_public_key_bits(const crypto::PublicKeyParams& key) {
  if (key.type != crypto::KeyType::rsa) return key.point;
  // RFC 8017 §A.1.1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
  std::vector<uint8_t> bits;
  Writer w(bits);
  w.sequence([&] {
    w.unsigned_integer(key.rsa_modulus);
    w.unsigned_integer(key.rsa_exponent);
  });
  return bits;
}

// One Extension (RFC 5280 §4.1): extnID, critical, and extnValue, an OCTET STRING holding the
// DER that `value` writes.
template <std::invocable Value>
void write_extension(Writer& w, std::span<const uint8_t> extension_id, bool critical,
                     Value&& value) {
  w.sequence([&] {
    w.oid(extension_id);
    // X.690 §11.5: a DEFAULT FALSE that is false is left out in DER.
    if (critical) w.boolean(true);
    w.element(der::kOctetString, std::forward<Value>(value));
  });
}

constexpr uint32_t usage_bit(KeyUsageBit bit) {
  return 1u << static_cast<int>(bit);
}

bool is_ca(CertificateRole role) {
  return role == CertificateRole::local_root || role == CertificateRole::intermediate_ca;
}

uint32_t key_usage_for(const CertificateSpec& spec) {
  // RFC 5280 §4.2.1.3: keyCertSign only in CA certificates.
  if (is_ca(spec.role)) {
    return usage_bit(KeyUsageBit::key_cert_sign) | usage_bit(KeyUsageBit::crl_sign);
  }
  uint32_t usage = usage_bit(KeyUsageBit::digital_signature);
  // RSA key transport (the TLS 1.2 RSA key exchange) needs keyEncipherment.
  if (spec.public_key.type == crypto::KeyType::rsa) {
    usage |= usage_bit(KeyUsageBit::key_encipherment);
  }
  return usage;
}

Result<std::vector<AltName>> alt_names_of(const CertificateSpec& spec) {
  std::vector<AltName> alt_names;
  for (const auto& name : spec.names) {
    auto alt = alt_name(name);
    if (!alt) return std::move(alt).error();
    alt_names.push_back(std::move(*alt));
  }
  if (spec.role == CertificateRole::tls_leaf && alt_names.empty()) {
    return invalid("a leaf certificate needs at least one name");
  }
  return alt_names;
}

Result<std::vector<uint8_t>> extensions_for(const CertificateSpec& spec, const IssuerSpec& issuer,
                                            std::span<const uint8_t> subject_key_id) {
  auto alt_names = alt_names_of(spec);
  if (!alt_names) return std::move(alt_names).error();
  const bool ca = is_ca(spec.role);
  if (!spec.excluded_dns.empty() && !ca) return invalid("only a CA has name constraints");
  for (const auto& name : spec.excluded_dns) {
    if (!is_valid_presented_dns_name(name, false)) return invalid("bad excluded DNS name " + name);
  }

  std::vector<uint8_t> out;
  Writer w(out);
  // RFC 5280 §4.2.1.9: CAs MUST mark basicConstraints critical (and §6.1.4 (k) checks cA).
  write_extension(w, oid::kBasicConstraints.bytes, true, [&] {
    w.sequence([&] {
      if (!ca) return;  // cA DEFAULT FALSE
      w.boolean(true);
      // The local root signs leaves only, no intermediate CA.
      if (spec.role == CertificateRole::local_root) w.integer(0);
    });
  });
  // RFC 5280 §4.2.1.3: keyUsage SHOULD be critical.
  write_extension(w, oid::kKeyUsage.bytes, true, [&] { w.named_bits(key_usage_for(spec)); });
  if (!ca) {
    write_extension(w, oid::kExtKeyUsage.bytes, false, [&] {
      w.sequence([&] {
        w.oid(oid::kServerAuth);
        w.oid(oid::kClientAuth);
      });
    });
  }
  if (!alt_names->empty()) {
    // RFC 5280 §4.2.1.6: critical only when the subject is empty, which ours never is.
    write_extension(w, oid::kSubjectAltName.bytes, false, [&] {
      w.sequence([&] {
        for (const auto& alt : *alt_names) w.implicit_tag(alt.tag, alt.value);
      });
    });
  }
  if (!spec.excluded_dns.empty()) {
    // RFC 5280 §4.2.1.10: conforming CAs MUST mark this extension as critical; excludedSubtrees
    // is [1], each GeneralSubtree a base dNSName ([2] IA5String) with the default minimum.
    write_extension(w, oid::kNameConstraints.bytes, true, [&] {
      w.sequence([&] {
        w.element(der::context_constructed(1), [&] {
          for (const auto& name : spec.excluded_dns) {
            w.sequence([&] {
              w.implicit_tag(kDnsName,
                             {reinterpret_cast<const uint8_t*>(name.data()), name.size()});
            });
          }
        });
      });
    });
  }
  // RFC 5280 §4.2.1.2: CAs MUST have a subjectKeyIdentifier; end entities SHOULD.
  write_extension(w, oid::kSubjectKeyIdentifier.bytes, false,
                  [&] { w.octet_string(subject_key_id); });
  // RFC 5280 §4.2.1.1: the keyIdentifier MUST be present except in a self-signed root.
  if (!issuer.key_id.empty()) {
    write_extension(w, oid::kAuthorityKeyIdentifier.bytes, false,
                    [&] { w.sequence([&] { w.implicit_tag(kKeyIdentifierTag, issuer.key_id); }); });
  }
  return out;
}

std::vector<uint8_t> random_serial(const crypto::Provider& provider) {
  std::vector<uint8_t> serial(kSerialLength);
  provider.random(serial);
  // RFC 5280 §4.1.2.2: a positive integer of at most 20 octets. Clearing the top bit keeps
  // it positive without a 0x00 prefix; setting the next keeps it 16 octets and non-zero.
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x40);
  return serial;
}

Result<std::vector<uint8_t>> tbs_certificate(const CertificateSpec& spec, const IssuerSpec& issuer,
                                             std::span<const uint8_t> signature_algorithm,
                                             const crypto::Provider& provider) {
  if (spec.not_after < spec.not_before) return invalid("notAfter is before notBefore");
  auto spki = encode_subject_public_key_info(spec.public_key);
  if (!spki) return std::move(spki).error();
  auto extensions = extensions_for(spec, issuer, key_identifier(spec.public_key, provider));
  if (!extensions) return std::move(extensions).error();

  std::vector<uint8_t> tbs;
  Writer w(tbs);
  bool times_ok = true;
  w.sequence([&] {
    // RFC 5280 §4.1.2.1: version MUST be v3 (2) when extensions are present.
    w.explicit_tag(0, [&] { w.integer(2); });
    w.unsigned_integer(random_serial(provider));
    // RFC 5280 §4.1.2.3: the same algorithm as signatureAlgorithm.
    w.raw(signature_algorithm);
    w.raw(issuer.name);
    w.sequence([&] { times_ok = w.time(spec.not_before) && w.time(spec.not_after); });
    w.raw(spec.subject);
    w.raw(*spki);
    w.explicit_tag(3, [&] { w.sequence([&] { w.raw(*extensions); }); });
  });
  if (!times_ok) return invalid("validity outside the years 0000-9999");
  return tbs;
}

}  // namespace

std::vector<uint8_t> encode_name(const NameSpec& name) {
  std::vector<uint8_t> out;
  Writer w(out);
  auto attribute = [&](const oid::Oid<3>& type, const std::string& value) {
    if (value.empty()) return;
    w.set([&] {
      w.sequence([&] {
        w.oid(type);
        w.utf8_string(value);
      });
    });
  };
  w.sequence([&] {
    attribute(kOrganizationName, name.organization);
    attribute(kCommonName, name.common_name);
  });
  return out;
}

std::vector<uint8_t> key_identifier(const crypto::PublicKeyParams& key,
                                    const crypto::Provider& provider) {
  const auto bits = subject_public_key_bits(key);
  std::array<uint8_t, 32> digest{};
  provider.hash(crypto::HashAlg::sha256, bits, digest);
  return {digest.begin(), digest.begin() + kKeyIdentifierLength};
}

Result<std::vector<uint8_t>> encode_subject_public_key_info(const crypto::PublicKeyParams& key) {
  std::vector<uint8_t> out;
  Writer w(out);
  bool supported = true;
  w.sequence([&] {
    w.sequence([&] {
      switch (key.type) {
        case crypto::KeyType::rsa:
          // RFC 3279 §2.3.1: rsaEncryption parameters MUST be NULL.
          w.oid(oid::kRsaEncryption);
          w.null();
          break;
        case crypto::KeyType::ec_p256:
          // RFC 5480 §2.1.1: id-ecPublicKey with a namedCurve.
          w.oid(oid::kEcPublicKey);
          w.oid(oid::kSecp256r1);
          break;
        case crypto::KeyType::ec_p384:
          w.oid(oid::kEcPublicKey);
          w.oid(oid::kSecp384r1);
          break;
        case crypto::KeyType::ec_p521:
          w.oid(oid::kEcPublicKey);
          w.oid(oid::kSecp521r1);
          break;
        case crypto::KeyType::ed25519:
          // RFC 8410 §3: id-Ed25519 without parameters.
          w.oid(oid::kEd25519);
          break;
        case crypto::KeyType::ed448:
          w.oid(oid::kEd448);
          break;
        case crypto::KeyType::rsa_pss:
          supported = false;
          break;
      }
    });
    w.bit_string(subject_public_key_bits(key));
  });
  if (!supported) {
    return Error{ErrorCode::unsupported_certificate, "cannot issue for an RSASSA-PSS key"};
  }
  return out;
}

Result<std::vector<uint8_t>> build_certificate(const CertificateSpec& spec,
                                               const IssuerSpec& issuer,
                                               const crypto::Provider& provider) {
  if (issuer.key == nullptr) return Error{ErrorCode::internal_error, "no issuer key"};
  auto algorithm = signature_algorithm_for(issuer.key->type());
  if (!algorithm) return std::move(algorithm).error();
  auto tbs = tbs_certificate(spec, issuer, algorithm->identifier, provider);
  if (!tbs) return std::move(tbs).error();
  auto signature = issuer.key->sign(algorithm->alg, *tbs);
  if (!signature) {
    return Error{ErrorCode::crypto_failure,
                 "cannot sign the certificate: " + signature.error().message()};
  }
  std::vector<uint8_t> certificate;
  Writer w(certificate);
  // RFC 5280 §4.1.1: tbsCertificate, signatureAlgorithm, signatureValue.
  w.sequence([&] {
    w.raw(*tbs);
    w.raw(algorithm->identifier);
    w.bit_string(*signature);
  });
  return certificate;
}

Result<std::vector<uint8_t>> build_self_signed(const CertificateSpec& spec,
                                               const crypto::PrivateKey& key,
                                               const crypto::Provider& provider) {
  return build_certificate(spec, IssuerSpec{spec.subject, {}, &key}, provider);
}

std::string pem_encode(std::string_view label, std::span<const uint8_t> der) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string base64;
  base64.reserve((der.size() + 2) / 3 * 4);
  for (size_t i = 0; i < der.size(); i += 3) {
    const size_t n = std::min<size_t>(3, der.size() - i);
    uint32_t group = static_cast<uint32_t>(der[i]) << 16;
    if (n > 1) group |= static_cast<uint32_t>(der[i + 1]) << 8;
    if (n > 2) group |= der[i + 2];
    for (size_t k = 0; k < 4; ++k) {
      base64.push_back(k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3f] : '=');
    }
  }
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  // RFC 7468 §2: generators MUST wrap base64 lines at exactly 64 characters.
  for (size_t i = 0; i < base64.size(); i += 64) {
    pem.append(base64, i, 64);
    pem.push_back('\n');
  }
  pem += "-----END " + std::string(label) + "-----\n";
  return pem;
}

}  // namespace bastion::x509
