#include "log.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

namespace parley {

Log::Log() {
  if (const char* p = std::getenv("PARLEY_RTM_LOG_FILE")) setFile(p);
}

Log::~Log() {
  if (file_) std::fclose(file_);
}

int Log::setFile(const char* path) {
  if (path == nullptr || *path == 0) return -2;
  std::FILE* f = std::fopen(path, "a");
  if (!f) return -2;
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) std::fclose(file_);
  file_ = f;
  path_ = path;
  std::fseek(f, 0, SEEK_END);
  size_ = std::ftell(f);
  return 0;
}

int Log::setFilter(int filter) {
  if (filter < 0 || (filter & ~0x80f) != 0) return -2;
  std::lock_guard<std::mutex> lock(mu_);
  filter_ = filter;
  return 0;
}

int Log::setFileSize(int kiloBytes) {
  if (kiloBytes <= 0 || kiloBytes > 1024 * 1024) return -2;
  std::lock_guard<std::mutex> lock(mu_);
  maxBytes_ = long(kiloBytes) * 1024;
  return 0;
}

bool Log::enabled(LogLevel level) const {
  std::lock_guard<std::mutex> lock(mu_);
  return file_ != nullptr && (filter_ & level) != 0;
}

void Log::write(LogLevel level, const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!file_ || (filter_ & level) == 0) return;
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  long ms = long(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm;
  gmtime_r(&t, &tm);
  char stamp[40];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  const char* name = level == LOG_INFO ? "INFO" : level == LOG_WARN ? "WARN"
                     : level == LOG_ERROR ? "ERROR" : "CRITICAL";
  int n = std::fprintf(file_, "%s.%03ldZ [%s] %s\n", stamp, ms, name, line.c_str());
  std::fflush(file_);
  if (n > 0) size_ += n;
  if (size_ > maxBytes_) rotate();
}

void Log::rotate() {
  std::fclose(file_);
  std::string old = path_ + ".1";
  std::rename(path_.c_str(), old.c_str());
  file_ = std::fopen(path_.c_str(), "w");
  size_ = 0;
}

}  // namespace parley
