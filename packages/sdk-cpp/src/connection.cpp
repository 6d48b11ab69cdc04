#include "connection.h"

#include <algorithm>
#include <chrono>

#include "wire.h"

namespace parley {

namespace {
const int kSweepMs = 250;
const int kNormalClose = 1000;
}  // namespace

long long nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Connection::Connection(Transport& transport, std::mutex& mu, ConnectionHooks& hooks)
    : transport_(transport), mu_(mu), hooks_(hooks), rng_(std::random_device{}()) {
  transport_.every(kSweepMs, [this] {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) sweep();
  });
}

Connection::~Connection() {}

void Connection::setState(State state, Reason reason) {
  state_ = state;
  hooks_.connectionState(state, reason);
}

void Connection::login(const std::string& uid, const std::string& token) {
  uid_ = uid;
  token_ = token;
  tokenExpiredSignalled_ = false;
  sid_.clear();
  lastSeq_ = 0;
  attempt_ = 0;
  setState(State::CONNECTING, Reason::LOGIN);
  loginWaiting_ = true;
  loginDeadline_ = nowMs() + options_.loginTimeoutMs;
  open();
}

void Connection::setToken(const std::string& token) {
  token_ = token;
  tokenExpiredSignalled_ = false;
  if (state_ == State::RECONNECTING && sock_ == 0) retryAt_ = nowMs();
}

void Connection::logout(std::function<void()> done) {
  auto finish = [this, done] {
    if (loginWaiting_) {
      loginWaiting_ = false;
      hooks_.loginDone(kLoginAbortedByLogout);
    }
    teardown(kNotLoggedIn);
    setState(State::DISCONNECTED, Reason::LOGOUT);
    if (done) done();
  };
  if (state_ == State::CONNECTED && sock_ != 0) {
    // The session ends on the server either way once the socket closes and its window passes.
    request(Json{{"t", "logout"}}, 1, [finish](const Reply&) { finish(); });
    return;
  }
  finish();
}

void Connection::request(Json frame, int timeoutCode, ReplyFn done, int notLoggedInCode) {
  if (!loggedIn()) {
    static const Json null;
    done(Reply{false, notLoggedInCode, "the client is not logged in", null});
    return;
  }
  Pending p{nextId_++, std::move(frame), timeoutCode, nowMs() + options_.requestTimeoutMs,
            std::move(done)};
  if (state_ == State::CONNECTED && sock_ != 0)
    transmit(std::move(p));
  else
    queued_.push_back(std::move(p));
}

void Connection::transmit(Pending&& p) {
  p.frame["i"] = p.id;
  std::string text = dump(p.frame);
  long id = p.id;
  pending_.emplace(id, std::move(p));
  transport_.send(sock_, std::move(text));
}

void Connection::sendNow(const std::string& text) {
  if (sock_ != 0 && sockOpen_) transport_.send(sock_, text);
}

void Connection::open() {
  if (options_.urls.empty()) {
    scheduleRetry();
    return;
  }
  std::string url = socketUrl(options_.urls[urlIndex_ % options_.urls.size()]);
  sockOpen_ = false;
  long id = 0;
  SocketEvents ev;
  // The id is known only after connect() returns; the events run on the loop thread later.
  auto idBox = std::make_shared<long>(0);
  ev.open = [this, idBox] {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) onOpen(*idBox);
  };
  ev.message = [this, idBox](std::string&& text) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) onMessage(*idBox, std::move(text));
  };
  ev.closed = [this, idBox](const std::string& why) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) onClosed(*idBox, why);
  };
  hooks_.log(LOG_INFO, "connecting to " + url);
  id = transport_.connect(url, kSubprotocol, std::move(ev));
  *idBox = id;
  sock_ = id;
}

void Connection::onOpen(long sock) {
  if (sock != sock_) return;
  sockOpen_ = true;
  loginId_ = nextId_++;
  Json frame{{"t", "login"}, {"i", loginId_}, {"a", options_.appId}, {"u", uid_}};
  if (!token_.empty()) frame["k"] = token_;
  if (!sid_.empty()) frame["r"] = Json{{"sid", sid_}, {"s", lastSeq_}, {"c", hooks_.resumeCursor()}};
  lastRxMs_ = nowMs();
  transport_.send(sock_, dump(frame));
}

