// User attributes, channel attributes and channel member counts (frames uattr, uattr.get,
// cattr, cattr.get, mcount of channel-frames.ts).
#include <cstring>

#include "rtm_service.h"
#include "wire.h"

namespace parley {

namespace {

ATTRIBUTE_OPERATION_ERR attrCode(const Reply& r) {
  if (r.ok) return ATTRIBUTE_OPERATION_ERR_OK;
  if ((r.code >= 1 && r.code <= 7) || r.code == 102) return ATTRIBUTE_OPERATION_ERR(r.code);
  return ATTRIBUTE_OPERATION_ERR_FAILURE;
}

/** Checks a value: UTF-8 and at most 8 KB; 0 or the attribute error code. */
int checkValue(const char* v) {
  if (v == nullptr) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  size_t n = std::strlen(v);
  if (n == 0 || !isValidUtf8(v, n)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (n > limits::maxAttributeValueBytes) return ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;
  return 0;
}

int keyList(const char* keys[], int n, int max, Json& out) {
  if (n < 0 || (n > 0 && keys == nullptr)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (n > max) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  out = Json::array();
  for (int i = 0; i < n; i++) {
    if (!isValidAttributeKey(keys[i])) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    out.push_back(keys[i]);
  }
  return 0;
}

}  // namespace

int RtmService::userAttributeWrite(const char*, const std::string& op, const RtmAttribute* attrs,
                                   int n, const char* keys[], int nKeys, long long& requestId,
                                   void (IRtmServiceEventHandler::*result)(
                                       long long, ATTRIBUTE_OPERATION_ERR)) {
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED,
                    ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN))
    return c;
  Json frame{{"t", "uattr"}, {"op", op}};
  std::map<std::string, std::string> written;
  if (op == "set" || op == "add") {
    if (n < 0 || (n > 0 && attrs == nullptr)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    if (n > limits::maxUserAttributes) return ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;
    Json map = Json::object();
    for (int i = 0; i < n; i++) {
      if (!isValidAttributeKey(attrs[i].key)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
      if (int c = checkValue(attrs[i].value)) return c;
      map[attrs[i].key] = attrs[i].value;
      written[attrs[i].key] = attrs[i].value;
    }
    frame["attrs"] = map;
  } else if (op == "del") {
    Json list;
    if (int c = keyList(keys, nKeys, limits::maxUserAttributes, list)) return c;
    frame["keys"] = list;
    for (auto& k : list) written[k.get<std::string>()] = "";
  }
  long long id = requestId;
  conn_->request(std::move(frame), ATTRIBUTE_OPERATION_ERR_TIMEOUT,
                 [this, id, op, written, result](const Reply& r) {
                   if (r.ok) {
                     // What to re-set if the server loses the session (client.ts restore).
                     if (op == "set" || op == "clear") localAttributes_.clear();
                     for (auto& w : written) {
                       if (op == "del")
                         localAttributes_.erase(w.first);
                       else
                         localAttributes_[w.first] = w.second;
                     }
                   }
                   ATTRIBUTE_OPERATION_ERR code = attrCode(r);
                   toHandlers([id, code, result](IRtmServiceEventHandler* h) {
                     (h->*result)(id, code);
                   });
                 });
  return 0;
}

int RtmService::setLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                       long long& requestId) {
  try {
    return userAttributeWrite("set", "set", attributes, numberOfAttributes, nullptr, 0, requestId,
                              &IRtmServiceEventHandler::onSetLocalUserAttributesResult);
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::addOrUpdateLocalUserAttributes(const RtmAttribute* attributes,
                                               int numberOfAttributes, long long& requestId) {
  try {
    return userAttributeWrite("add", "add", attributes, numberOfAttributes, nullptr, 0, requestId,
                              &IRtmServiceEventHandler::onAddOrUpdateLocalUserAttributesResult);
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys,
                                                long long& requestId) {
  try {
    return userAttributeWrite("del", "del", nullptr, 0, attributeKeys, numberOfKeys, requestId,
                              &IRtmServiceEventHandler::onDeleteLocalUserAttributesResult);
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::clearLocalUserAttributes(long long& requestId) {
  try {
    return userAttributeWrite("clear", "clear", nullptr, 0, nullptr, 0, requestId,
                              &IRtmServiceEventHandler::onClearLocalUserAttributesResult);
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::getUserAttributes(const char* userId, long long& requestId) {
  return getUserAttributesByKeys(userId, nullptr, -1, requestId);
}

int RtmService::attributeRead(const char* type, const char* idField, const char* id,
                              const char* keys[], int nKeys, int maxKeys, long long& requestId,
                              std::function<void(long long, const Reply&)> done) {
  try {
    requestId = newRequestId();
    std::lock_guard<std::mutex> lock(mu_);
    if (int c = ready(ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED,
                      ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN))
      return c;
    if (!isValidId(id)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    Json frame{{"t", type}, {idField, id}};
    if (nKeys != -1) {  // -1: all keys (getUserAttributes, getChannelAttributes)
      Json list;
      if (int c = keyList(keys, nKeys, maxKeys, list)) return c;
      frame["keys"] = list;
    }
    long long rid = requestId;
    conn_->request(std::move(frame), ATTRIBUTE_OPERATION_ERR_TIMEOUT,
                   [rid, done](const Reply& r) { done(rid, r); });
    return 0;
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::getUserAttributesByKeys(const char* userId, const char* attributeKeys[],
                                        int numberOfKeys, long long& requestId) {
  std::string uid = userId ? userId : "";
  return attributeRead(
      "uattr.get", "u", userId, attributeKeys, numberOfKeys, limits::maxUserAttributes,
      requestId, [this, uid](long long id, const Reply& r) {
        auto kv = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
        const Json& attrs = member(r.result, "attrs");
        if (r.ok && attrs.is_object())
          for (auto it = attrs.begin(); it != attrs.end(); ++it)
            if (it->is_string()) kv->emplace_back(it.key(), it->get<std::string>());
        ATTRIBUTE_OPERATION_ERR code = attrCode(r);
        toHandlers([id, uid, kv, code](IRtmServiceEventHandler* h) {
          std::vector<RtmAttribute> out(kv->size());
          for (size_t i = 0; i < kv->size(); i++) {
            out[i].key = (*kv)[i].first.c_str();
            out[i].value = (*kv)[i].second.c_str();
          }
          h->onGetUserAttributesResult(id, uid.c_str(), out.empty() ? nullptr : out.data(),
                                       int(out.size()), code);
        });
      });
}

int RtmService::channelAttributeWrite(const std::string& op, const char* channelId,
                                      const IRtmChannelAttribute* attrs[], int n,
                                      const char* keys[], int nKeys,
                                      const ChannelAttributeOptions& options,
                                      long long& requestId,
                                      void (IRtmServiceEventHandler::*result)(
                                          long long, ATTRIBUTE_OPERATION_ERR)) {
  try {
    requestId = newRequestId();
    std::lock_guard<std::mutex> lock(mu_);
    if (int c = ready(ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED,
                      ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN))
      return c;
    if (!isValidId(channelId)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    Json frame{{"t", "cattr"},
               {"c", channelId},
               {"op", op},
               {"notify", options.enableNotificationToChannelMembers}};
    if (op == "set" || op == "add") {
      if (n < 0 || (n > 0 && attrs == nullptr)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
      if (n > limits::maxChannelAttributes) return ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;
      Json map = Json::object();
      for (int i = 0; i < n; i++) {
        if (attrs[i] == nullptr) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
        if (!isValidAttributeKey(attrs[i]->getKey())) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
        if (int c = checkValue(attrs[i]->getValue())) return c;
        map[attrs[i]->getKey()] = attrs[i]->getValue();
      }
      frame["attrs"] = map;
    } else if (op == "del") {
      Json list;
      if (int c = keyList(keys, nKeys, limits::maxChannelAttributes, list)) return c;
      frame["keys"] = list;
    }
    long long id = requestId;
    conn_->request(std::move(frame), ATTRIBUTE_OPERATION_ERR_TIMEOUT,
                   [this, id, result](const Reply& r) {
                     ATTRIBUTE_OPERATION_ERR code = attrCode(r);
                     toHandlers([id, code, result](IRtmServiceEventHandler* h) {
                       (h->*result)(id, code);
                     });
                   });
    return 0;
  } catch (...) {
    return ATTRIBUTE_OPERATION_ERR_FAILURE;
  }
}

int RtmService::setChannelAttributes(const char* channelId,
                                     const IRtmChannelAttribute* attributes[],
                                     int numberOfAttributes,
                                     const ChannelAttributeOptions& options,
                                     long long& requestId) {
  return channelAttributeWrite("set", channelId, attributes, numberOfAttributes, nullptr, 0,
                               options, requestId,
                               &IRtmServiceEventHandler::onSetChannelAttributesResult);
}

int RtmService::addOrUpdateChannelAttributes(const char* channelId,
                                             const IRtmChannelAttribute* attributes[],
                                             int numberOfAttributes,
                                             const ChannelAttributeOptions& options,
                                             long long& requestId) {
  return channelAttributeWrite("add", channelId, attributes, numberOfAttributes, nullptr, 0,
                               options, requestId,
                               &IRtmServiceEventHandler::onAddOrUpdateChannelAttributesResult);
}

int RtmService::deleteChannelAttributesByKeys(const char* channelId, const char* attributeKeys[],
                                              int numberOfKeys,
                                              const ChannelAttributeOptions& options,
                                              long long& requestId) {
  return channelAttributeWrite("del", channelId, nullptr, 0, attributeKeys, numberOfKeys, options,
                               requestId,
                               &IRtmServiceEventHandler::onDeleteChannelAttributesResult);
}

int RtmService::clearChannelAttributes(const char* channelId,
                                       const ChannelAttributeOptions& options,
                                       long long& requestId) {
  return channelAttributeWrite("clear", channelId, nullptr, 0, nullptr, 0, options, requestId,
                               &IRtmServiceEventHandler::onClearChannelAttributesResult);
}

int RtmService::getChannelAttributes(const char* channelId, long long& requestId) {
  return getChannelAttributesByKeys(channelId, nullptr, -1, requestId);
}

/** Lent channel attributes built from a `{key: {value, lastUpdateUserId, lastUpdateTs}}` map. */
std::shared_ptr<std::vector<ChannelAttributeImpl>> channelAttributes(const Json& attrs) {
  auto out = std::make_shared<std::vector<ChannelAttributeImpl>>();
  if (!attrs.is_object()) return out;
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    out->emplace_back(true);
    ChannelAttributeImpl& a = out->back();
    a.key_ = it.key();
    a.value_ = str(*it, "value");
    a.user_ = str(*it, "lastUpdateUserId");
    a.ts_ = num(*it, "lastUpdateTs");
  }
  return out;
}

int RtmService::getChannelAttributesByKeys(const char* channelId, const char* attributeKeys[],
                                           int numberOfKeys, long long& requestId) {
  return attributeRead("cattr.get", "c", channelId, attributeKeys, numberOfKeys,
                       limits::maxChannelAttributes, requestId, [this](long long id, const Reply& r) {
                         auto attrs = channelAttributes(r.ok ? member(r.result, "attrs") : Json());
                         ATTRIBUTE_OPERATION_ERR code = attrCode(r);
                         toHandlers([id, attrs, code](IRtmServiceEventHandler* h) {
                           std::vector<const IRtmChannelAttribute*> out;
                           for (auto& a : *attrs) out.push_back(&a);
                           h->onGetChannelAttributesResult(
                               id, out.empty() ? nullptr : out.data(), int(out.size()), code);
                         });
                       });
}

int RtmService::getChannelMemberCount(const char* channelIds[], int channelCount,
                                      long long& requestId) {
  try {
    requestId = newRequestId();
    std::lock_guard<std::mutex> lock(mu_);
    if (int c = ready(GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED,
                      GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN))
      return c;
    if (channelIds == nullptr || channelCount <= 0)
      return GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT;
    if (channelCount > limits::maxMemberCountChannels)
      return GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT;
    Json ids = Json::array();
    auto asked = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < channelCount; i++) {
      if (!isValidId(channelIds[i])) return GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT;
      ids.push_back(channelIds[i]);
      asked->push_back(channelIds[i]);
    }
    long long id = requestId;
    conn_->request(Json{{"t", "mcount"}, {"ids", ids}}, GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT,
                   [this, id, asked](const Reply& r) {
                     auto counts = std::make_shared<std::vector<int>>();
                     if (r.ok)
                       for (auto& c : *asked)
                         counts->push_back(int(num(member(r.result, "counts"), c.c_str())));
                     GET_CHANNEL_MEMBER_COUNT_ERR_CODE code = GET_CHANNEL_MEMBER_COUNT_ERR_CODE(
                         r.ok ? 0 : (r.code >= 1 && r.code <= 5) || r.code == 102 ? r.code : 1);
                     toHandlers([id, asked, counts, code](IRtmServiceEventHandler* h) {
                       std::vector<ChannelMemberCount> out(counts->size());
                       for (size_t i = 0; i < out.size(); i++) {
                         out[i].channelId = (*asked)[i].c_str();
                         out[i].count = (*counts)[i];
                       }
                       h->onGetChannelMemberCountResult(id, out.empty() ? nullptr : out.data(),
                                                        int(out.size()), code);
                     });
                   });
    return 0;
  } catch (...) {
    return GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE;
  }
}

}  // namespace parley
