// RtmService: IRtmService over the Connection. Internal header.
//
// Threading (the one rule everything here follows): `mu_` guards all state of the service,
// its channels and its invitations. The app's callbacks are never called with `mu_` held:
// code under the lock queues them with emit(), and the SDK thread runs the queue, in order,
// after releasing the lock. So any API call, from any thread or from inside a callback,
// takes the lock briefly, never waits for the SDK thread, and cannot deadlock.
#ifndef PARLEY_RTM_SERVICE_H
#define PARLEY_RTM_SERVICE_H

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "IAgoraRtmCallManager.h"
#include "IAgoraRtmService.h"
#include "connection.h"
#include "log.h"
#include "rtm_objects.h"
#include "transport.h"

namespace parley {

/** A bounded set of recently seen ids (the oldest is forgotten first). */
class RecentIds {
 public:
  explicit RecentIds(size_t capacity) : capacity_(capacity) {}
  bool add(const std::string& id) {
    if (!ids_.insert(id).second) return false;
    order_.push_back(id);
    if (order_.size() > capacity_) {
      ids_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }
  void clear() {
    ids_.clear();
    order_.clear();
  }

 private:
  size_t capacity_;
  std::set<std::string> ids_;
  std::deque<std::string> order_;
};

class RtmService;

class ChannelImpl : public IChannel {
 public:
  ChannelImpl(RtmService* service, const std::string& id, IChannelEventHandler* handler)
      : service_(service), id_(id), handler_(handler) {}
  int join() override;
  int leave() override;
  int sendMessage(const IMessage* message) override;
  int sendMessage(const IMessage* message, const SendMessageOptions& options) override;
  const char* getId() const override { return id_.c_str(); }
  int getMembers() override;
  void release() override;

  /** The handler, or null once the app released the channel. */
  IChannelEventHandler* handler() const { return released_ ? nullptr : handler_; }

  RtmService* service_;
  const std::string id_;
  IChannelEventHandler* handler_;
  std::atomic<bool> released_{false};
  std::weak_ptr<ChannelImpl> self_;
};

class LocalInvitationImpl;
class RemoteInvitationImpl;

class CallManagerImpl : public IRtmCallManager {
 public:
  explicit CallManagerImpl(RtmService* service) : service_(service) {}
  /** Frees the invitation objects the app never released. */
  ~CallManagerImpl() override;
  int sendLocalInvitation(ILocalCallInvitation* invitation) override;
  int acceptRemoteInvitation(IRemoteCallInvitation* invitation) override;
  int refuseRemoteInvitation(IRemoteCallInvitation* invitation) override;
  int cancelLocalInvitation(ILocalCallInvitation* invitation) override;
  ILocalCallInvitation* createLocalCallInvitation(const char* calleeId) override;
  void release() override;

  // Under the service lock:
  void onPush(const Json& f);
  void endAll();
  /**
   * The server lost the session and ended what it had, but for the invitations the new session
   * carries on (`kept`: the login result's `inv`, when the old session's node died).
   */
  void sessionRenewed(const Json& kept);
  /** A legacy end-call peer message; true if it ended an invitation (the app then does not see it). */
  bool onEndCallMessage(const std::string& from, const std::string& text);

  std::atomic<IRtmCallEventHandler*> handler_{nullptr};

 private:
  void request(const Json& frame, int tries, std::function<void(const Reply&)> done);
  void fire(const Json& frame);
  void localEvent(const Json& f);
  void remoteEvent(const Json& f);
  /** Ends every live invitation but those kept (ids sent; "caller\nid" of those received). */
  void endAllBut(const std::set<std::string>& keepOut, const std::set<std::string>& keepIn);
  void failLocal(const std::shared_ptr<LocalInvitationImpl>& inv, int code);
  void failRemote(const std::shared_ptr<RemoteInvitationImpl>& inv, int code);
  template <class Inv, class Fn>
  void toApp(const std::shared_ptr<Inv>& inv, Fn fn);

