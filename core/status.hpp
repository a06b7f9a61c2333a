#pragma once
// The outcome of an operation that can fail on user input: ok, or one readable message.

#include <string>
#include <utility>

namespace vilab {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return {}; }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool isOk() const { return m_message.empty(); }
  explicit operator bool() const { return isOk(); }
  const std::string& message() const { return m_message; }

 private:
  explicit Status(std::string message) : m_message(std::move(message)) {
    if (m_message.empty()) m_message = "unknown error";
  }
  std::string m_message;
};

}  // namespace vilab
