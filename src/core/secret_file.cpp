#include "core/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bastion {
namespace {

Error file_error(const std::filesystem::path& path, std::string what) {
  return Error{ErrorCode::io_error, std::move(what) + " " + path.string()};
}

// Closes the descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<SecretVector> read_secret_file(const std::filesystem::path& path, size_t max_size) {
  Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0)
    return file_error(path, std::string("cannot read (") + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return file_error(path, "cannot read (not a regular file)");
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size > max_size) return file_error(path, "too large to be a key file:");
  SecretVector contents(size);
  std::span<uint8_t> rest = contents.mutable_span();
  while (!rest.empty()) {
    const ssize_t n = ::read(file.fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return file_error(path, "cannot read (it changed while read)");
    rest = rest.subspan(static_cast<size_t>(n));
  }
  return contents;
}

}  // namespace bastion
