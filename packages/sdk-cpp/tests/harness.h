// Test harness: a real Parley server (the TypeScript one, from source) on port 0, a
// TypeScript SDK client driven over pipes, a TCP proxy that can cut connections, and an event
// recorder implementing every Agora handler.
#ifndef PARLEY_TEST_HARNESS_H
#define PARLEY_TEST_HARNESS_H

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "IAgoraRtmCallManager.h"
#include "IAgoraRtmService.h"

namespace harness {

using Json = nlohmann::json;
using namespace agora::rtm;

/** How long a wait for an expected event may take before the test fails (a hang guard). */
const int kWaitMs = 15000;

std::string repoRoot();
std::string tempDir();
/** A user id unique to this process and call, so tests never share users. */
std::string uid(const std::string& base);

class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::string& cwd = "");
  ~Process();
  void writeLine(const std::string& line);
  void closeInput();
  /** Waits for a stdout line (from the first unread one on) for which `pred` holds. */
  bool waitLine(const std::function<bool(const std::string&)>& pred, int ms, std::string* got);
  std::vector<std::string> lines();
  void signal(int sig);
  int wait();

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  size_t consumed_ = 0;
  bool eof_ = false;
  bool waited_ = false;
  int status_ = 0;
};

class Server {
 public:
  /** Starts a server; `port` 0 = any free port. */
  explicit Server(int port = 0, const std::string& dataDir = "",
                  const std::map<std::string, std::string>& env = {});
  ~Server();
  void stop();
  /** SIGKILL: the node dies without a word (no drain, no goodbye to Redis). */
  void kill();
  std::string url;
  int port = 0;
  std::string dataDir;

 private:
  std::unique_ptr<Process> p_;
};

/** The server every test of one test process shares (started on first use). */
Server& sharedServer();

/** App ids the shared server knows: an open one, and one with a certificate. */
extern const char* kApp;
extern const char* kCertApp;
extern const char* kCert;

class TsPeer {
 public:
  TsPeer(const std::string& url, const std::string& appId = kApp);
  /** Runs an op and waits for its result: {"ok": bool, "value" | "code"}. */
  Json call(Json cmd);
  /** Waits for an event with `ev` for which `pred` holds (events are consumed in order). */
  bool waitEvent(const std::string& ev, const std::function<bool(const Json&)>& pred, Json* got,
                 int ms = kWaitMs);
  bool waitEvent(const std::string& ev, Json* got = nullptr) {
    return waitEvent(ev, [](const Json&) { return true; }, got);
  }
  std::vector<Json> events(const std::string& ev);

 private:
  std::unique_ptr<Process> p_;
  int n_ = 0;
  std::set<size_t> taken_;
};

/** A TCP proxy in front of a port; cut() drops every connection and refuses new ones. */
class Proxy {
 public:
  explicit Proxy(int targetPort);
  ~Proxy();
  void cut();
  void restore();
  std::string url;

 private:
  void run();
  int listen_ = -1, target_;
  std::atomic<bool> blocked_{false}, stop_{false}, cutNow_{false};
  std::thread thread_;
};

