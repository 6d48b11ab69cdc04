#include "wire.h"

#include <cstring>

namespace parley {

namespace {
bool idChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr(" !#$%&()+-:;<=.>?@[]^_{}|~,", c) != nullptr && c != 0;
}
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

bool isValidId(const std::string& id) {
  if (id.empty() || id.size() > limits::maxIdBytes || id == "null") return false;
  for (unsigned char c : id)
    if (!idChar(c)) return false;
  return true;
}

bool isValidId(const char* id) { return id != nullptr && isValidId(std::string(id)); }

bool isValidAppId(const char* id) {
  if (id == nullptr) return false;
  size_t n = std::strlen(id);
  if (n == 0 || n > limits::maxAppIdBytes) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool isValidAttributeKey(const char* key) {
  if (key == nullptr) return false;
  size_t n = std::strlen(key);
  if (n == 0 || n > limits::maxAttributeKeyBytes) return false;
  for (size_t i = 0; i < n; i++)
    if (key[i] < 0x21 || key[i] > 0x7e) return false;
  return true;
}

bool isValidUtf8(const char* data, size_t length) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < length) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; k++) {
      if (i + k >= length) return false;
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::string base64Encode(const uint8_t* data, size_t length) {
  std::string out;
  out.reserve((length + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < length; i += 3) {
    uint32_t n = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8) | data[i + 2];
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i < length) {
    size_t rest = length - i;
    uint32_t n = (uint32_t(data[i]) << 16) | (rest == 2 ? uint32_t(data[i + 1]) << 8 : 0);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += rest == 2 ? kB64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool base64Decode(const std::string& text, std::string& out) {
  out.clear();
  if (text.size() % 4 != 0) return false;
  size_t pad = 0;
  if (text.size() >= 2 && text[text.size() - 1] == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int a = sextet(text[i]), b = sextet(text[i + 1]);
    int c = last && pad == 2 ? 0 : sextet(text[i + 2]);
    int d = last && pad >= 1 ? 0 : sextet(text[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0) return false;
    uint32_t n = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    out += char(n >> 16);
    if (!(last && pad == 2)) out += char((n >> 8) & 255);
    if (!(last && pad >= 1)) out += char(n & 255);
  }
  return true;
}

std::string socketUrl(const std::string& base) {
  std::string u = base;
  if (u.compare(0, 7, "http://") == 0) u = "ws://" + u.substr(7);
  else if (u.compare(0, 8, "https://") == 0) u = "wss://" + u.substr(8);
  size_t scheme = u.find("://");
  if (scheme != std::string::npos && u.find('/', scheme + 3) == std::string::npos) u += "/";
  return u;
}

}  // namespace parley