void Connection::onMessage(long sock, std::string&& text) {
  if (sock != sock_) return;
  lastRxMs_ = nowMs();
  Json f = Json::parse(text, nullptr, false);
  if (f.is_discarded() || !f.is_object()) return;
  try {
    onFrame(f);
  } catch (const std::exception& e) {
    // A frame of an unexpected shape: drop it rather than take the SDK down.
    hooks_.log(LOG_ERROR, std::string("bad frame from the server: ") + e.what());
  }
}

void Connection::onFrame(const Json& f) {
  auto s = f.find("s");
  if (s != f.end() && s->is_number_integer()) {
    // A reliable push: numbered by the session; seen ones (replayed after a resume) are dropped.
    long long seq = s->get<long long>();
    if (seq > lastSeq_) {
      lastSeq_ = seq;
      hooks_.reliablePush(f);
    }
    scheduleAck();
    return;
  }
  std::string t = str(f, "t");
  if (t == "ok" || t == "err") {
    if (num(f, "i", -1) == loginId_)
      onLoginReply(f);
    else
      onReply(f);
  } else if (t == "exp") {
    hooks_.willExpire();
  } else if (t == "kick") {
    onKick(str(f, "why"));
  } else if (t == "pong" || t == "bye") {
    // Liveness only; `bye` is followed by the close, then a reconnect.
  } else {
    hooks_.event(f);
  }
}

void Connection::onLoginReply(const Json& f) {
  if (str(f, "t") == "ok") {
    const Json& r = member(f, "r");
    bool resumed = flag(r, "resumed");
    bool renewed = !sid_.empty() && !resumed;
    if (!resumed) lastSeq_ = 0;
    sid_ = str(r, "sid");
    heartbeatMs_ = int(std::max<long long>(100, num(r, "hb", 2500)));
    attempt_ = 0;
    bool wasConnecting = state_ == State::CONNECTING;
    setState(State::CONNECTED, Reason::LOGIN_SUCCESS);
    if (wasConnecting && loginWaiting_) {
      loginWaiting_ = false;
      hooks_.loginDone(0);
    }
    std::deque<Pending> queued;
    queued.swap(queued_);
    for (auto& p : queued) transmit(std::move(p));
    if (resumed && member(r, "cs").is_object()) hooks_.channelSequences(member(r, "cs"));
    if (renewed) hooks_.sessionRenewed(r);
    return;
  }
  int code = int(num(f, "c", 1));
  hooks_.log(LOG_WARN, "login refused: " + str(f, "m"));
  if (state_ == State::CONNECTING) {
    loginWaiting_ = false;
    teardown(kNotLoggedIn);
    setState(State::DISCONNECTED, Reason::LOGIN_FAILURE);
    hooks_.loginDone(code);
    return;
  }
  // Reconnecting: an expired token is the app's to renew; keep trying meanwhile.
  if (code == 6 && !tokenExpiredSignalled_) {
    tokenExpiredSignalled_ = true;
    hooks_.tokenExpired();
  }
  dropSocket();
  scheduleRetry();
}

void Connection::answer(Pending& p, bool ok, int code, const std::string& message) {
  static const Json null;
  if (p.done) p.done(Reply{ok, code, message, null});
}

void Connection::onReply(const Json& f) {
  auto it = pending_.find(long(num(f, "i", -1)));
  if (it == pending_.end()) return;
  Pending p = std::move(it->second);
  pending_.erase(it);
  if (!p.done) return;
  if (str(f, "t") == "ok")
    p.done(Reply{true, 0, "", member(f, "r")});
  else
    answer(p, false, int(num(f, "c", 1)), str(f, "m"));
}

