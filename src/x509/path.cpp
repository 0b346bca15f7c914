#include "x509/path.hpp"

#include <algorithm>

#include "x509/anchor_keys.hpp"
#include "x509/der.hpp"
#include "x509/name.hpp"
#include "x509/names.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {

namespace {

Error fail(ErrorCode code, std::string detail) {
  return Error{code, std::move(detail)};
}

bool same_bytes(Bytes a, Bytes b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::string who(const Certificate& c) {
  std::string name = name_to_string(c.subject());
  return name.empty() ? "certificate with an empty subject" : "\"" + name + "\"";
}

size_t rsa_bits(const crypto::PublicKeyParams& key) {
  if (key.rsa_modulus.empty()) return 0;
  size_t bits = (key.rsa_modulus.size() - 1) * 8;
  for (uint8_t top = key.rsa_modulus[0]; top != 0; top >>= 1) ++bits;
  return bits;
}

bool has_purpose(const std::vector<Bytes>& ekus, KeyPurpose purpose, bool any_allowed) {
  for (Bytes p : ekus) {
    if (purpose == KeyPurpose::server_auth && oid::kServerAuth == p) return true;
    if (purpose == KeyPurpose::client_auth && oid::kClientAuth == p) return true;
    if (any_allowed && oid::kAnyExtendedKeyUsage == p) return true;
  }
  return false;
}

const char* purpose_name(KeyPurpose p) {
  return p == KeyPurpose::server_auth ? "serverAuth" : "clientAuth";
}

// Checks that apply to every certificate in a path, whatever its position.
Result<void> check_common(const Certificate& c, int64_t now) {
  if (c.unknown_critical_extension()) {
    // RFC 5280 §4.2: reject a certificate with a critical extension we do not recognise.
    return fail(ErrorCode::unsupported_certificate,
                who(c) + " has an unknown critical extension " + *c.unknown_critical_extension());
  }
  // RFC 5280 §4.1.2.5 and §6.1.3 (a)(2): the validity period includes both bounds.
  if (now < c.not_before()) {
    return fail(ErrorCode::certificate_not_yet_valid,
                who(c) + " is not valid before " + der::format_time(c.not_before()));
  }
  if (now > c.not_after()) {
    return fail(ErrorCode::certificate_expired,
                who(c) + " expired at " + der::format_time(c.not_after()));
  }
  // RFC 5280 §4.1.2.4: the issuer field MUST contain a non-empty distinguished name.
  if (c.issuer().rdns.empty()) {
    return fail(ErrorCode::bad_certificate, who(c) + " has an empty issuer");
  }
  const bool ca = c.basic_constraints() && c.basic_constraints()->ca;
  // RFC 5280 §4.2.1.3: if keyCertSign is asserted, cA MUST also be asserted; §4.2.1.9: a CA
  // key (cA asserted) with a keyUsage extension must allow keyCertSign to sign certificates.
  if (c.key_usage() && c.has_key_usage(KeyUsageBit::key_cert_sign) != ca) {
    return fail(ErrorCode::bad_key_usage,
                who(c) + " has inconsistent basicConstraints cA and keyUsage keyCertSign");
  }
  // RFC 5280 §4.2.1.10: name constraints MUST be used only in a CA certificate.
  if (c.name_constraints() && !ca) {
    return fail(ErrorCode::bad_certificate, who(c) + " has nameConstraints but is not a CA");
  }
  if (!c.public_key()) return c.public_key().error();
  const auto& key = *c.public_key();
  if (key.type == crypto::KeyType::rsa || key.type == crypto::KeyType::rsa_pss) {
    // CA/Browser Forum BR §6.1.5: at least 2048 bits, and a multiple of 8.
    const size_t bits = rsa_bits(key);
    if (bits < 2048 || bits % 8 != 0) {
      return fail(
          ErrorCode::unsupported_certificate,
          who(c) + " has an unacceptable RSA key size of " + std::to_string(bits) + " bits");
    }
  }
  return check_presented_names(c);
}

// A certificate used to issue others: an intermediate or an anchor.
Result<void> check_ca(const Certificate& c, KeyPurpose purpose) {
  // RFC 5280 §6.1.4 (k): basicConstraints present with cA TRUE.
  if (!c.basic_constraints() || !c.basic_constraints()->ca) {
    return fail(ErrorCode::not_a_ca, who(c) + " is not a CA (basicConstraints cA is not set)");
  }
  // RFC 5280 §6.1.4 (n): keyUsage, when present, must assert keyCertSign.
  if (!c.has_key_usage(KeyUsageBit::key_cert_sign)) {
    return fail(ErrorCode::bad_key_usage, who(c) + " may not sign certificates (keyUsage)");
  }
  // RFC 5280 §4.1.2.6: a CA's subject MUST be a non-empty distinguished name.
  if (c.subject().rdns.empty()) {
    return fail(ErrorCode::bad_certificate, "a CA certificate has an empty subject");
  }
  // As Go and browsers do: an EKU extension in a CA restricts what it may issue for.
  if (c.extended_key_usage() && !has_purpose(*c.extended_key_usage(), purpose, true)) {
    return fail(ErrorCode::bad_extended_key_usage,
                who(c) + " is not allowed to issue for " + purpose_name(purpose));
  }
  return {};
}

// A certificate that is not a trust anchor.
Result<void> check_issued(const Certificate& c) {
  if (c.version() != 3) {
    return fail(ErrorCode::unsupported_certificate, who(c) + " is not a version 3 certificate");
  }
  // RFC 5280 §4.1.2.5: CAs MUST encode dates through 2049 as UTCTime, later ones as
  // GeneralizedTime.
  if (!c.validity_conforms()) {
    return fail(ErrorCode::bad_certificate,
                who(c) + " encodes its validity with the wrong time type");
  }
  // RFC 5280 §4.1.2.2: the serial number MUST be a positive integer of at most 20 octets.
  const Bytes serial = c.serial();
  if ((serial[0] & 0x80) != 0 || (serial.size() == 1 && serial[0] == 0) || serial.size() > 21 ||
      (serial.size() == 21 && serial[0] != 0)) {
    return fail(ErrorCode::bad_certificate, who(c) + " has an invalid serial number");
  }
  // RFC 5280 §4.2.1.1: keyIdentifier MUST be included except in self-signed certificates.
  if (!c.authority_key_id() && !c.self_issued()) {
    return fail(ErrorCode::bad_certificate, who(c) + " has no authorityKeyIdentifier");
  }
  return {};
}

// The profile of an intermediate CA certificate. Trust anchors are exempt: RFC 5280 §6.1.1 (d)
// takes only their name and key (and we also their basicConstraints, keyUsage and name
// constraints), and several roots in current stores predate these rules.
Result<void> check_intermediate(const Certificate& c) {
  // RFC 5280 §4.2.1.9: CAs MUST mark basicConstraints critical.
  if (!c.basic_constraints_critical()) {
    return fail(ErrorCode::not_a_ca, who(c) + " has a non-critical basicConstraints extension");
  }
  // RFC 5280 §4.2.1.2: the subjectKeyIdentifier MUST appear in all CA certificates.
  if (!c.subject_key_id()) {
    return fail(ErrorCode::bad_certificate, who(c) + " is a CA without subjectKeyIdentifier");
  }
  return check_issued(c);
}

// An anchor's authorityKeyIdentifier, when present, must identify a key (RFC 5280 §4.2.1.1),
// and for a self-issued anchor its own key.
Result<void> check_anchor(const Certificate& c) {
  if (c.has_authority_key_id_extension() && !c.authority_key_id()) {
    return fail(ErrorCode::bad_certificate,
                who(c) + " has an authorityKeyIdentifier without keyIdentifier");
  }
  if (c.self_issued() && c.authority_key_id() && c.subject_key_id() &&
      !same_bytes(*c.authority_key_id(), *c.subject_key_id())) {
    return fail(ErrorCode::bad_certificate,
                who(c) + " is self-issued with authorityKeyIdentifier != subjectKeyIdentifier");
  }
  return {};
}

Result<void> check_leaf(const Certificate& c, const ValidationOptions& options) {
  // RFC 5280 §4.2.1.6: with an empty subject, subjectAltName MUST be present and critical;
  // with a non-empty one it SHOULD be non-critical (CA/Browser Forum BR §7.1.2.7.12: MUST).
  if (c.subject().rdns.empty() && (!c.subject_alt_names() || !c.san_critical())) {
    return fail(ErrorCode::bad_certificate,
                "certificate with an empty subject lacks a critical subjectAltName");
  }
  if (!c.subject().rdns.empty() && c.san_critical()) {
    return fail(ErrorCode::bad_certificate,
                who(c) + " has a critical subjectAltName and a non-empty subject");
  }
  // RFC 5280 §4.2.1.12: the certificate may be used only for the listed purposes. Like
  // webpki, anyExtendedKeyUsage does not stand in for serverAuth or clientAuth.
  if (c.extended_key_usage() && !has_purpose(*c.extended_key_usage(), options.purpose, false)) {
    return fail(ErrorCode::bad_extended_key_usage,
                who(c) + " is not valid for " + purpose_name(options.purpose));
  }
  if (options.require_digital_signature && !c.has_key_usage(KeyUsageBit::digital_signature)) {
    return fail(ErrorCode::bad_key_usage,
                who(c) + " may not sign (keyUsage lacks digitalSignature)");
  }
  return {};
}

size_t rank(ErrorCode code) {
  return code == ErrorCode::unknown_issuer ? 0 : 1;
}

// A depth-first search from the end-entity towards the trust anchors. Each step checks what
// depends on the issuer and the child alone (profile, key usage, signature), so that a
// made-up issuer costs at most one signature check; the name constraints, which depend on the
// whole path, are checked once a path reaches an anchor. All the work of one verification,
// failed candidates included, comes out of one budget of signatures and name comparisons.
class PathSearch {
 public:
  PathSearch(const AnchorSet& anchors, std::span<const CertificatePtr> pool,
             const ValidationOptions& options, const crypto::Provider& provider,
             const AnchorKeys* anchor_keys)
      : anchors_(anchors),
        pool_(pool),
        options_(options),
        provider_(provider),
        anchor_keys_(anchor_keys) {}

  Result<std::vector<CertificatePtr>> run(const CertificatePtr& leaf, PathWork* work) {
    path_.push_back(leaf);
    const bool found = extend().reached;
    if (work != nullptr) {
      work->signature_checks = kMaxSignatureChecks - signatures_left_;
      work->name_comparisons = kMaxNameComparisons - comparisons_left_;
    }
    if (found) return path_;
    if (gave_up_) return *gave_up_;
    if (error_) return *error_;
    return fail(ErrorCode::unknown_issuer, "no path to a trust anchor");
  }

 private:
  struct Candidate {
    CertificatePtr cert;
    bool anchor = false;
  };
  // What a search from the top of the path found. A failure that depends on the certificates
  // below (the depth, a cycle, pathLenConstraint, name constraints) may not repeat from
  // another path; any other is final for the certificate at the top.
  struct Outcome {
    bool reached = false;
    bool path_dependent = false;
  };
  // A signature already checked: an issuer key over a child.
  struct CheckedSignature {
    const Certificate* child;
    Bytes issuer_spki;
    std::optional<Error> failure;
  };

  void note(Error e) {
    if (!error_ || rank(e.code) > rank(error_->code)) error_ = std::move(e);
  }

  // The count of intermediates already in the path (after the leaf) that are not
  // self-issued: RFC 5280 §6.1.4 (l) does not count self-issued certificates.
  size_t non_self_issued_intermediates() const {
    size_t n = 0;
    for (size_t i = 1; i < path_.size(); ++i) n += path_[i]->self_issued() ? 0 : 1;
    return n;
  }

  bool in_path(const Certificate& c) const {
    // A key and name pair appears once: cycles of cross-signatures end here.
    return std::any_of(path_.begin(), path_.end(), [&](const CertificatePtr& p) {
      return same_bytes(p->subject_raw(), c.subject_raw()) &&
             same_bytes(p->spki_raw(), c.spki_raw());
    });
  }

  bool is_dead(const Certificate& c) const {
    return std::find(dead_.begin(), dead_.end(), &c) != dead_.end();
  }

  std::vector<Candidate> candidates(const Certificate& child) const {
    std::vector<Candidate> out;
    auto add = [&](const CertificatePtr& c, bool anchor) {
      // The same certificate presented twice is one candidate.
      const bool seen = std::any_of(out.begin(), out.end(), [&](const Candidate& o) {
        return o.anchor == anchor && same_bytes(o.cert->der(), c->der());
      });
      if (!seen) out.push_back({c, anchor});
    };
    for (const auto& a : anchors_.anchors()) {
      if (same_bytes(a->subject_raw(), child.issuer_raw())) add(a, true);
    }
    for (const auto& c : pool_) {
      if (same_bytes(c->subject_raw(), child.issuer_raw())) add(c, false);
    }
    // Issuers whose subjectKeyIdentifier matches the child's authorityKeyIdentifier first
    // (RFC 5280 §4.2.1.1: the identifiers are hints for path building, not constraints).
    if (const auto aki = child.authority_key_id()) {
      std::stable_partition(out.begin(), out.end(), [&](const Candidate& c) {
        const auto ski = c.cert->subject_key_id();
        return ski && same_bytes(*ski, *aki);
      });
    }
    return out;
  }

  // The signature of `child` under `issuer`'s key, checked once per key: siblings that share a
  // key (re-issued or duplicated CA certificates) cost one verification.
  Result<void> check_signature(const Certificate& issuer, bool anchor, const Certificate& child) {
    for (const auto& done : checked_) {
      if (done.child == &child && same_bytes(done.issuer_spki, issuer.spki_raw())) {
        if (done.failure) return *done.failure;
        return {};
      }
    }
    if (signatures_left_ == 0) {
      gave_up_ = fail(ErrorCode::unknown_issuer, "path building gave up after " +
                                                     std::to_string(kMaxSignatureChecks) +
                                                     " signature checks");
      return *gave_up_;
    }
    --signatures_left_;
    auto result = verify_signature(issuer, anchor, child);
    checked_.push_back(
        {&child, issuer.spki_raw(), result ? std::nullopt : std::optional<Error>(result.error())});
    return result;
  }

  Result<void> verify_signature(const Certificate& issuer, bool anchor, const Certificate& child) {
    const auto& alg = child.signature_algorithm().alg;
    if (!alg) {
      return fail(ErrorCode::unsupported_certificate,
                  who(child) + " is signed with an unsupported algorithm");
    }
    const auto& key = *issuer.public_key();
    if (!crypto::key_permits(key, *alg)) {
      return fail(ErrorCode::certificate_bad_signature,
                  who(child) + " is signed with an algorithm its issuer's key does not allow");
    }
    const crypto::PublicKey* public_key =
        anchor && anchor_keys_ != nullptr ? anchor_keys_->find(issuer) : nullptr;
    std::unique_ptr<crypto::PublicKey> imported;
    if (public_key == nullptr) {
      auto fresh = provider_.import_public_key(key);
      if (!fresh) {
        return fail(ErrorCode::unsupported_certificate,
                    who(issuer) + " has an unusable key: " + fresh.error().detail);
      }
      imported = std::move(fresh).value();
      public_key = imported.get();
    }
    if (!public_key->verify(*alg, child.tbs(), child.signature())) {
      return fail(ErrorCode::certificate_bad_signature,
                  "the signature on " + who(child) + " does not verify");
    }
    return {};
  }

  // The checks of one step that depend on the path below: RFC 5280 §6.1.4 (l), (m).
  Result<void> check_path_length(const Candidate& cand) const {
    const Certificate& issuer = *cand.cert;
    const size_t below = non_self_issued_intermediates();
    // RFC 5280 §6.1.4 (m): pathLenConstraint bounds the non-self-issued intermediates below.
    if (const auto& bc = issuer.basic_constraints(); bc->path_len && below > *bc->path_len) {
      return fail(ErrorCode::path_too_long, who(issuer) + " allows only " +
                                                std::to_string(*bc->path_len) +
                                                " intermediate(s) below it");
    }
    const size_t intermediates = below + (!cand.anchor && !issuer.self_issued() ? 1 : 0);
    if (options_.max_intermediates && intermediates > *options_.max_intermediates) {
      return fail(ErrorCode::path_too_long, "the path needs more intermediates than allowed");
    }
    return {};
  }

  // The checks of one step that depend on the issuer and the child only.
  Result<void> check_issuer(const Candidate& cand) {
    const Certificate& issuer = *cand.cert;
    if (auto r = check_common(issuer, options_.time); !r) return r;
    if (auto r = check_ca(issuer, options_.purpose); !r) return r;
    if (auto r = cand.anchor ? check_anchor(issuer) : check_intermediate(issuer); !r) return r;
    return check_signature(issuer, cand.anchor, *path_.back());
  }

  // RFC 5280 §6.1.3 (b), (c) over a path that reached an anchor: the constraints of each CA
  // apply to every certificate below it, except self-issued intermediates (§6.1.4 (g) with
  // (b) skipped for them).
  Result<void> check_name_constraints_of_path() {
    for (size_t ca = 1; ca < path_.size(); ++ca) {
      const auto& nc = path_[ca]->name_constraints();
      if (!nc) continue;
      for (size_t i = 0; i < ca; ++i) {
        if (i > 0 && path_[i]->self_issued()) continue;
        if (auto r = check_name_constraints(*nc, *path_[i], comparisons_left_); !r) return r;
      }
    }
    return {};
  }

  Outcome extend() {
    Outcome out;
    if (path_.size() == kMaxPathLength) {
      note(fail(ErrorCode::path_too_long, "no trust anchor within the maximum path length"));
      out.path_dependent = true;
      return out;
    }
    const Certificate& child = *path_.back();
    if (is_dead(child)) return out;
    const auto cands = candidates(child);
    if (cands.empty()) {
      note(fail(ErrorCode::unknown_issuer, "no trusted or presented issuer for " + who(child) +
                                               " (issuer \"" + name_to_string(child.issuer()) +
                                               "\")"));
    }
    for (const auto& cand : cands) {
      if (gave_up_) return out;
      if (!cand.anchor && in_path(*cand.cert)) {
        out.path_dependent = true;
        continue;
      }
      if (auto r = check_issuer(cand); !r) {
        note(std::move(r).error());
        continue;
      }
      if (auto r = check_path_length(cand); !r) {
        note(std::move(r).error());
        out.path_dependent = true;
        continue;
      }
      path_.push_back(cand.cert);
      if (cand.anchor) {
        auto constrained = check_name_constraints_of_path();
        if (constrained) return {true, false};
        note(std::move(constrained).error());
        out.path_dependent = true;
      } else {
        const Outcome above = extend();
        if (above.reached) return above;
        out.path_dependent = out.path_dependent || above.path_dependent;
      }
      path_.pop_back();
    }
    // Nothing above this certificate leads to an anchor, whatever lies below it.
    if (!out.path_dependent && !gave_up_) dead_.push_back(&child);
    return out;
  }

  const AnchorSet& anchors_;
  std::span<const CertificatePtr> pool_;
  const ValidationOptions& options_;
  const crypto::Provider& provider_;
  const AnchorKeys* anchor_keys_;
  std::vector<CertificatePtr> path_;
  size_t signatures_left_ = kMaxSignatureChecks;
  size_t comparisons_left_ = kMaxNameComparisons;
  std::vector<CheckedSignature> checked_;
  std::vector<const Certificate*> dead_;
  std::optional<Error> gave_up_;
  std::optional<Error> error_;
};

}  // namespace

AnchorSet::AnchorSet(std::vector<CertificatePtr> anchors) : anchors_(std::move(anchors)) {
  for (const auto& a : anchors_) {
    subject_names_.emplace_back(a->subject_raw().begin(), a->subject_raw().end());
  }
}

Result<std::vector<CertificatePtr>> build_path(const AnchorSet& anchors, const CertificatePtr& leaf,
                                               std::span<const CertificatePtr> intermediates,
                                               const ValidationOptions& options,
                                               const crypto::Provider& provider,
                                               const AnchorKeys* anchor_keys, PathWork* work) {
  const Certificate& c = *leaf;
  if (auto r = check_common(c, options.time); !r) return std::move(r).error();
  if (auto r = check_leaf(c, options); !r) return std::move(r).error();
  if (!options.server_name.empty()) {
    if (auto r = verify_server_name(c, options.server_name); !r) return std::move(r).error();
  }
  if (auto r = check_issued(c); !r) return std::move(r).error();
  // An end-entity that is itself a trust anchor (a pinned self-signed certificate) is
  // trusted as it stands, as Go's crypto/x509 does.
  for (const auto& a : anchors.anchors()) {
    if (same_bytes(a->der(), c.der())) return std::vector<CertificatePtr>{leaf};
  }
  return PathSearch(anchors, intermediates, options, provider, anchor_keys).run(leaf, work);
}

}  // namespace bastion::x509
