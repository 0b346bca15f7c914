// The directory `bastion server --www` serves. Files are opened beneath a descriptor of the
// directory taken at start-up (openat2 with RESOLVE_BENEATH): neither ".." nor a symbolic link
// leads outside it, and the file checked is the file opened, with no path looked up twice.
// Names that start with a dot (.git, .env, .htpasswd) are never served.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"

namespace bastion::cli {

// An open regular file, closed when destroyed.
class OpenFile {
 public:
  OpenFile(int fd, uint64_t size, std::string_view content_type)
      : fd_(fd), size_(size), content_type_(content_type) {}
  OpenFile(OpenFile&& other) noexcept;
  OpenFile& operator=(OpenFile&&) = delete;
  ~OpenFile();

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  std::string_view content_type() const { return content_type_; }

 private:
  int fd_;
  uint64_t size_;
  std::string_view content_type_;
};

class WebRoot {
 public:
  // io_error when `dir` is not a directory that can be opened.
  static Result<std::shared_ptr<const WebRoot>> open(const std::filesystem::path& dir);
  ~WebRoot();
  WebRoot(const WebRoot&) = delete;
  WebRoot& operator=(const WebRoot&) = delete;

  // The regular file that the path `segments` names beneath the root (index.html for a
  // directory), or nullopt: missing, a dot-name, outside the root, or not a regular file.
  std::optional<OpenFile> open_file(const std::vector<std::string>& segments) const;

 private:
  explicit WebRoot(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace bastion::cli
