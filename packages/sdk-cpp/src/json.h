// nlohmann::json with the few no-throw helpers the SDK uses on frames from the server.
#ifndef PARLEY_JSON_H
#define PARLEY_JSON_H

#include <nlohmann/json.hpp>

#include <string>

namespace parley {

using Json = nlohmann::json;

/** Never throws: invalid UTF-8 (never sent, the SDK checks first) is replaced. */
inline std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

inline std::string str(const Json& j, const char* key, const std::string& fallback = "") {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

inline long long num(const Json& j, const char* key, long long fallback = 0) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->is_number_float() ? (long long)it->get<double>() : it->get<long long>();
}

inline bool flag(const Json& j, const char* key) {
  if (!j.is_object()) return false;
  auto it = j.find(key);
  if (it == j.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_number() && it->get<double>() != 0;
}

/** The member `key` when it is an object (or array, when asked), else null. */
inline const Json& member(const Json& j, const char* key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

}  // namespace parley

#endif
