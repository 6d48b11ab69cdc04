// Rules of the parley.v1 wire that the SDK checks before sending (as @parley/protocol's
// ids.ts, limits.ts and codec.ts): ids, UTF-8, sizes, base64.
#ifndef PARLEY_WIRE_H
#define PARLEY_WIRE_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace parley {

namespace limits {
const size_t maxIdBytes = 64;
const size_t maxMessageBytes = 32 * 1024;
const int maxQueryPeers = 256;
const int maxSubscriptions = 512;
const int maxMemberCountChannels = 32;
const size_t maxAttributeKeyBytes = 32;
const size_t maxAttributeValueBytes = 8 * 1024;
const int maxUserAttributes = 32;
const int maxChannelAttributes = 32;
const size_t maxInvitationTextBytes = 8 * 1024;
const size_t maxTokenBytes = 2048;
const size_t maxAppIdBytes = 64;
const int loginRatePerSecond = 2;
}  // namespace limits

const char* const kSubprotocol = "parley.v1";

/** A uid or channel id: 1-64 chars of the RTM character set, not "null". */
bool isValidId(const char* id);
bool isValidId(const std::string& id);
/** App ids: 1-64 of A-Z a-z 0-9 _ . - */
bool isValidAppId(const char* id);
/** Attribute keys: 1-32 visible ASCII characters. */
bool isValidAttributeKey(const char* key);
bool isValidUtf8(const char* data, size_t length);
inline bool isValidUtf8(const std::string& s) { return isValidUtf8(s.data(), s.size()); }

std::string base64Encode(const uint8_t* data, size_t length);
/** False if `text` is not canonical base64. */
bool base64Decode(const std::string& text, std::string& out);

/** `http(s)://` becomes `ws(s)://`, and the path defaults to "/". */
std::string socketUrl(const std::string& base);

}  // namespace parley

#endif