  RtmService* service_;
  std::map<std::string, std::shared_ptr<LocalInvitationImpl>> outgoing_;
  /** Sends not answered yet, and the cancel to send once one is. */
  std::map<std::string, std::vector<Json>> sending_;
  std::map<std::string, std::shared_ptr<RemoteInvitationImpl>> incoming_;
  RecentIds seen_{10000};
  std::vector<std::weak_ptr<LocalInvitationImpl>> madeLocal_;
  std::vector<std::weak_ptr<RemoteInvitationImpl>> madeRemote_;
};

class RtmService : public IRtmService, public ConnectionHooks {
 public:
  RtmService();
  ~RtmService() override;

  int initialize(const char* appId, IRtmServiceEventHandler* eventHandler) override;
  void addEventHandler(IRtmServiceEventHandler* eventHandler) override;
  void removeEventHandler(IRtmServiceEventHandler* eventHandler) override;
  void release(bool sync = false) override;
  int login(const char* token, const char* userId) override;
  int logout() override;
  int renewToken(const char* token) override;
  int sendMessageToPeer(const char* peerId, const IMessage* message) override;
  int downloadMediaToMemory(const char* mediaId, long long& requestId) override;
  int downloadMediaToFile(const char* mediaId, const char* filePath, long long& requestId) override;
  int cancelMediaDownload(long long requestId) override;
  int cancelMediaUpload(long long requestId) override;
  int sendMessageToPeer(const char* peerId, const IMessage* message,
                        const SendMessageOptions& options) override;
  IChannel* createChannel(const char* channelId, IChannelEventHandler* eventHandler) override;
  IRtmCallManager* getRtmCallManager(IRtmCallEventHandler* eventHandler) override;
  IMessage* createMessage() override;
  IMessage* createMessage(const char* message) override;
  IMessage* createMessage(const uint8_t* rawData, int length) override;
  IMessage* createMessage(const uint8_t* rawData, int length, const char* description) override;
  IFileMessage* createFileMessageByMediaId(const char* mediaId) override;
  IImageMessage* createImageMessageByMediaId(const char* mediaId) override;
  int createFileMessageByUploading(const char* filePath, long long& requestId) override;
  int createImageMessageByUploading(const char* filePath, long long& requestId) override;
  IRtmChannelAttribute* createChannelAttribute() override;
  int setParameters(const char* parameters) override;
  int queryPeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) override;
  int subscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                 long long& requestId) override;
  int unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                   long long& requestId) override;
  int queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option,
                                     long long& requestId) override;
  int setLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                             long long& requestId) override;
  int addOrUpdateLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                     long long& requestId) override;
  int deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys,
                                      long long& requestId) override;
  int clearLocalUserAttributes(long long& requestId) override;
  int getUserAttributes(const char* userId, long long& requestId) override;
  int getUserAttributesByKeys(const char* userId, const char* attributeKeys[], int numberOfKeys,
                              long long& requestId) override;
  int setChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                           int numberOfAttributes, const ChannelAttributeOptions& options,
                           long long& requestId) override;
  int addOrUpdateChannelAttributes(const char* channelId, const IRtmChannelAttribute* attributes[],
                                   int numberOfAttributes, const ChannelAttributeOptions& options,
                                   long long& requestId) override;
  int deleteChannelAttributesByKeys(const char* channelId, const char* attributeKeys[],
                                    int numberOfKeys, const ChannelAttributeOptions& options,
                                    long long& requestId) override;
  int clearChannelAttributes(const char* channelId, const ChannelAttributeOptions& options,
                             long long& requestId) override;
  int getChannelAttributes(const char* channelId, long long& requestId) override;
  int getChannelAttributesByKeys(const char* channelId, const char* attributeKeys[],
                                 int numberOfKeys, long long& requestId) override;
  int getChannelMemberCount(const char* channelIds[], int channelCount,
                            long long& requestId) override;
  int setLogFile(const char* logfile) override;
  int setLogFilter(LOG_FILTER_TYPE filter) override;
  int setLogFileSize(int fileSizeInKBytes) override;

  // ConnectionHooks (under mu_).
  void connectionState(State state, Reason reason) override;
  void loginDone(int code) override;
  void reliablePush(const Json& frame) override;
  void event(const Json& frame) override;
  void willExpire() override;
  void tokenExpired() override;
  void sessionRenewed(const Json& result) override;
  Json resumeCursor() override;
  void channelSequences(const Json& cs) override;
  void log(LogLevel level, const std::string& line) override;

  // For channels and the call manager.
  int joinChannel(const std::shared_ptr<ChannelImpl>& ch);
  int leaveChannel(const std::shared_ptr<ChannelImpl>& ch);
  int sendChannelMessage(const std::shared_ptr<ChannelImpl>& ch, const IMessage* message,
                         bool historical);
  int channelMembers(const std::shared_ptr<ChannelImpl>& ch);
  void releaseChannel(ChannelImpl* ch);
  /** Queues an app callback (under mu_); the SDK thread runs it after the lock is released. */
  void emit(std::function<void()> fn);
  /** Queues `fn` for every service event handler. */
  void toHandlers(std::function<void(IRtmServiceEventHandler*)> fn);
  void toChannel(const std::shared_ptr<ChannelImpl>& ch,
                 std::function<void(IChannelEventHandler*)> fn);

  std::mutex mu_;
  std::unique_ptr<Connection> conn_;

 private:
  struct Joined {
    std::shared_ptr<ChannelImpl> channel;
    long long cs;
  };
  /** Common checks of a request API: 0, or the not-initialized / not-logged-in code. */
  int ready(int notInitialized, int notLoggedIn);
  long long newRequestId() { return ++lastRequestId_; }
  void flush();
  void onPeerMessage(const Json& f);
  void onPresence(const Json& f);
  void onChannelEvent(const Json& f);
  void restore(const Json& result);
  int userAttributeWrite(const char* method, const std::string& op, const RtmAttribute* attrs,
                         int n, const char* keys[], int nKeys, long long& requestId,
                         void (IRtmServiceEventHandler::*result)(long long,
                                                                 ATTRIBUTE_OPERATION_ERR));
  int channelAttributeWrite(const std::string& op, const char* channelId,
                            const IRtmChannelAttribute* attrs[], int n, const char* keys[],
                            int nKeys, const ChannelAttributeOptions& options,
                            long long& requestId,
                            void (IRtmServiceEventHandler::*result)(long long,
                                                                    ATTRIBUTE_OPERATION_ERR));
  int subscription(bool subscribe, const char* peerIds[], int peerCount, long long& requestId);
  /** Checks and sends an attribute read (`uattr.get` / `cattr.get`); 0 or the error code. */
  int attributeRead(const char* type, const char* idField, const char* id, const char* keys[],
                    int nKeys, int maxKeys, long long& requestId,
                    std::function<void(long long, const Reply&)> done);
  int peerList(const char* op, const char* peerIds[], int peerCount, int max, int overflowCode,
               long long& requestId, std::function<void(long long, const Reply&)> done);

  std::unique_ptr<Transport> transport_;
  Log log_;
  bool initialized_ = false;
  bool released_ = false;
  std::string appId_;
  std::vector<std::string> urls_;
  ConnectionOptions connOptions_;
  std::vector<IRtmServiceEventHandler*> handlers_;
  std::vector<std::function<void()>> queue_;
  bool flushScheduled_ = false;
  std::deque<long long> loginCalls_, renewCalls_;
  std::set<std::string> subscribed_;
  std::map<std::string, std::string> localAttributes_;
  RecentIds seenMessages_{4096};
  std::atomic<long long> lastRequestId_{0};
  std::map<std::string, Joined> joined_;
  std::map<std::string, std::shared_ptr<ChannelImpl>> joining_;
  std::set<std::shared_ptr<ChannelImpl>> channels_;
  std::unique_ptr<CallManagerImpl> calls_;
};

}  // namespace parley

#endif
