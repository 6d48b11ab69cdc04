// Connection: the socket lifecycle of one client, as @parley/sdk's connection.ts. Login with a
// deadline, requests correlated by id with timeouts, ping per the server's `hb` and a
// watchdog, reconnect with full-jitter backoff across the URL list, and resume of the same
// session (`r: {sid, s, c}`) so every reliable push arrives once and in order, with a
// cumulative `ack`. One 250 ms sweep serves every deadline.
//
// Threading: the owner's mutex guards all state. Public methods are called with it held;
// transport events take it themselves. Hooks and reply functions run with it held, so they
// must not call the app: they queue the app's callbacks (see Dispatch in client.h).
// This layer knows nothing of the RTM API: a Signaling API can sit on it as well.
#ifndef PARLEY_CONNECTION_H
#define PARLEY_CONNECTION_H

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "json.h"
#include "log.h"
#include "transport.h"

namespace parley {

/** Numbered as CONNECTION_STATE. */
enum class State { DISCONNECTED = 1, CONNECTING = 2, CONNECTED = 3, RECONNECTING = 4, ABORTED = 5 };
/** Numbered as CONNECTION_CHANGE_REASON. */
enum class Reason {
  LOGIN = 1,
  LOGIN_SUCCESS = 2,
  LOGIN_FAILURE = 3,
  LOGIN_TIMEOUT = 4,
  INTERRUPTED = 5,
  LOGOUT = 6,
  BANNED_BY_SERVER = 7,
  REMOTE_LOGIN = 8,
  TOKEN_EXPIRED = 9,
};

/** A request's answer. `result` (the `r` of an `ok`) lives only during the call. */
struct Reply {
  bool ok;
  /** The server's `err.c`, or the request's timeout code (no answer), or 102 (not logged in). */
  int code;
  std::string message;
  const Json& result;
};
using ReplyFn = std::function<void(const Reply&)>;

/** Wire codes (errors.ts) the connection itself answers with. */
const int kNotLoggedIn = 102;
const int kLoginTimeout = 9;
const int kLoginAbortedByLogout = 201;

struct ConnectionOptions {
  std::vector<std::string> urls;
  std::string appId;
  int loginTimeoutMs = 12000;
  int requestTimeoutMs = 10000;
  int reconnectBaseDelayMs = 300;
  int reconnectMaxDelayMs = 4000;
};

class ConnectionHooks {
 public:
  virtual ~ConnectionHooks() {}
  virtual void connectionState(State state, Reason reason) = 0;
  /** The login the app asked for ended: 0 = logged in, else a wire LoginError code. */
  virtual void loginDone(int code) = 0;
  /** A push numbered by the session (`s`): once, in order. */
  virtual void reliablePush(const Json& frame) = 0;
  /** A push the connection does not handle itself (channel events). */
  virtual void event(const Json& frame) = 0;
  virtual void willExpire() = 0;
  virtual void tokenExpired() = 0;
  /**
   * The server no longer had the session (restart, window passed, its node died): restore what
   * the app set up. `result` is the new session's login result (`inv`: the invitations it kept).
   */
  virtual void sessionRenewed(const Json& result) = 0;
  /** The last `cs` seen per joined channel, sent with a resume. */
  virtual Json resumeCursor() = 0;
  /** The session resumed on another node, which numbers channel events from `cs` on. */
  virtual void channelSequences(const Json& cs) = 0;
  virtual void log(LogLevel level, const std::string& line) = 0;
};

class Connection {
 public:
  Connection(Transport& transport, std::mutex& mu, ConnectionHooks& hooks);
  ~Connection();

  void configure(const ConnectionOptions& options) { options_ = options; }
  const ConnectionOptions& options() const { return options_; }
  State state() const { return state_; }
  bool loggedIn() const { return state_ == State::CONNECTED || state_ == State::RECONNECTING; }

  /** From DISCONNECTED: CONNECTING, then loginDone(). */
  void login(const std::string& uid, const std::string& token);
  /** Ends the session (any state but DISCONNECTED): DISCONNECTED/LOGOUT, then `done`. */
  void logout(std::function<void()> done);
  /** Uses a new token from now on (also for reconnects). */
  void setToken(const std::string& token);
  /**
   * Sends `frame` (without `i`) and answers through `done`. While RECONNECTING it waits for the
   * session to come back, up to its timeout; when not logged in it fails with `notLoggedInCode`.
   */
  void request(Json frame, int timeoutCode, ReplyFn done, int notLoggedInCode = kNotLoggedIn);
  /** A frame without reply (e.g. ack), sent only when the socket is live. */
  void sendNow(const std::string& text);
  /** Stops everything without a state change (the service is being released). */
  void shutdown();

 private:
  struct Pending {
    long id;
    Json frame;
    int timeoutCode;
    long long deadline;
    ReplyFn done;
  };

  void setState(State state, Reason reason);
  void open();
  void onOpen(long sock);
  void onMessage(long sock, std::string&& text);
  void onClosed(long sock, const std::string& why);
  void onFrame(const Json& f);
  void onLoginReply(const Json& f);
  void onReply(const Json& f);
  void onKick(const std::string& why);
  void scheduleRetry();
  void scheduleAck();
  void sweep();
  void transmit(Pending&& p);
  void failInFlight();
  void failQueued(int code);
  void dropSocket();
  void teardown(int code);
  static void answer(Pending& p, bool ok, int code, const std::string& message);

  Transport& transport_;
  std::mutex& mu_;
  ConnectionHooks& hooks_;
  ConnectionOptions options_;
  State state_ = State::DISCONNECTED;
  long sock_ = 0;
  bool sockOpen_ = false;
  std::string uid_, token_, sid_;
  long long lastSeq_ = 0;
  long nextId_ = 1;
  long loginId_ = 0;
  bool loginWaiting_ = false;
  long long loginDeadline_ = 0;
  std::map<long, Pending> pending_;
  std::deque<Pending> queued_;
  size_t urlIndex_ = 0;
  int attempt_ = 0;
  int heartbeatMs_ = 2500;
  long long lastRxMs_ = 0, lastPingMs_ = 0;
  long long retryAt_ = 0;
  bool ackScheduled_ = false;
  bool tokenExpiredSignalled_ = false;
  bool stopped_ = false;
  std::mt19937 rng_;
};

long long nowMs();

}  // namespace parley

#endif
