#include "msgs/ext_signature_algorithms.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {
namespace {

Result<std::vector<SignatureScheme>> decode_schemes(Bytes data, const char* what) {
  Reader r(data);
  std::vector<SignatureScheme> schemes;
  if (!detail::read_u16_list(r, 2, 0xfffe, schemes)) {
    return detail::decode_error(std::string("bad ") + what + " list");
  }
  if (!r.empty()) return detail::trailing_data(what);
  return schemes;
}

Result<std::vector<uint8_t>> encode_schemes(const std::vector<SignatureScheme>& schemes) {
  std::vector<uint8_t> out;
  Writer w(out);
  detail::write_u16_list(w, schemes);
  return w.finish();
}

}  // namespace

Result<SignatureAlgorithms> SignatureAlgorithms::decode(Bytes data) {
  auto schemes = decode_schemes(data, "signature_algorithms");
  if (!schemes) return std::move(schemes).error();
  return SignatureAlgorithms{std::move(schemes).value()};
}

Result<std::vector<uint8_t>> SignatureAlgorithms::encode() const {
  return encode_schemes(schemes);
}

Result<SignatureAlgorithmsCert> SignatureAlgorithmsCert::decode(Bytes data) {
  auto schemes = decode_schemes(data, "signature_algorithms_cert");
  if (!schemes) return std::move(schemes).error();
  return SignatureAlgorithmsCert{std::move(schemes).value()};
}

Result<std::vector<uint8_t>> SignatureAlgorithmsCert::encode() const {
  return encode_schemes(schemes);
}

}  // namespace bastion::msgs
