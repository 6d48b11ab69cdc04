// IRtmService: lifecycle, login state, peer messages, presence, parameters and logs.
// Attributes and member counts are in rtm_attributes.cpp, channels in rtm_channel.cpp.
#include "rtm_service.h"

#include <cstdlib>
#include <cstring>

#include "wire.h"

namespace parley {

#define PARLEY_GUARD(fail) \
  try {
#define PARLEY_END(fail)                                  \
  }                                                       \
  catch (...) {                                           \
    return fail;                                          \
  }

namespace {

std::vector<std::string> splitUrls(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string part = list.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start);
    size_t a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(part.substr(a, b - a + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool knownScheme(const std::string& u) {
  return u.compare(0, 5, "ws://") == 0 || u.compare(0, 6, "wss://") == 0 ||
         u.compare(0, 7, "http://") == 0 || u.compare(0, 8, "https://") == 0;
}

/** Sliding one-second window of call times; false when the call is one too many. */
bool tooOften(std::deque<long long>& calls, int perSecond) {
  long long now = nowMs();
  while (!calls.empty() && now - calls.front() >= 1000) calls.pop_front();
  if (int(calls.size()) >= perSecond) return true;
  calls.push_back(now);
  return false;
}

LOGIN_ERR_CODE loginCode(int wire) {
  if (wire >= 1 && wire <= 10) return LOGIN_ERR_CODE(wire);
  return LOGIN_ERR_UNKNOWN;  // 201 (aborted by logout) and anything new
}

PEER_ONLINE_STATE peerState(const std::string& s) {
  if (s == "ONLINE") return PEER_ONLINE_STATE_ONLINE;
  if (s == "UNREACHABLE") return PEER_ONLINE_STATE_UNREACHABLE;
  return PEER_ONLINE_STATE_OFFLINE;
}

}  // namespace

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

RtmService::RtmService() : conn_(nullptr) {}

RtmService::~RtmService() {}

int RtmService::initialize(const char* appId, IRtmServiceEventHandler* eventHandler) {
  PARLEY_GUARD(INIT_ERR_FAILURE)
  std::lock_guard<std::mutex> lock(mu_);
  if (initialized_) return INIT_ERR_ALREADY_INITIALIZED;
  if (appId == nullptr || *appId == 0 || !isValidAppId(appId)) return INIT_ERR_INVALID_APP_ID;
  if (eventHandler == nullptr) return INIT_ERR_INVALID_ARGUMENT;
  appId_ = appId;
  handlers_.push_back(eventHandler);
  if (const char* env = std::getenv("PARLEY_SERVER_URL")) urls_ = splitUrls(env);
  transport_ = createTransport();
  conn_.reset(new Connection(*transport_, mu_, *this));
  calls_.reset(new CallManagerImpl(this));
  initialized_ = true;
  log(LOG_INFO, std::string("rtm service initialize, version ") + getRtmSdkVersion());
  return INIT_ERR_OK;
  PARLEY_END(INIT_ERR_FAILURE)
}

void RtmService::addEventHandler(IRtmServiceEventHandler* eventHandler) {
  if (!eventHandler) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto* h : handlers_)
    if (h == eventHandler) return;
  handlers_.push_back(eventHandler);
}

void RtmService::removeEventHandler(IRtmServiceEventHandler* eventHandler) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = handlers_.begin(); it != handlers_.end(); ++it)
    if (*it == eventHandler) {
      handlers_.erase(it);
      return;
    }
}

void RtmService::release(bool) {
  bool fromLoop;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (released_) return;
    released_ = true;
    queue_.clear();
    if (!initialized_) {
      fromLoop = false;
    } else {
      conn_->shutdown();
      fromLoop = transport_->onLoopThread();
    }
  }
  if (!initialized_) {
    delete this;
    return;
  }
  if (fromLoop) {
    // Inside a callback: the SDK thread cannot join itself, so it ends once the callback
    // returns and deletes the service on its way out.
    transport_->stopFromLoop([this] { delete this; });
    return;
  }
  transport_->stop();
  delete this;
}

