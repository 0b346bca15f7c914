#include "record/fragmenter.hpp"

#include <algorithm>

namespace bastion::record {

void append_plaintext_records(ContentType type, crypto::Bytes data, std::vector<uint8_t>& out,
                              uint16_t legacy_version, size_t max_fragment) {
  max_fragment = std::clamp<size_t>(max_fragment, 1, limits::kMaxPlaintext);
  while (!data.empty()) {
    const size_t n = std::min(data.size(), max_fragment);
    out.push_back(static_cast<uint8_t>(type));
    out.push_back(static_cast<uint8_t>(legacy_version >> 8));
    out.push_back(static_cast<uint8_t>(legacy_version));
    out.push_back(static_cast<uint8_t>(n >> 8));
    out.push_back(static_cast<uint8_t>(n));
    out.insert(out.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    data = data.subspan(n);
  }
}

}  // namespace bastion::record
