#include "support/hostile_chains.hpp"

#include <cstdlib>
#include <stdexcept>

namespace bastion::test {
namespace {

// Certificates live a day either side of now.
constexpr int64_t kDay = 86400;

// Per certificate in the Certificate message: cert_data<1..2^24-1> and extensions<0..2^16-1>.
constexpr size_t kEntryOverhead = 3 + 2;

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message());
  return std::move(r).value();
}

// A forty-label name: "c.c.c. ... .x<variant>.<i>", distinct for each (variant, i).
std::string long_name(size_t variant, size_t i) {
  std::string name;
  for (int label = 0; label < 38; ++label) name += "c.";
  return name + "x" + std::to_string(variant) + ".n" + std::to_string(i);
}

// Distinct names for the end-entity, `length` or `length` + 1 characters long: "aaa.p.p.p...z",
// "aab.p...".
std::string padded_name(size_t i, size_t length) {
  std::string name(3, 'a');
  for (size_t k = 0; k < 3; ++k, i /= 26) name[2 - k] = static_cast<char>('a' + i % 26);
  while (name.size() + 2 < length) name += ".p";
  return name + ".z";
}

size_t message_size(const std::vector<Der>& chain) {
  size_t size = 4 + 1 + 3;  // handshake header, certificate_request_context, certificate_list
  for (const auto& der : chain) size += kEntryOverhead + der.size();
  return size;
}

}  // namespace

size_t HostileChain::message_bytes() const {
  return message_size(chain);
}

x509::CertificateSpec HostileChainMaker::spec(x509::CertificateRole role,
                                              std::vector<uint8_t> subject,
                                              const crypto::PrivateKey& key) const {
  x509::CertificateSpec s;
  s.role = role;
  s.subject = std::move(subject);
  s.not_before = now_ - kDay;
  s.not_after = now_ + kDay;
  s.public_key = key.public_params();
  return s;
}

HostileChainMaker::Ca HostileChainMaker::make_ca(const std::string& name) const {
  Ca ca;
  ca.subject = x509::encode_name({name, "Hostile chains"});
  ca.key = must(provider_->generate_private_key(crypto::KeyType::ec_p384, 0), "key");
  ca.key_id = x509::key_identifier(ca.key->public_params(), *provider_);
  return ca;
}

Der HostileChainMaker::issue(x509::CertificateSpec s, const Ca& issuer) const {
  return must(
      x509::build_certificate(s, {issuer.subject, issuer.key_id, issuer.key.get()}, *provider_),
      "certificate");
}

Der HostileChainMaker::ca_certificate(const Ca& ca, const Ca& issuer, size_t constraints,
                                      size_t variant) const {
  auto s = spec(x509::CertificateRole::intermediate_ca, ca.subject, *ca.key);
  for (size_t i = 0; i < constraints; ++i) s.excluded_dns.push_back(long_name(variant, i));
  return issue(std::move(s), issuer);
}

Der HostileChainMaker::leaf(const Ca& issuer, size_t room, const std::string& server_name) const {
  auto s = spec(x509::CertificateRole::tls_leaf, x509::encode_name({server_name, ""}), *issuer.key);
  s.public_key = issuer.key->public_params();
  s.names = {server_name};
  // As many names as our parser takes (4,096), as long as the room allows; each costs its
  // length and two bytes of DER. A little room is left for the longer length fields.
  const size_t fixed = issue(s, issuer).size() + 16;
  if (room <= fixed) return issue(std::move(s), issuer);
  const size_t count = std::min<size_t>((room - fixed) / 7, 4094);
  const size_t length = std::min<size_t>((room - fixed) / count - 2, 250);
  for (size_t i = 0; i < count; ++i) s.names.push_back(padded_name(i, length - 1));
  return issue(std::move(s), issuer);
}

HostileChain HostileChainMaker::shared_key_intermediates(size_t copies) {
  HostileChain out{"shared-key intermediates", {}, {}, "victim.example"};
  const Ca evil = make_ca("Evil CA");
  std::vector<Der> cas;
  for (size_t i = 0; i < copies; ++i) cas.push_back(ca_certificate(evil, evil, 64, i));
  const size_t used = message_size(cas) + kEntryOverhead;
  out.chain.push_back(leaf(evil, kHostileMessageLimit - used, out.server_name));
  out.chain.insert(out.chain.end(), cas.begin(), cas.end());
  out.anchors.push_back(ca_certificate(make_ca("Trusted Root"), make_ca("Trusted Root"), 0, 0));
  return out;
}

HostileChain HostileChainMaker::layered_intermediates(size_t layers, size_t width) {
  HostileChain out{"layered intermediates", {}, {}, "victim.example"};
  // layer[k][j] is issued by layer[k + 1][j], under the name of layer k + 1.
  std::vector<std::vector<Ca>> layer(layers + 1);
  for (size_t k = 0; k <= layers; ++k) {
    for (size_t j = 0; j < width; ++j) layer[k].push_back(make_ca("Evil L" + std::to_string(k)));
  }
  std::vector<Der> cas;
  for (size_t k = 0; k < layers; ++k) {
    for (size_t j = 0; j < width; ++j) {
      cas.push_back(ca_certificate(layer[k][j], layer[k + 1][j], 64, k * width + j));
    }
  }
  const size_t used = message_size(cas) + kEntryOverhead;
  out.chain.push_back(leaf(layer[0][0], kHostileMessageLimit - used, out.server_name));
  out.chain.insert(out.chain.end(), cas.begin(), cas.end());
  out.anchors.push_back(ca_certificate(make_ca("Trusted Root"), make_ca("Trusted Root"), 0, 0));
  return out;
}

HostileChain HostileChainMaker::signature_maze(size_t count) {
  HostileChain out{"signature maze", {}, {}, "victim.example"};
  std::vector<Ca> cas;
  for (size_t i = 0; i < count; ++i) cas.push_back(make_ca("Evil Maze"));
  out.chain.push_back(leaf(cas[0], 0, out.server_name));
  // Each signed by the next: only one of the fifteen candidates above each is its issuer.
  for (size_t i = 0; i < count; ++i) {
    out.chain.push_back(ca_certificate(cas[i], cas[(i + 1) % count], 0, i));
  }
  out.anchors.push_back(ca_certificate(make_ca("Trusted Root"), make_ca("Trusted Root"), 0, 0));
  return out;
}

HostileChain HostileChainMaker::ordinary_chain() {
  HostileChain out{"ordinary chain", {}, {}, "victim.example"};
  const Ca root = make_ca("Ordinary Root");
  const Ca intermediate = make_ca("Ordinary Intermediate");
  out.anchors.push_back(ca_certificate(root, root, 0, 0));
  out.chain.push_back(leaf(intermediate, 0, out.server_name));
  out.chain.push_back(ca_certificate(intermediate, root, 0, 0));
  return out;
}

HostileChain HostileChainMaker::anchored_constraints() {
  HostileChain out{"anchored constraints", {}, {}, "victim.example"};
  const Ca root = make_ca("Constrained Root");
  const Ca intermediate = make_ca("Constrained Intermediate");
  out.anchors.push_back(ca_certificate(root, root, 64, 100));
  const Der middle = ca_certificate(intermediate, root, 64, 101);
  const size_t used = message_size({middle}) + kEntryOverhead;
  out.chain.push_back(leaf(intermediate, kHostileMessageLimit - used, out.server_name));
  out.chain.push_back(middle);
  return out;
}

}  // namespace bastion::test
