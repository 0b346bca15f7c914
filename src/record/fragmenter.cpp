#include "record/fragmenter.hpp"

#include <algorithm>

namespace bastion::record {

void write_plaintext_record(ContentType type, crypto::Bytes fragment, std::span<uint8_t> out,
                            uint16_t legacy_version) {
  out[0] = static_cast<uint8_t>(type);
  out[1] = static_cast<uint8_t>(legacy_version >> 8);
  out[2] = static_cast<uint8_t>(legacy_version);
  out[3] = static_cast<uint8_t>(fragment.size() >> 8);
  out[4] = static_cast<uint8_t>(fragment.size());
  std::copy(fragment.begin(), fragment.end(), out.begin() + limits::kRecordHeader);
}

void append_plaintext_records(ContentType type, crypto::Bytes data, std::vector<uint8_t>& out,
                              uint16_t legacy_version, size_t max_fragment) {
  max_fragment = std::clamp<size_t>(max_fragment, 1, limits::kMaxPlaintext);
  while (!data.empty()) {
    const size_t n = std::min(data.size(), max_fragment);
    const size_t start = out.size();
    out.resize(start + limits::kRecordHeader + n);
    write_plaintext_record(type, data.first(n), std::span(out).subspan(start), legacy_version);
    data = data.subspan(n);
  }
}

}  // namespace bastion::record
