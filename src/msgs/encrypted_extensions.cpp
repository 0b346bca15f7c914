#include "msgs/encrypted_extensions.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<EncryptedExtensions> EncryptedExtensions::decode(Bytes body) {
  Reader r(body);
  auto extensions = read_extensions(r);
  if (!extensions) return std::move(extensions).error();
  if (!r.empty()) return detail::trailing_data("EncryptedExtensions");
  return EncryptedExtensions{std::move(extensions).value()};
}

Result<std::vector<uint8_t>> EncryptedExtensions::encode() const {
  return encode_extensions(extensions);
}

}  // namespace bastion::msgs
