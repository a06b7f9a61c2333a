#pragma once
// Files appear whole or not at all: written to a temporary name beside the target, then renamed.
// A failed run leaves nothing behind.

#include <cstdio>
#include <string>

#include "core/status.hpp"

namespace vilab {

Status writeFileAtomically(const std::string& path, const std::string& contents);

// Checks that `path` can be created (its folder exists and is writable) without creating it.
Status checkWritable(const std::string& path);

// Streams into a temporary file; commit() renames it to the target, the destructor without
// commit() removes it.
class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  Status open(const std::string& path);
  std::FILE* handle() { return m_file; }
  Status commit();

 private:
  std::string m_path, m_temporary;
  std::FILE* m_file = nullptr;
};

}  // namespace vilab
