// The SDK log: setLogFile / setLogFilter / setLogFileSize. Thread-safe; cheap when off.
#ifndef PARLEY_LOG_H
#define PARLEY_LOG_H

#include <cstdio>
#include <mutex>
#include <string>

namespace parley {

enum LogLevel { LOG_INFO = 0x1, LOG_WARN = 0x2, LOG_ERROR = 0x4, LOG_CRITICAL = 0x8 };

class Log {
 public:
  Log();
  ~Log();
  /** Answers 0, or -2 when the file cannot be opened for appending. */
  int setFile(const char* path);
  /** `filter` is a LOG_FILTER_TYPE bit mask (0x0f = everything, 0 = off). */
  int setFilter(int filter);
  /** Past this size the file is moved to `<file>.1` and a new one starts. */
  int setFileSize(int kiloBytes);
  bool enabled(LogLevel level) const;
  void write(LogLevel level, const std::string& line);

 private:
  void rotate();
  mutable std::mutex mu_;
  std::string path_;
  std::FILE* file_ = nullptr;
  int filter_ = 0x0f;
  long maxBytes_ = 10240L * 1024;
  long size_ = 0;
};

}  // namespace parley

#endif
