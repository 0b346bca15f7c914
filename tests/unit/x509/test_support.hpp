// Helpers shared by the X.509 tests: the generated test PKI as DER, and a tiny DER builder
// to make certificates that a CA would not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bastion/x509.hpp"
#include "unit/x509/test_certs.hpp"
#include "x509/der.hpp"

namespace bastion::x509::testing {

inline Der der_of(const char* pem) {
  auto ders = parse_pem_certificates(pem);
  return ders.ok() ? ders->front() : Der{};
}

inline std::vector<uint8_t> tlv(uint8_t tag, const std::vector<uint8_t>& contents) {
  std::vector<uint8_t> out{tag};
  const size_t n = contents.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<uint8_t>(n)});
  } else if (n < 0x10000) {
    out.insert(out.end(), {0x82, static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x83, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                           static_cast<uint8_t>(n)});
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

inline std::vector<uint8_t> cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// One Extension TLV.
inline std::vector<uint8_t> extension(const std::vector<uint8_t>& oid, bool critical,
                                      const std::vector<uint8_t>& value) {
  return tlv(0x30, cat({tlv(0x06, oid), critical ? tlv(0x01, {0xff}) : std::vector<uint8_t>{},
                        tlv(0x04, value)}));
}

// `cert` with `extra` appended to its extensions (the signature no longer verifies, which
// parsing does not look at).
inline Der with_extra_extensions(const Der& cert, const std::vector<uint8_t>& extra) {
  der::Reader outer(cert);
  der::Reader c(der::Bytes{});
  der::Bytes tbs, alg, sig;
  if (!outer.enter(0x30, c) || !c.read_tlv(0x30, tbs) || !c.read_tlv(0x30, alg) ||
      !c.read_tlv(0x03, sig)) {
    return {};
  }
  der::Reader t_outer(tbs);
  der::Reader t(der::Bytes{});
  if (!t_outer.enter(0x30, t)) return {};
  std::vector<uint8_t> fields;
  while (!t.empty()) {
    uint8_t tag = 0;
    der::Bytes contents, whole;
    if (!t.read_any(tag, contents, &whole)) return {};
    if (tag == 0xa3) {
      der::Reader e_outer(contents);
      der::Bytes exts;
      if (!e_outer.read(0x30, exts)) return {};
      std::vector<uint8_t> list(exts.begin(), exts.end());
      list.insert(list.end(), extra.begin(), extra.end());
      const auto rebuilt = tlv(0xa3, tlv(0x30, list));
      fields.insert(fields.end(), rebuilt.begin(), rebuilt.end());
    } else {
      fields.insert(fields.end(), whole.begin(), whole.end());
    }
  }
  return tlv(0x30, cat({tlv(0x30, fields), std::vector<uint8_t>(alg.begin(), alg.end()),
                        std::vector<uint8_t>(sig.begin(), sig.end())}));
}

}  // namespace bastion::x509::testing