void RtmService::emit(std::function<void()> fn) {
  if (released_) return;
  queue_.push_back(std::move(fn));
  if (flushScheduled_) return;
  flushScheduled_ = true;
  transport_->post([this] { flush(); });
}

void RtmService::flush() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    flushScheduled_ = false;
    batch.swap(queue_);
  }
  for (auto& fn : batch) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (released_) return;
    }
    try {
      fn();
    } catch (...) {
      // An exception from the app's callback must not end the SDK thread.
    }
  }
}

void RtmService::toHandlers(std::function<void(IRtmServiceEventHandler*)> fn) {
  emit([this, fn] {
    std::vector<IRtmServiceEventHandler*> handlers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      handlers = handlers_;
    }
    for (auto* h : handlers) fn(h);
  });
}

void RtmService::toChannel(const std::shared_ptr<ChannelImpl>& ch,
                           std::function<void(IChannelEventHandler*)> fn) {
  emit([ch, fn] {
    if (IChannelEventHandler* h = ch->handler()) fn(h);
  });
}

int RtmService::ready(int notInitialized, int notLoggedIn) {
  if (!initialized_ || released_) return notInitialized;
  if (!conn_->loggedIn()) return notLoggedIn;
  return 0;
}

void RtmService::log(LogLevel level, const std::string& line) { log_.write(level, line); }

// ---------- login state ----------

int RtmService::login(const char* token, const char* userId) {
  PARLEY_GUARD(LOGIN_ERR_UNKNOWN)
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_ || released_) return LOGIN_ERR_NOT_INITIALIZED;
  if (tooOften(loginCalls_, limits::loginRatePerSecond)) return LOGIN_ERR_TOO_OFTEN;
  if (conn_->state() != State::DISCONNECTED) return LOGIN_ERR_ALREADY_LOGGED_IN;
  if (!isValidId(userId)) return LOGIN_ERR_INVALID_ARGUMENT;
  std::string t = token ? token : "";
  if (t.size() > limits::maxTokenBytes || !isValidUtf8(t)) return LOGIN_ERR_INVALID_ARGUMENT;
  ConnectionOptions o = connOptions_;
  o.appId = appId_;
  o.urls = urls_.empty() ? std::vector<std::string>{"ws://127.0.0.1:8080/"} : urls_;
  conn_->configure(o);
  seenMessages_.clear();
  log(LOG_INFO, std::string("login as ") + userId);
  conn_->login(userId, t);
  return LOGIN_ERR_OK;
  PARLEY_END(LOGIN_ERR_UNKNOWN)
}

int RtmService::logout() {
  PARLEY_GUARD(LOGOUT_ERR_REJECTED)
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_ || released_) return LOGOUT_ERR_NOT_INITIALIZED;
  if (conn_->state() == State::DISCONNECTED) return LOGOUT_ERR_USER_NOT_LOGGED_IN;
  subscribed_.clear();
  localAttributes_.clear();
  conn_->logout([this] {
    toHandlers([](IRtmServiceEventHandler* h) { h->onLogout(LOGOUT_ERR_OK); });
  });
  return LOGOUT_ERR_OK;
  PARLEY_END(LOGOUT_ERR_REJECTED)
}

