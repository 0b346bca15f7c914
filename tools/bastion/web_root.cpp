#include "web_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace bastion::cli {
namespace {

std::string_view content_type_for(std::string_view name) {
  const size_t dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot);
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  if (ext == ".css") return "text/css";
  if (ext == ".js") return "text/javascript";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".svg") return "image/svg+xml";
  return "application/octet-stream";
}

// `path` (relative) opened beneath `dir`: symbolic links are followed only while they stay
// inside it, and never through /proc magic links. With O_PATH (which openat2 takes only with
// O_CLOEXEC here) nothing is opened for I/O, so looking at a device node or a FIFO has no
// effect on it.
int open_beneath(int dir, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    const long fd = ::syscall(SYS_openat2, dir, path.c_str(), &how, sizeof how);
    if (fd >= 0 || errno != EINTR) return static_cast<int>(fd);
  }
}

}  // namespace

OpenFile::OpenFile(OpenFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), content_type_(other.content_type_) {}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::shared_ptr<const WebRoot>> WebRoot::open(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Error{ErrorCode::io_error,
                 dir.string() + " is not a directory we can serve (" + std::strerror(errno) + ")"};
  }
  return std::shared_ptr<const WebRoot>(new WebRoot(fd));
}

WebRoot::~WebRoot() {
  ::close(fd_);
}

std::optional<OpenFile> WebRoot::open_file(const std::vector<std::string>& segments) const {
  std::string path = ".";
  for (const auto& segment : segments) {
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    path += "/" + segment;
  }
  std::string name = segments.empty() ? "" : segments.back();
  // What the path names, looked at without opening it.
  int probe = open_beneath(fd_, path, O_PATH);
  if (probe < 0) return std::nullopt;
  struct stat st {};
  const bool directory = ::fstat(probe, &st) == 0 && S_ISDIR(st.st_mode);
  const bool regular = S_ISREG(st.st_mode);
  ::close(probe);
  if (directory) {
    path += "/index.html";
    name = "index.html";
  } else if (!regular) {
    return std::nullopt;
  }
  // Opened for reading only now, and checked again: it may have changed in between.
  const int fd = open_beneath(fd_, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return std::nullopt;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  return OpenFile(fd, static_cast<uint64_t>(st.st_size), content_type_for(name));
}

}  // namespace bastion::cli
