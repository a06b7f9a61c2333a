#pragma once
// Running the vilab binary as a script would: exit code, standard output and standard error;
// and a fresh temporary folder per test for what it writes.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vilab::test {

namespace fs = std::filesystem;

struct Result {
  int code;
  std::string out, err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `vilab ARGS` (ARGS as a shell would split them).
inline Result run(const std::string& args) {
  const fs::path errFile =
      fs::temp_directory_path() / ("vilab_stderr_" + std::to_string(::getpid()));
  const std::string command = std::string(VILAB_BINARY) + " " + args + " 2>" + errFile.string();
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = pipe ? pclose(pipe) : -1;
  std::string err = slurp(errFile);
  fs::remove(errFile);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, err};
}

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("vilab_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

}  // namespace vilab::test
