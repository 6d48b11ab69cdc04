// IRtmService: peer messages (send, receive, the wire form of IMessage), the message and
// attribute factories, and the file and image message calls Parley declares only.
#include <cstring>

#include "api_guard.h"
#include "rtm_service.h"
#include "wire.h"

namespace parley {

/** Builds the wire message of `m`, or answers the API's error code (0 = ok). */
int wireMessage(const IMessage* m, int invalidCode, int incompatibleCode, Json& out) {
  if (m == nullptr) return invalidCode;
  MESSAGE_TYPE type = m->getMessageType();
  if (type == MESSAGE_TYPE_FILE || type == MESSAGE_TYPE_IMAGE) return incompatibleCode;
  const char* text = m->getText();
  std::string t = text ? text : "";
  if (!isValidUtf8(t)) return invalidCode;
  if (type == MESSAGE_TYPE_RAW) {
    int n = m->getRawMessageLength();
    const char* data = m->getRawMessageData();
    if (n < 0 || (n > 0 && data == nullptr)) return invalidCode;
    if (size_t(n) + t.size() > limits::maxMessageBytes) return invalidCode;
    out = Json{{"k", "R"}, {"b", base64Encode(reinterpret_cast<const uint8_t*>(data), size_t(n))}};
    if (!t.empty()) out["d"] = t;
    return 0;
  }
  if (type != MESSAGE_TYPE_TEXT) return invalidCode;
  if (t.size() > limits::maxMessageBytes) return invalidCode;
  out = Json{{"k", "T"}, {"x", t}};
  return 0;
}

/** A received wire message as a lent IMessage; false if it is malformed. */
bool fromWire(const Json& m, MessageImpl*& out) {
  std::string k = str(m, "k");
  if (k == "T") {
    out = new MessageImpl(MESSAGE_TYPE_TEXT, true);
    out->text_ = str(m, "x");
    return true;
  }
  if (k == "R") {
    std::string raw;
    if (!base64Decode(str(m, "b"), raw)) return false;
    out = new MessageImpl(MESSAGE_TYPE_RAW, true);
    out->raw_ = std::move(raw);
    out->text_ = str(m, "d");
    return true;
  }
  return false;
}

void RtmService::onPeerMessage(const Json& f) {
  if (!seenMessages_.add(str(f, "mid"))) return;
  std::string from = str(f, "f");
  const Json& m = member(f, "m");
  if (str(m, "k") == "T") {
    std::string text = str(m, "x");
    if (text.compare(0, std::strlen(AGORA_RTM_ENDCALL_PREFIX), AGORA_RTM_ENDCALL_PREFIX) == 0 &&
        calls_->onEndCallMessage(from, text))
      return;
  }
  MessageImpl* raw = nullptr;
  if (!fromWire(m, raw)) return;
  std::shared_ptr<MessageImpl> msg(raw, [](MessageImpl* p) { delete p; });
  msg->ts_ = num(f, "ts");
  msg->offline_ = num(f, "off") == 1;
  toHandlers([from, msg](IRtmServiceEventHandler* h) {
    h->onMessageReceivedFromPeer(from.c_str(), msg.get());
  });
}

// ---------- peer messages ----------

int RtmService::sendMessageToPeer(const char* peerId, const IMessage* message) {
  return sendMessageToPeer(peerId, message, SendMessageOptions());
}

int RtmService::sendMessageToPeer(const char* peerId, const IMessage* message,
                                  const SendMessageOptions& options) {
  PARLEY_GUARD(PEER_MESSAGE_ERR_FAILURE)
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(PEER_MESSAGE_ERR_NOT_INITIALIZED, PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN))
    return c;
  if (!isValidId(peerId)) return PEER_MESSAGE_ERR_INVALID_USERID;
  Json m;
  if (int c = wireMessage(message, PEER_MESSAGE_ERR_INVALID_MESSAGE,
                          PEER_MESSAGE_ERR_IMCOMPATIBLE_MESSAGE, m))
    return c;
  long long id = message->getMessageId();
  bool offline = options.enableOfflineMessaging;
  Json frame{{"t", "psend"}, {"to", peerId}, {"m", std::move(m)}};
  if (offline) frame["off"] = true;
  if (options.enableHistoricalMessaging) frame["h"] = true;
  conn_->request(std::move(frame), PEER_MESSAGE_ERR_SENT_TIMEOUT, [this, id, offline](const Reply& r) {
    PEER_MESSAGE_ERR_CODE code;
    if (r.ok)
      code = flag(r.result, "recv") ? PEER_MESSAGE_ERR_OK
             : offline              ? PEER_MESSAGE_ERR_CACHED_BY_SERVER
                                    : PEER_MESSAGE_ERR_PEER_UNREACHABLE;
    else if ((r.code >= 1 && r.code <= 8) || r.code == 102)
      code = PEER_MESSAGE_ERR_CODE(r.code);
    else
      code = PEER_MESSAGE_ERR_FAILURE;
    toHandlers([id, code](IRtmServiceEventHandler* h) { h->onSendMessageResult(id, code); });
  });
  return PEER_MESSAGE_ERR_OK;
  PARLEY_END(PEER_MESSAGE_ERR_FAILURE)
}

