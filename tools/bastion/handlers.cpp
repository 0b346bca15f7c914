#include "handlers.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/x509.hpp"
#include "commands.hpp"

namespace bastion::cli {
namespace {

constexpr size_t kMaxRequestHead = 16 * 1024;

struct Request {
  std::string method;
  std::string target;
};

// Reads until the blank line that ends an HTTP request head. nullopt when the client closed
// first, failed, or sent too much.
std::optional<std::string> read_request_head(Stream& stream) {
  std::string head;
  std::array<uint8_t, 4096> buffer;
  while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
    if (head.size() > kMaxRequestHead) return std::nullopt;
    auto n = stream.read(buffer);
    if (!n || *n == 0) return std::nullopt;
    head.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
  return head;
}

std::optional<Request> parse_request_line(std::string_view head) {
  std::string_view line = head.substr(0, head.find_first_of("\r\n"));
  auto first_space = line.find(' ');
  if (first_space == std::string_view::npos) return std::nullopt;
  auto second_space = line.find(' ', first_space + 1);
  Request request;
  request.method = line.substr(0, first_space);
  request.target = line.substr(first_space + 1, second_space - first_space - 1);
  if (request.target.empty()) return std::nullopt;
  return request;
}

void send_response(Stream& stream, std::string_view status, std::string_view content_type,
                   std::string_view body, bool with_body = true) {
  std::string head = "HTTP/1.1 " + std::string(status) +
                     "\r\nServer: bastion\r\nContent-Type: " + std::string(content_type) +
                     "\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n\r\n";
  if (!stream.write(head)) return;
  if (with_body) static_cast<void>(stream.write(body));
}

void send_error(Stream& stream, std::string_view status) {
  send_response(stream, status, "text/plain", std::string(status) + "\n");
}

std::string describe(const Stream& stream) {
  ConnectionInfo info = stream.info();
  std::string text = "bastion server\n";
  text += "version: " + name_or_none(info.version) + "\n";
  text += "cipher: " + name_or_none(info.cipher_suite) + "\n";
  text += "group: " + name_or_none(info.group) + "\n";
  text += "hello_retry: " + std::string(info.hello_retry ? "yes" : "no") + "\n";
  text += "resumed: " + std::string(info.resumed ? "yes" : "no") + "\n";
  text += "alpn: " + (info.alpn.empty() ? std::string("none") : info.alpn) + "\n";
  text += "sni: " + (info.server_name.empty() ? std::string("none") : info.server_name) + "\n";
  text += "peer: " + stream.peer_address() + "\n";
  ClientIdentity client = client_identity(info);
  text += "client_subject: " + client.subject + "\n";
  text += "client_verified: " + std::string(client.verified ? "yes" : "no") + "\n";
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The request path, percent-decoded and split into segments; nullopt when it is malformed or
// climbs with "..".
std::optional<std::vector<std::string>> path_segments(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  if (!target.starts_with("/")) return std::nullopt;
  std::vector<std::string> segments;
  std::string current;
  auto finish_segment = [&]() -> bool {
    if (current == "..") return false;
    if (!current.empty() && current != ".") segments.push_back(current);
    current.clear();
    return true;
  };
  for (size_t i = 1; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size()) return std::nullopt;
      int high = hex_value(target[i + 1]);
      int low = hex_value(target[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      if (c == '\0' || c == '/') return std::nullopt;
      i += 2;
    }
    if (c == '/') {
      if (!finish_segment()) return std::nullopt;
    } else {
      current += c;
    }
  }
  if (!finish_segment()) return std::nullopt;
  return segments;
}

std::string_view content_type_for(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
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

// The file a request names, if it exists inside root (symbolic links included).
std::optional<std::filesystem::path> resolve_file(const std::filesystem::path& root,
                                                  const std::vector<std::string>& segments) {
  std::error_code ec;
  std::filesystem::path path = root;
  for (const auto& segment : segments) path /= segment;
  if (std::filesystem::is_directory(path, ec)) path /= "index.html";
  auto real = std::filesystem::canonical(path, ec);
  if (ec || !std::filesystem::is_regular_file(real, ec)) return std::nullopt;
  auto real_root = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  auto [root_end, _] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (root_end != real_root.end()) return std::nullopt;
  return real;
}

}  // namespace

ClientIdentity client_identity(const ConnectionInfo& info) {
  if (info.peer_certificates.empty()) return {"none", false};
  auto leaf = describe_certificate(info.peer_certificates.front());
  if (!leaf) return {"(unreadable: " + leaf.error().message() + ")", info.peer_verified};
  return {leaf->subject, info.peer_verified};
}

void serve_status(Stream& stream) {
  if (!read_request_head(stream)) return;
  send_response(stream, "200 OK", "text/plain; charset=utf-8", describe(stream));
}

void serve_echo(Stream& stream) {
  std::array<uint8_t, 16 * 1024> buffer;
  for (;;) {
    auto n = stream.read(buffer);
    if (!n || *n == 0) return;
    if (!stream.write(std::span<const uint8_t>(buffer.data(), *n))) return;
  }
}

void serve_files(Stream& stream, const std::filesystem::path& root) {
  auto head = read_request_head(stream);
  if (!head) return;
  auto request = parse_request_line(*head);
  if (!request) return send_error(stream, "400 Bad Request");
  bool is_head = request->method == "HEAD";
  if (request->method != "GET" && !is_head) return send_error(stream, "405 Method Not Allowed");
  auto segments = path_segments(request->target);
  if (!segments) return send_error(stream, "400 Bad Request");
  auto file = resolve_file(root, *segments);
  if (!file) return send_error(stream, "404 Not Found");

  std::ifstream in(*file, std::ios::binary);
  std::error_code ec;
  auto size = std::filesystem::file_size(*file, ec);
  if (!in || ec) return send_error(stream, "404 Not Found");
  std::string response_head = "HTTP/1.1 200 OK\r\nServer: bastion\r\nContent-Type: " +
                              std::string(content_type_for(*file)) +
                              "\r\nContent-Length: " + std::to_string(size) +
                              "\r\nConnection: close\r\n\r\n";
  if (!stream.write(response_head) || is_head) return;
  std::vector<char> chunk(64 * 1024);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    if (!stream.write(std::string_view(chunk.data(), got))) return;
  }
}

}  // namespace bastion::cli