int RtmService::renewToken(const char* token) {
  PARLEY_GUARD(RENEW_TOKEN_ERR_FAILURE)
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_ || released_) return RENEW_TOKEN_ERR_NOT_INITIALIZED;
  if (token == nullptr || *token == 0 || std::strlen(token) > limits::maxTokenBytes ||
      !isValidUtf8(token, std::strlen(token)))
    return RENEW_TOKEN_ERR_INVALID_ARGUMENT;
  if (tooOften(renewCalls_, 2)) return RENEW_TOKEN_ERR_TOO_OFTEN;
  if (!conn_->loggedIn()) return RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN;
  std::string t = token;
  auto result = [this, t](RENEW_TOKEN_ERR_CODE code) {
    toHandlers([t, code](IRtmServiceEventHandler* h) { h->onRenewTokenResult(t.c_str(), code); });
  };
  if (conn_->state() == State::RECONNECTING) {
    conn_->setToken(t);
    result(RENEW_TOKEN_ERR_OK);
    return RENEW_TOKEN_ERR_OK;
  }
  conn_->request(Json{{"t", "renew"}, {"k", t}}, RENEW_TOKEN_ERR_FAILURE,
                 [this, t, result](const Reply& r) {
                   if (r.ok) conn_->setToken(t);
                   int c = r.ok ? 0 : r.code;
                   result(c >= 1 && c <= 6 ? RENEW_TOKEN_ERR_CODE(c)
                          : c == 102     ? RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN
                          : c == 0       ? RENEW_TOKEN_ERR_OK
                                         : RENEW_TOKEN_ERR_FAILURE);
                 });
  return RENEW_TOKEN_ERR_OK;
  PARLEY_END(RENEW_TOKEN_ERR_FAILURE)
}

void RtmService::connectionState(State state, Reason reason) {
  CONNECTION_STATE s = CONNECTION_STATE(int(state));
  CONNECTION_CHANGE_REASON r = CONNECTION_CHANGE_REASON(int(reason));
  log(LOG_INFO, "connection state " + std::to_string(int(state)) + " reason " +
                    std::to_string(int(reason)));
  toHandlers([s, r](IRtmServiceEventHandler* h) { h->onConnectionStateChanged(s, r); });
  if (state == State::DISCONNECTED || state == State::ABORTED) {
    joined_.clear();
    joining_.clear();
    calls_->endAll();
  }
}

void RtmService::loginDone(int code) {
  if (code == 0) {
    toHandlers([](IRtmServiceEventHandler* h) { h->onLoginSuccess(); });
    return;
  }
  LOGIN_ERR_CODE c = loginCode(code);
  toHandlers([c](IRtmServiceEventHandler* h) { h->onLoginFailure(c); });
}

void RtmService::willExpire() {
  toHandlers([](IRtmServiceEventHandler* h) { h->onTokenPrivilegeWillExpire(); });
}

void RtmService::tokenExpired() {
  toHandlers([](IRtmServiceEventHandler* h) { h->onTokenExpired(); });
}

void RtmService::sessionRenewed() { restore(); }

/** The server lost our session: bring back what the app had set up (as client.ts restore). */
void RtmService::restore() {
  log(LOG_WARN, "the server lost the session: rejoining channels, restoring attributes");
  calls_->sessionRenewed();
  for (auto& e : joined_) {
    std::string id = e.first;
    conn_->request(Json{{"t", "join"}, {"c", id}}, JOIN_CHANNEL_TIMEOUT, [this, id](const Reply& r) {
      auto it = joined_.find(id);
      if (it == joined_.end()) return;
      if (r.ok)
        it->second.cs = num(r.result, "cs");
      else
        joined_.erase(it);
    });
  }
  if (!localAttributes_.empty()) {
    Json attrs = Json::object();
    for (auto& a : localAttributes_) attrs[a.first] = a.second;
    conn_->request(Json{{"t", "uattr"}, {"op", "set"}, {"attrs", attrs}},
                   ATTRIBUTE_OPERATION_ERR_TIMEOUT, [](const Reply&) {});
  }
  if (!subscribed_.empty()) {
    Json ids = Json::array();
    for (auto& id : subscribed_) ids.push_back(id);
    conn_->request(Json{{"t", "psub"}, {"ids", ids}}, PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT,
                   [](const Reply&) {});
  }
}

// ---------- pushes ----------

void RtmService::reliablePush(const Json& f) {
  std::string t = str(f, "t");
  if (t == "msg")
    onPeerMessage(f);
  else if (t == "pst")
    onPresence(f);
  else if (t == "linv" || t == "rinv")
    calls_->onPush(f);
}

void RtmService::event(const Json& f) { onChannelEvent(f); }

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

