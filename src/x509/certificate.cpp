#include "x509/certificate.hpp"

#include <algorithm>
#include <utility>

#include "x509/der.hpp"
#include "x509/names.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {

namespace {

// Larger than any certificate seen in practice (TLS allows 2^24 - 1 for a whole chain entry).
constexpr size_t kMaxCertificateSize = 256 * 1024;
// Bounds the work per certificate on hostile input.
constexpr size_t kMaxExtensions = 64;
constexpr size_t kMaxGeneralNames = 4096;

Error malformed(std::string detail) {
  return Error{ErrorCode::bad_certificate, std::move(detail)};
}
Error unsupported(std::string detail) {
  return Error{ErrorCode::unsupported_certificate, std::move(detail)};
}

// A validity time, and whether its ASN.1 type is the one RFC 5280 §4.1.2.5 prescribes for
// its year (UTCTime through 2049, GeneralizedTime from 2050).
Result<std::pair<int64_t, bool>> read_time(der::Reader& r) {
  uint8_t tag = 0;
  Bytes contents;
  if (!r.read_any(tag, contents)) return malformed("malformed validity time");
  const auto t = der::decode_time(tag, contents);
  if (!t) return malformed("malformed validity time");
  constexpr int64_t k2050 = 2524608000;  // 2050-01-01T00:00:00Z
  return std::pair<int64_t, bool>{*t, (tag == der::kUtcTime) == (*t < k2050)};
}

Result<GeneralName> read_general_name(der::Reader& r) {
  uint8_t tag = 0;
  Bytes contents;
  if (!r.read_any(tag, contents)) return malformed("malformed GeneralName");
  GeneralName name;
  name.value = contents;
  switch (tag) {
    case 0xa0:
      name.kind = GeneralName::Kind::other;
      break;
    case 0x81:
      name.kind = GeneralName::Kind::email;
      break;
    case 0x82:
      name.kind = GeneralName::Kind::dns;
      break;
    case 0xa3:
      name.kind = GeneralName::Kind::x400;
      break;
    case 0xa4: {
      // directoryName is EXPLICIT (the Name is a CHOICE): keep the inner Name TLV.
      der::Reader inner(contents, r.depth() + 1);
      Bytes name_tlv;
      if (!inner.read_tlv(der::kSequence, name_tlv) || !inner.empty() ||
          !parse_name(name_tlv).ok()) {
        return malformed("malformed directoryName");
      }
      name.kind = GeneralName::Kind::directory;
      name.value = name_tlv;
      break;
    }
    case 0xa5:
      name.kind = GeneralName::Kind::edi;
      break;
    case 0x86:
      name.kind = GeneralName::Kind::uri;
      break;
    case 0x87:
      name.kind = GeneralName::Kind::ip;
      break;
    case 0x88:
      name.kind = GeneralName::Kind::registered_id;
      break;
    default:
      return malformed("unknown GeneralName choice");
  }
  return name;
}

// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (RFC 5280 §4.2.1.6).
Result<std::vector<GeneralName>> read_general_names(der::Reader& r) {
  std::vector<GeneralName> names;
  if (r.empty()) return malformed("empty GeneralNames");
  while (!r.empty()) {
    if (names.size() == kMaxGeneralNames) return unsupported("too many names");
    auto name = read_general_name(r);
    if (!name) return std::move(name).error();
    names.push_back(*name);
  }
  return names;
}

Result<std::vector<NameConstraint>> read_subtrees(Bytes contents) {
  // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
  der::Reader subtrees(contents, 2);
  std::vector<NameConstraint> out;
  if (subtrees.empty()) return malformed("empty GeneralSubtrees");
  while (!subtrees.empty()) {
    if (out.size() == kMaxGeneralNames) return unsupported("too many name constraints");
    der::Reader subtree(Bytes{});
    if (!subtrees.enter(der::kSequence, subtree)) return malformed("malformed GeneralSubtree");
    auto base = read_general_name(subtree);
    if (!base) return std::move(base).error();
    // RFC 5280 §4.2.1.10: minimum MUST be zero (so absent in DER), maximum MUST be absent.
    if (!subtree.empty()) return malformed("GeneralSubtree with minimum or maximum");
    out.push_back(prepare_name_constraint(*base));
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const Certificate>> Certificate::parse(std::vector<uint8_t> der) {
  if (der.size() > kMaxCertificateSize) return unsupported("certificate too large");
  std::shared_ptr<Certificate> cert(new Certificate(std::move(der)));
  if (auto r = cert->parse_all(); !r) return std::move(r).error();
  return std::shared_ptr<const Certificate>(std::move(cert));
}

Result<void> Certificate::parse_all() {
  // RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
  // signatureValue BIT STRING }
  der::Reader outer(der_);
  der::Reader cert(Bytes{});
  Bytes sig_alg_tlv, sig_contents;
  if (!outer.enter(der::kSequence, cert) || !outer.empty() ||
      !cert.read_tlv(der::kSequence, tbs_) || !cert.read_tlv(der::kSequence, sig_alg_tlv) ||
      !cert.read(der::kBitString, sig_contents) || !cert.empty()) {
    return malformed("malformed Certificate");
  }
  const auto sig = der::decode_bit_string(sig_contents);
  if (!sig || sig->unused_bits != 0) return malformed("malformed signatureValue");
  signature_ = sig->bytes;
  if (auto r = parse_tbs(tbs_); !r) return r;
  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST be the same as the signature field in
  // tbsCertificate.
  if (!std::equal(sig_alg_tlv.begin(), sig_alg_tlv.end(), sig_alg_.raw.begin(),
                  sig_alg_.raw.end())) {
    return malformed("signatureAlgorithm differs from tbsCertificate.signature");
  }
  return {};
}

Result<void> Certificate::parse_tbs(Bytes tbs_tlv) {
  der::Reader outer(tbs_tlv);
  der::Reader tbs(Bytes{});
  if (!outer.enter(der::kSequence, tbs)) return malformed("malformed TBSCertificate");

  // version [0] EXPLICIT Version DEFAULT v1: in DER, v1 is never encoded explicitly.
  std::optional<Bytes> version_outer;
  if (!tbs.read_optional(der::context_constructed(0), version_outer)) {
    return malformed("malformed version");
  }
  version_ = 1;
  if (version_outer) {
    der::Reader v(*version_outer);
    Bytes contents;
    if (!v.read(der::kInteger, contents) || !v.empty()) return malformed("malformed version");
    const auto n = der::decode_uint(contents);
    if (!n || *n == 0 || *n > 2) return malformed("invalid certificate version");
    version_ = static_cast<int>(*n) + 1;
  }

  // RFC 5280 §4.1.2.2 asks for a positive serial of at most 20 octets, but also that users
  // handle non-conforming ones gracefully: some trust anchors have serial 0. The profile
  // is enforced on issued certificates during validation (path.cpp).
  if (!tbs.read(der::kInteger, serial_) || !der::is_valid_integer(serial_)) {
    return malformed("malformed serialNumber");
  }

  if (!tbs.read_tlv(der::kSequence, sig_alg_.raw)) return malformed("malformed signature");
  auto alg = parse_signature_algorithm(sig_alg_.raw);
  if (!alg) return std::move(alg).error();
  sig_alg_.alg = *alg;

  if (!tbs.read_tlv(der::kSequence, issuer_raw_)) return malformed("malformed issuer");
  auto issuer = parse_name(issuer_raw_);
  if (!issuer) return std::move(issuer).error();
  issuer_ = std::move(issuer).value();

  der::Reader validity(Bytes{});
  if (!tbs.enter(der::kSequence, validity)) return malformed("malformed validity");
  auto nb = read_time(validity);
  if (!nb) return std::move(nb).error();
  auto na = read_time(validity);
  if (!na) return std::move(na).error();
  if (!validity.empty()) return malformed("malformed validity");
  not_before_ = nb->first;
  not_after_ = na->first;
  validity_conforms_ = nb->second && na->second;

  if (!tbs.read_tlv(der::kSequence, subject_raw_)) return malformed("malformed subject");
  auto subject = parse_name(subject_raw_);
  if (!subject) return std::move(subject).error();
  subject_ = std::move(subject).value();

  if (!tbs.read_tlv(der::kSequence, spki_raw_)) return malformed("malformed subjectPublicKeyInfo");
  public_key_ = parse_subject_public_key_info(spki_raw_);
  if (!public_key_ && public_key_.error().code == ErrorCode::bad_certificate) {
    return public_key_.error();
  }

  // RFC 5280 §4.1.2.8: unique identifiers only in v2 and v3.
  std::optional<Bytes> issuer_uid, subject_uid, extensions;
  if (!tbs.read_optional(der::context_specific(1), issuer_uid) ||
      !tbs.read_optional(der::context_specific(2), subject_uid)) {
    return malformed("malformed unique identifier");
  }
  if ((issuer_uid || subject_uid) && version_ < 2) {
    return malformed("unique identifier in a v1 certificate");
  }
  if (!tbs.read_optional(der::context_constructed(3), extensions) || !tbs.empty()) {
    return malformed("malformed TBSCertificate");
  }
  if (extensions) {
    // RFC 5280 §4.1.2.9: extensions only in v3.
    if (version_ != 3) return malformed("extensions in a certificate that is not v3");
    if (auto r = parse_extensions(*extensions); !r) return r;
  }
  return {};
}

Result<void> Certificate::parse_extensions(Bytes explicit_contents) {
  der::Reader outer(explicit_contents, 1);
  der::Reader list(Bytes{});
  if (!outer.enter(der::kSequence, list) || !outer.empty()) {
    return malformed("malformed extensions");
  }
  // Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
  if (list.empty()) return malformed("empty extensions");
  std::vector<Bytes> seen;
  while (!list.empty()) {
    if (seen.size() == kMaxExtensions) return unsupported("too many extensions");
    der::Reader ext(Bytes{});
    Bytes oid, value;
    std::optional<Bytes> critical_contents;
    if (!list.enter(der::kSequence, ext) || !ext.read(der::kOid, oid) || !der::is_valid_oid(oid) ||
        !ext.read_optional(der::kBoolean, critical_contents) ||
        !ext.read(der::kOctetString, value) || !ext.empty()) {
      return malformed("malformed extension");
    }
    bool critical = false;
    if (critical_contents) {
      const auto b = der::decode_boolean(*critical_contents);
      // DER: a DEFAULT value (FALSE) is never encoded.
      if (!b || !*b) return malformed("malformed extension criticality");
      critical = true;
    }
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
    for (Bytes s : seen) {
      if (std::equal(s.begin(), s.end(), oid.begin(), oid.end())) {
        return malformed("duplicate extension " + oid_to_string(oid));
      }
    }
    seen.push_back(oid);
    if (auto r = parse_extension(oid, critical, value); !r) return r;
  }
  return {};
}

Result<void> Certificate::parse_extension(Bytes oid, bool critical, Bytes value) {
  der::Reader r(value, 2);
  if (oid::kBasicConstraints == oid) {
    // RFC 5280 §4.2.1.9: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
    der::Reader seq(Bytes{});
    std::optional<Bytes> ca, path_len;
    if (!r.enter(der::kSequence, seq) || !r.empty() || !seq.read_optional(der::kBoolean, ca) ||
        !seq.read_optional(der::kInteger, path_len) || !seq.empty()) {
      return malformed("malformed basicConstraints");
    }
    BasicConstraints bc;
    if (ca) {
      const auto b = der::decode_boolean(*ca);
      if (!b || !*b) return malformed("malformed basicConstraints cA");
      bc.ca = true;
    }
    if (path_len) {
      const auto n = der::decode_uint(*path_len);
      if (!n) return malformed("malformed pathLenConstraint");
      // §4.2.1.9: pathLenConstraint is meaningful only when cA is asserted.
      if (!bc.ca) return malformed("pathLenConstraint without cA");
      bc.path_len = static_cast<uint32_t>(std::min<uint64_t>(*n, UINT32_MAX));
    }
    basic_constraints_ = bc;
    basic_constraints_critical_ = critical;
    return {};
  }
  if (oid::kKeyUsage == oid) {
    Bytes contents;
    if (!r.read(der::kBitString, contents) || !r.empty()) return malformed("malformed keyUsage");
    const auto bits = der::decode_bit_string(contents);
    // §4.2.1.3: when present, at least one bit MUST be set.
    if (!bits || bits->bytes.empty() || bits->bytes.size() > 2) {
      return malformed("malformed keyUsage");
    }
    uint16_t mask = 0;
    for (size_t i = 0; i < bits->bytes.size(); ++i) {
      for (int b = 0; b < 8; ++b) {
        if (bits->bytes[i] & (0x80 >> b)) mask |= static_cast<uint16_t>(1u << (i * 8 + b));
      }
    }
    if (mask == 0) return malformed("keyUsage with no bit set");
    key_usage_ = mask;
    return {};
  }
  if (oid::kExtKeyUsage == oid) {
    // §4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
    der::Reader seq(Bytes{});
    if (!r.enter(der::kSequence, seq) || !r.empty() || seq.empty()) {
      return malformed("malformed extKeyUsage");
    }
    std::vector<Bytes> purposes;
    while (!seq.empty()) {
      Bytes p;
      if (!seq.read(der::kOid, p) || !der::is_valid_oid(p) || purposes.size() == 64) {
        return malformed("malformed extKeyUsage");
      }
      purposes.push_back(p);
    }
    eku_ = std::move(purposes);
    return {};
  }
  if (oid::kSubjectAltName == oid) {
    der::Reader seq(Bytes{});
    if (!r.enter(der::kSequence, seq) || !r.empty()) return malformed("malformed subjectAltName");
    auto names = read_general_names(seq);
    if (!names) return std::move(names).error();
    san_ = std::move(names).value();
    san_critical_ = critical;
    return {};
  }
  if (oid::kNameConstraints == oid) {
    // §4.2.1.10: NameConstraints ::= SEQUENCE { permittedSubtrees [0] OPTIONAL,
    // excludedSubtrees [1] OPTIONAL }; conforming CAs MUST NOT issue it empty.
    der::Reader seq(Bytes{});
    std::optional<Bytes> permitted, excluded;
    if (!r.enter(der::kSequence, seq) || !r.empty() ||
        !seq.read_optional(der::context_constructed(0), permitted) ||
        !seq.read_optional(der::context_constructed(1), excluded) || !seq.empty()) {
      return malformed("malformed nameConstraints");
    }
    if (!permitted && !excluded) return malformed("empty nameConstraints");
    NameConstraints nc;
    if (permitted) {
      auto p = read_subtrees(*permitted);
      if (!p) return std::move(p).error();
      nc.permitted = std::move(p).value();
    }
    if (excluded) {
      auto e = read_subtrees(*excluded);
      if (!e) return std::move(e).error();
      nc.excluded = std::move(e).value();
    }
    name_constraints_ = std::move(nc);
    return {};
  }
  if (oid::kAuthorityKeyIdentifier == oid) {
    // §4.2.1.1: conforming CAs MUST mark this extension as non-critical.
    if (critical) return malformed("critical authorityKeyIdentifier");
    der::Reader seq(Bytes{});
    std::optional<Bytes> key_id, issuer, serial;
    if (!r.enter(der::kSequence, seq) || !r.empty() ||
        !seq.read_optional(der::context_specific(0), key_id) ||
        !seq.read_optional(der::context_constructed(1), issuer) ||
        !seq.read_optional(der::context_specific(2), serial) || !seq.empty()) {
      return malformed("malformed authorityKeyIdentifier");
    }
    // §4.2.1.1: authorityCertIssuer and authorityCertSerialNumber go together.
    if (issuer.has_value() != serial.has_value()) {
      return malformed("authorityKeyIdentifier with only one of issuer and serial");
    }
    aki_ = key_id;
    aki_present_ = true;
    return {};
  }
  if (oid::kSubjectKeyIdentifier == oid) {
    // §4.2.1.2: conforming CAs MUST mark this extension as non-critical.
    if (critical) return malformed("critical subjectKeyIdentifier");
    Bytes id;
    if (!r.read(der::kOctetString, id) || !r.empty()) {
      return malformed("malformed subjectKeyIdentifier");
    }
    ski_ = id;
    return {};
  }
  if (oid::kAuthorityInfoAccess == oid) {
    // §4.2.2.1: non-critical; SEQUENCE SIZE (1..MAX) OF AccessDescription.
    if (critical) return malformed("critical authorityInfoAccess");
    der::Reader seq(Bytes{});
    if (!r.enter(der::kSequence, seq) || !r.empty() || seq.empty()) {
      return malformed("malformed authorityInfoAccess");
    }
    while (!seq.empty()) {
      der::Reader desc(Bytes{});
      Bytes method;
      if (!seq.enter(der::kSequence, desc) || !desc.read(der::kOid, method)) {
        return malformed("malformed authorityInfoAccess");
      }
      auto location = read_general_name(desc);
      if (!location || !desc.empty()) return malformed("malformed authorityInfoAccess");
    }
    return {};
  }
  if (oid::kPolicyConstraints == oid) {
    // §4.2.1.11: conforming CAs MUST mark this extension as critical.
    if (!critical) return malformed("non-critical policyConstraints");
    return {};
  }
  // Policy extensions are understood in the sense that we never require an explicit policy
  // (as webpki and browsers do), so their presence does not make a certificate unusable.
  if (oid::kCertificatePolicies == oid || oid::kPolicyMappings == oid ||
      oid::kInhibitAnyPolicy == oid || oid::kCrlDistributionPoints == oid ||
      oid::kIssuerAltName == oid) {
    return {};
  }
  // §4.2: a certificate-using system MUST reject the certificate if it encounters a critical
  // extension it does not recognize.
  if (critical && !unknown_critical_) unknown_critical_ = oid_to_string(oid);
  return {};
}

bool Certificate::self_issued() const {
  return std::equal(issuer_raw_.begin(), issuer_raw_.end(), subject_raw_.begin(),
                    subject_raw_.end());
}

Result<crypto::PublicKeyParams> leaf_public_key(Bytes der) {
  auto cert = Certificate::parse(std::vector<uint8_t>(der.begin(), der.end()));
  if (!cert) return std::move(cert).error();
  return (*cert)->public_key();
}

}  // namespace bastion::x509
