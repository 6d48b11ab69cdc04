// IRtmService: lifecycle, login state, pushes, parameters and logs. Peer messages are in
// rtm_messages.cpp, presence in rtm_presence.cpp, attributes and member counts in
// rtm_attributes.cpp, channels in rtm_channel.cpp.
#include "rtm_service.h"

#include <cstdlib>
#include <cstring>

#include "api_guard.h"
#include "wire.h"

namespace parley {

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


}  // namespace


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

void RtmService::sessionRenewed(const Json& result) { restore(result); }

/** The server lost our session: bring back what the app had set up (as client.ts restore). */
void RtmService::restore(const Json& result) {
  log(LOG_WARN, "the server lost the session: rejoining channels, restoring attributes");
  calls_->sessionRenewed(member(result, "inv"));
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


}  // namespace parley