/** Records every callback as a line, e.g. "state 3 2", "peer bob: hi", "join ok". */
class Recorder : public IRtmServiceEventHandler,
                 public IChannelEventHandler,
                 public IRtmCallEventHandler {
 public:
  void add(const std::string& line);
  /** Waits until a line equal to `line` was recorded (since the last clear). */
  bool wait(const std::string& line, int ms = kWaitMs);
  /** Waits for a line starting with `prefix`; answers it. */
  std::string waitPrefix(const std::string& prefix, int ms = kWaitMs);
  int count(const std::string& line);
  std::vector<std::string> all();
  std::vector<std::string> withPrefix(const std::string& prefix);
  void clear();
  std::function<void(const std::string&)> hook;  // runs on the SDK thread after add

  // IRtmServiceEventHandler
  void onLoginSuccess() override { add("login ok"); }
  void onLoginFailure(LOGIN_ERR_CODE e) override { add("login failed " + std::to_string(e)); }
  void onRenewTokenResult(const char* token, RENEW_TOKEN_ERR_CODE e) override {
    add(std::string("renew ") + std::to_string(e) + (token && *token ? "" : " no-token"));
  }
  void onTokenExpired() override { add("token expired"); }
  void onTokenPrivilegeWillExpire() override { add("token will expire"); }
  void onLogout(LOGOUT_ERR_CODE e) override { add("logout " + std::to_string(e)); }
  void onConnectionStateChanged(CONNECTION_STATE s, CONNECTION_CHANGE_REASON r) override {
    add("state " + std::to_string(s) + " " + std::to_string(r));
  }
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE e) override {
    add("sent " + std::to_string(id) + " " + std::to_string(e));
  }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* m) override;
  void onQueryPeersOnlineStatusResult(long long id, const PeerOnlineStatus* st, int n,
                                      QUERY_PEERS_ONLINE_STATUS_ERR e) override;
  void onSubscriptionRequestResult(long long id, PEER_SUBSCRIPTION_STATUS_ERR e) override {
    add("subscription " + std::to_string(id) + " " + std::to_string(e));
  }
  void onQueryPeersBySubscriptionOptionResult(long long id, const char* ids[], int n,
                                              QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR e) override;
  void onPeersOnlineStatusChanged(const PeerOnlineStatus st[], int n) override;
  void onSetLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("uattr set " + std::to_string(id) + " " + std::to_string(e));
  }
  void onAddOrUpdateLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("uattr add " + std::to_string(id) + " " + std::to_string(e));
  }
  void onDeleteLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("uattr del " + std::to_string(id) + " " + std::to_string(e));
  }
  void onClearLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("uattr clear " + std::to_string(id) + " " + std::to_string(e));
  }
  void onGetUserAttributesResult(long long id, const char* user, const RtmAttribute* a, int n,
                                 ATTRIBUTE_OPERATION_ERR e) override;
  void onSetChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("cattr set " + std::to_string(id) + " " + std::to_string(e));
  }
  void onAddOrUpdateChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("cattr add " + std::to_string(id) + " " + std::to_string(e));
  }
  void onDeleteChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("cattr del " + std::to_string(id) + " " + std::to_string(e));
  }
  void onClearChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR e) override {
    add("cattr clear " + std::to_string(id) + " " + std::to_string(e));
  }
  void onGetChannelAttributesResult(long long id, const IRtmChannelAttribute* a[], int n,
                                    ATTRIBUTE_OPERATION_ERR e) override;
  void onGetChannelMemberCountResult(long long id, const ChannelMemberCount* c, int n,
                                     GET_CHANNEL_MEMBER_COUNT_ERR_CODE e) override;

  // IChannelEventHandler
  void onJoinSuccess() override { add("join ok"); }
  void onJoinFailure(JOIN_CHANNEL_ERR e) override { add("join failed " + std::to_string(e)); }
  void onLeave(LEAVE_CHANNEL_ERR e) override { add("leave " + std::to_string(e)); }
  void onMessageReceived(const char* userId, const IMessage* m) override;
  void onSendMessageResult(long long id, CHANNEL_MESSAGE_ERR_CODE e) override {
    add("csent " + std::to_string(id) + " " + std::to_string(e));
  }
  void onMemberJoined(IChannelMember* m) override {
    add(std::string("mjoin ") + m->getChannelId() + " " + m->getUserId());
  }
  void onMemberLeft(IChannelMember* m) override {
    add(std::string("mleft ") + m->getChannelId() + " " + m->getUserId());
  }
  void onGetMembers(IChannelMember** m, int n, GET_MEMBERS_ERR e) override;
  void onAttributesUpdated(const IRtmChannelAttribute* a[], int n) override;
  void onMemberCountUpdated(int n) override { add("count " + std::to_string(n)); }

  // IRtmCallEventHandler
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation*) override { add("linv received"); }
  void onLocalInvitationCanceled(ILocalCallInvitation*) override { add("linv canceled"); }
  void onLocalInvitationFailure(ILocalCallInvitation*, LOCAL_INVITATION_ERR_CODE e) override {
    add("linv failure " + std::to_string(e));
  }
  void onLocalInvitationAccepted(ILocalCallInvitation*, const char* r) override {
    add(std::string("linv accepted ") + r);
  }
  void onLocalInvitationRefused(ILocalCallInvitation*, const char* r) override {
    add(std::string("linv refused ") + r);
  }
  void onRemoteInvitationRefused(IRemoteCallInvitation*) override { add("rinv refused"); }
  void onRemoteInvitationAccepted(IRemoteCallInvitation*) override { add("rinv accepted"); }
  void onRemoteInvitationReceived(IRemoteCallInvitation* inv) override;
  void onRemoteInvitationFailure(IRemoteCallInvitation*, REMOTE_INVITATION_ERR_CODE e) override {
    add("rinv failure " + std::to_string(e));
  }
  void onRemoteInvitationCanceled(IRemoteCallInvitation* inv) override {
    add(std::string("rinv canceled ") + inv->getContent());
  }

  std::atomic<IRemoteCallInvitation*> lastRemote{nullptr};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
};

/** A service initialized for `appId`, pointed at `url` by setParameters, with short backoff. */
IRtmService* makeService(Recorder& rec, const std::string& url, const char* appId = kApp);
/** makeService, then login; waits for "login ok". */
IRtmService* loggedIn(Recorder& rec, const std::string& url, const std::string& user);

}  // namespace harness

#endif