void Connection::onKick(const std::string& why) {
  teardown(kNotLoggedIn);
  Reason reason = why == "BANNED_BY_SERVER" ? Reason::BANNED_BY_SERVER
                  : why == "TOKEN_EXPIRED"  ? Reason::TOKEN_EXPIRED
                                            : Reason::REMOTE_LOGIN;
  setState(State::ABORTED, reason);
  if (reason == Reason::TOKEN_EXPIRED) hooks_.tokenExpired();
}

void Connection::onClosed(long sock, const std::string& why) {
  if (sock != sock_) return;
  hooks_.log(LOG_WARN, "connection closed: " + why);
  sock_ = 0;
  sockOpen_ = false;
  failInFlight();
  if (state_ == State::CONNECTED) setState(State::RECONNECTING, Reason::INTERRUPTED);
  if (state_ == State::CONNECTING || state_ == State::RECONNECTING) scheduleRetry();
}

void Connection::scheduleRetry() {
  long long cap = std::min<long long>(options_.reconnectMaxDelayMs,
                                      (long long)options_.reconnectBaseDelayMs
                                          << std::min(attempt_, 16));
  attempt_++;
  urlIndex_++;
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  retryAt_ = nowMs() + (long long)(jitter(rng_) * double(cap));
}

void Connection::scheduleAck() {
  if (ackScheduled_) return;
  ackScheduled_ = true;
  // After the frames that arrived together: one cumulative ack for all of them.
  transport_.post([this] {
    std::lock_guard<std::mutex> lock(mu_);
    ackScheduled_ = false;
    if (!stopped_) sendNow("{\"t\":\"ack\",\"s\":" + std::to_string(lastSeq_) + "}");
  });
}

void Connection::sweep() {
  long long now = nowMs();
  if (state_ == State::CONNECTING && loginWaiting_ && now >= loginDeadline_) {
    loginWaiting_ = false;
    teardown(kNotLoggedIn);
    setState(State::DISCONNECTED, Reason::LOGIN_TIMEOUT);
    hooks_.loginDone(kLoginTimeout);
    return;
  }
  if (sock_ == 0 && (state_ == State::CONNECTING || state_ == State::RECONNECTING) &&
      now >= retryAt_) {
    retryAt_ = (long long)1 << 62;
    open();
  }
  if (state_ == State::CONNECTED && sock_ != 0) {
    if (now - lastRxMs_ > std::max<long long>(4LL * heartbeatMs_, 10000)) {
      // Nothing heard for too long: the socket is dead even if it looks open.
      hooks_.log(LOG_WARN, "no packet from the server for too long: reconnecting");
      dropSocket();
      failInFlight();
      setState(State::RECONNECTING, Reason::INTERRUPTED);
      scheduleRetry();
    } else if (now - lastPingMs_ >= heartbeatMs_) {
      lastPingMs_ = now;
      sendNow("{\"t\":\"ping\"}");
    }
  }
  while (!pending_.empty() && pending_.begin()->second.deadline <= now) {
    Pending p = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    answer(p, false, p.timeoutCode, "timed out");
  }
  while (!queued_.empty() && queued_.front().deadline <= now) {
    Pending p = std::move(queued_.front());
    queued_.pop_front();
    answer(p, false, p.timeoutCode, "timed out while reconnecting");
  }
}

void Connection::failInFlight() {
  std::map<long, Pending> pending;
  pending.swap(pending_);
  for (auto& e : pending) answer(e.second, false, e.second.timeoutCode, "connection lost");
}

void Connection::failQueued(int code) {
  std::deque<Pending> queued;
  queued.swap(queued_);
  for (auto& p : queued) answer(p, false, code, "not logged in");
}

void Connection::dropSocket() {
  if (sock_ != 0) transport_.close(sock_);
  sock_ = 0;
  sockOpen_ = false;
}

void Connection::teardown(int code) {
  dropSocket();
  failInFlight();
  failQueued(code);
  sid_.clear();
  lastSeq_ = 0;
}

void Connection::shutdown() {
  stopped_ = true;
  dropSocket();
  pending_.clear();
  queued_.clear();
}

}  // namespace parley
