#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "bastion/config.hpp"

namespace bastion {
namespace {

// NSS key log format: "<label> <client_random hex> <secret hex>\n", one line per secret.
class FileKeyLog final : public KeyLog {
 public:
  explicit FileKeyLog(std::FILE* file) : file_(file) {}
  ~FileKeyLog() override { std::fclose(file_); }
  FileKeyLog(const FileKeyLog&) = delete;
  FileKeyLog& operator=(const FileKeyLog&) = delete;

  void log(std::string_view label, std::span<const uint8_t> client_random,
           std::span<const uint8_t> secret) const override {
    std::string line(label);
    line += ' ';
    append_hex(line, client_random);
    line += ' ';
    append_hex(line, secret);
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }

 private:
  static void append_hex(std::string& out, std::span<const uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (uint8_t b : bytes) {
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  std::FILE* file_;
  mutable std::mutex mutex_;
};

}  // namespace

std::shared_ptr<const KeyLog> key_log_file(const std::filesystem::path& path) {
  // The file holds every traffic secret: a new one is readable by its owner only, whatever the
  // umask. An existing file keeps the mode its owner gave it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  std::FILE* f = ::fdopen(fd, "a");
  if (!f) {
    ::close(fd);
    return nullptr;
  }
  return std::make_shared<FileKeyLog>(f);
}

std::shared_ptr<const KeyLog> key_log_from_env() {
  const char* path = std::getenv("SSLKEYLOGFILE");
  if (!path || !*path) return nullptr;
  return key_log_file(path);
}

}  // namespace bastion