// ---------- media: declared, not supported ----------

int RtmService::downloadMediaToMemory(const char*, long long& requestId) {
  requestId = newRequestId();
  return PARLEY_RTM_ERR_NOT_SUPPORTED;
}
int RtmService::downloadMediaToFile(const char*, const char*, long long& requestId) {
  requestId = newRequestId();
  return PARLEY_RTM_ERR_NOT_SUPPORTED;
}
int RtmService::cancelMediaDownload(long long) { return PARLEY_RTM_ERR_NOT_SUPPORTED; }
int RtmService::cancelMediaUpload(long long) { return PARLEY_RTM_ERR_NOT_SUPPORTED; }
int RtmService::createFileMessageByUploading(const char*, long long& requestId) {
  requestId = newRequestId();
  return PARLEY_RTM_ERR_NOT_SUPPORTED;
}
int RtmService::createImageMessageByUploading(const char*, long long& requestId) {
  requestId = newRequestId();
  return PARLEY_RTM_ERR_NOT_SUPPORTED;
}
IFileMessage* RtmService::createFileMessageByMediaId(const char* mediaId) {
  try {
    return new FileMessageImpl(mediaId ? mediaId : "");
  } catch (...) {
    return nullptr;
  }
}
IImageMessage* RtmService::createImageMessageByMediaId(const char* mediaId) {
  try {
    return new ImageMessageImpl(mediaId ? mediaId : "");
  } catch (...) {
    return nullptr;
  }
}

// ---------- factories ----------

IMessage* RtmService::createMessage() {
  try {
    return new MessageImpl(MESSAGE_TYPE_UNDEFINED);
  } catch (...) {
    return nullptr;
  }
}

IMessage* RtmService::createMessage(const char* message) {
  try {
    MessageImpl* m = new MessageImpl(MESSAGE_TYPE_TEXT);
    m->text_ = message ? message : "";
    return m;
  } catch (...) {
    return nullptr;
  }
}

IMessage* RtmService::createMessage(const uint8_t* rawData, int length) {
  return createMessage(rawData, length, "");
}

IMessage* RtmService::createMessage(const uint8_t* rawData, int length, const char* description) {
  try {
    if (length < 0 || (length > 0 && rawData == nullptr)) return nullptr;
    MessageImpl* m = new MessageImpl(MESSAGE_TYPE_RAW);
    if (length > 0) m->raw_.assign(reinterpret_cast<const char*>(rawData), size_t(length));
    m->text_ = description ? description : "";
    return m;
  } catch (...) {
    return nullptr;
  }
}

IRtmChannelAttribute* RtmService::createChannelAttribute() {
  try {
    return new ChannelAttributeImpl();
  } catch (...) {
    return nullptr;
  }
}

IRtmCallManager* RtmService::getRtmCallManager(IRtmCallEventHandler* eventHandler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_ || released_) return nullptr;
  if (eventHandler) calls_->handler_ = eventHandler;
  return calls_.get();
}

}  // namespace parley