void RtmService::onPresence(const Json& f) {
  const Json& st = member(f, "st");
  if (!st.is_object()) return;
  auto ids = std::make_shared<std::vector<std::string>>();
  auto states = std::make_shared<std::vector<PEER_ONLINE_STATE>>();
  for (auto it = st.begin(); it != st.end(); ++it) {
    ids->push_back(it.key());
    states->push_back(peerState(it->is_string() ? it->get<std::string>() : ""));
  }
  toHandlers([ids, states](IRtmServiceEventHandler* h) {
    std::vector<PeerOnlineStatus> out(ids->size());
    for (size_t i = 0; i < ids->size(); i++) {
      out[i].peerId = (*ids)[i].c_str();
      out[i].onlineState = (*states)[i];
      out[i].isOnline = (*states)[i] == PEER_ONLINE_STATE_ONLINE;
    }
    h->onPeersOnlineStatusChanged(out.data(), int(out.size()));
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

// ---------- parameters and logs ----------

int RtmService::setParameters(const char* parameters) {
  PARLEY_GUARD(-2)
  if (parameters == nullptr) return -2;
  Json p = Json::parse(parameters, nullptr, false);
  if (p.is_discarded() || !p.is_object()) return -2;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> urls = urls_;
  ConnectionOptions o = connOptions_;
  for (auto it = p.begin(); it != p.end(); ++it) {
    const std::string& k = it.key();
    const Json& v = *it;
    if (k == "parley.serverUrl") {
      std::vector<std::string> list;
      if (v.is_string()) {
        list = splitUrls(v.get<std::string>());
      } else if (v.is_array()) {
        for (auto& e : v) {
          if (!e.is_string()) return -2;
          list.push_back(e.get<std::string>());
        }
      } else {
        return -2;
      }
      if (list.empty()) return -2;
      for (auto& u : list)
        if (!knownScheme(u)) return -2;
      urls = list;
    } else if (k.compare(0, 7, "parley.") == 0) {
      if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > 3600000)
        return -2;
      int n = int(v.get<long long>());
      if (k == "parley.loginTimeoutMs") o.loginTimeoutMs = n;
      else if (k == "parley.requestTimeoutMs") o.requestTimeoutMs = n;
      else if (k == "parley.reconnectBaseDelayMs") o.reconnectBaseDelayMs = n;
      else if (k == "parley.reconnectMaxDelayMs") o.reconnectMaxDelayMs = n;
      else return -2;
    }
    // Other keys are Agora's private parameters: accepted and ignored.
  }
  urls_ = urls;
  connOptions_ = o;
  return 0;
  PARLEY_END(-2)
}

int RtmService::setLogFile(const char* logfile) { return log_.setFile(logfile); }
int RtmService::setLogFilter(LOG_FILTER_TYPE filter) { return log_.setFilter(int(filter)); }
int RtmService::setLogFileSize(int fileSizeInKBytes) { return log_.setFileSize(fileSizeInKBytes); }

// ---------- presence ----------

int RtmService::peerList(const char* op, const char* peerIds[], int peerCount, int max,
                         int overflowCode, long long& requestId,
                         std::function<void(long long, const Reply&)> done) {
  // The codes of the three presence APIs agree: INVALID_ARGUMENT = 2.
  if (peerIds == nullptr || peerCount <= 0) return 2;
  if (peerCount > max) return overflowCode;
  Json ids = Json::array();
  for (int i = 0; i < peerCount; i++) {
    if (!isValidId(peerIds[i])) return 2;
    ids.push_back(peerIds[i]);
  }
  long long id = requestId;
  conn_->request(Json{{"t", op}, {"ids", ids}}, 4, [id, done](const Reply& r) { done(id, r); });
  return 0;
}

int RtmService::queryPeersOnlineStatus(const char* peerIds[], int peerCount,
                                       long long& requestId) {
  PARLEY_GUARD(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED,
                    QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN))
    return c;
  std::vector<std::string> asked;
  for (int i = 0; peerIds && i < peerCount && i <= limits::maxQueryPeers; i++)
    asked.push_back(peerIds[i] ? peerIds[i] : "");
  return peerList("pquery", peerIds, peerCount, limits::maxQueryPeers,
                  QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT, requestId,
                  [this, asked](long long id, const Reply& r) {
                    auto online = std::make_shared<std::vector<bool>>();
                    QUERY_PEERS_ONLINE_STATUS_ERR code =
                        r.ok ? QUERY_PEERS_ONLINE_STATUS_ERR_OK
                             : QUERY_PEERS_ONLINE_STATUS_ERR(
                                   (r.code >= 2 && r.code <= 5) || r.code == 102 ? r.code : 1);
                    if (r.ok) {
                      const Json& st = member(r.result, "st");
                      for (auto& p : asked) online->push_back(flag(st, p.c_str()));
                    }
                    toHandlers([id, asked, online, code](IRtmServiceEventHandler* h) {
                      std::vector<PeerOnlineStatus> out(online->size());
                      for (size_t i = 0; i < out.size(); i++) {
                        out[i].peerId = asked[i].c_str();
                        out[i].isOnline = (*online)[i];
                        out[i].onlineState = (*online)[i] ? PEER_ONLINE_STATE_ONLINE
                                                          : PEER_ONLINE_STATE_OFFLINE;
                      }
                      h->onQueryPeersOnlineStatusResult(id, out.empty() ? nullptr : out.data(),
                                                        int(out.size()), code);
                    });
                  });
  PARLEY_END(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE)
}

int RtmService::subscription(bool subscribe, const char* peerIds[], int peerCount,
                             long long& requestId) {
  PARLEY_GUARD(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED,
                    PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN))
    return c;
  std::vector<std::string> ids;
  for (int i = 0; peerIds && i < peerCount && i <= limits::maxSubscriptions; i++)
    ids.push_back(peerIds[i] ? peerIds[i] : "");
  return peerList(subscribe ? "psub" : "punsub", peerIds, peerCount, limits::maxSubscriptions,
                  subscribe ? PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW
                            : PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT,
                  requestId, [this, ids, subscribe](long long id, const Reply& r) {
                    // What to subscribe again if the server loses the session.
                    for (auto& p : ids)
                      if (r.ok && subscribe)
                        subscribed_.insert(p);
                      else if (r.ok)
                        subscribed_.erase(p);
                    PEER_SUBSCRIPTION_STATUS_ERR code = PEER_SUBSCRIPTION_STATUS_ERR(
                        r.ok ? 0 : (r.code >= 1 && r.code <= 6) || r.code == 102 ? r.code : 1);
                    toHandlers([id, code](IRtmServiceEventHandler* h) {
                      h->onSubscriptionRequestResult(id, code);
                    });
                  });
  PARLEY_END(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE)
}

