#include "app/export/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vilab {
namespace {

std::string folderOf(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

Status checkWritable(const std::string& path) {
  if (path.empty()) return Status::error("empty output path");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::error("'" + path + "' is a folder, not a file");
  const std::string folder = folderOf(path);
  if (!std::filesystem::is_directory(folder, ec))
    return Status::error("cannot write '" + path + "': folder '" + folder + "' does not exist");
  if (access(folder.c_str(), W_OK) != 0)
    return Status::error("cannot write '" + path + "': folder '" + folder + "' is not writable");
  return Status::ok();
}

AtomicFile::~AtomicFile() {
  if (m_file) {
    std::fclose(m_file);
    std::remove(m_temporary.c_str());
  }
}

Status AtomicFile::open(const std::string& path) {
  if (Status s = checkWritable(path); !s) return s;
  m_path = path;
  m_temporary = path + ".tmp-" + std::to_string(getpid());
  m_file = std::fopen(m_temporary.c_str(), "wb");
  if (!m_file) return Status::error("cannot write '" + path + "': " + std::strerror(errno));
  return Status::ok();
}

Status AtomicFile::commit() {
  if (!m_file) return Status::error("nothing to write to '" + m_path + "'");
  const bool ok = std::fflush(m_file) == 0 && !std::ferror(m_file);
  std::fclose(m_file);
  m_file = nullptr;
  if (!ok || std::rename(m_temporary.c_str(), m_path.c_str()) != 0) {
    std::remove(m_temporary.c_str());
    return Status::error("cannot write '" + m_path + "': " + std::strerror(errno));
  }
  return Status::ok();
}

Status writeFileAtomically(const std::string& path, const std::string& contents) {
  AtomicFile file;
  if (Status s = file.open(path); !s) return s;
  std::fwrite(contents.data(), 1, contents.size(), file.handle());
  return file.commit();
}

}  // namespace vilab