int RtmService::subscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                           long long& requestId) {
  return subscription(true, peerIds, peerCount, requestId);
}

int RtmService::unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                             long long& requestId) {
  return subscription(false, peerIds, peerCount, requestId);
}

int RtmService::queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option,
                                               long long& requestId) {
  PARLEY_GUARD(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED,
                    QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN))
    return c;
  if (option != PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS)
    return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE;
  long long id = requestId;
  conn_->request(
      Json{{"t", "plist"}, {"o", "ONLINE_STATUS"}}, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT,
      [this, id](const Reply& r) {
        auto ids = std::make_shared<std::vector<std::string>>();
        if (r.ok)
          for (auto& e : member(r.result, "ids"))
            if (e.is_string()) ids->push_back(e.get<std::string>());
        QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR code = QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR(
            r.ok ? 0 : (r.code >= 1 && r.code <= 3) || r.code == 102 ? r.code : 1);
        toHandlers([id, ids, code](IRtmServiceEventHandler* h) {
          std::vector<const char*> out;
          for (auto& s : *ids) out.push_back(s.c_str());
          h->onQueryPeersBySubscriptionOptionResult(id, out.empty() ? nullptr : out.data(),
                                                    int(out.size()), code);
        });
      });
  return 0;
  PARLEY_END(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE)
}

}  // namespace parley
