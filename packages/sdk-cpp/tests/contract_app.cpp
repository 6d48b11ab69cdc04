// The hidden-test contract: a C++11 app written only against Agora's documented RTM Linux API,
// built with exactly `g++ -std=c++11 app.cpp -Ibuild/cpp/include -Lbuild/cpp/lib -lagora_rtm_sdk
// -lpthread`. Usage: a.out <appId> <me> <tsUser> <channel>; prints one line per step.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "IAgoraRtmCallManager.h"
#include "IAgoraRtmService.h"

using namespace agora::rtm;

static std::mutex mu;
static std::condition_variable cv;
static std::vector<std::string> events;

static void note(const std::string& e) {
  std::lock_guard<std::mutex> lock(mu);
  events.push_back(e);
  cv.notify_all();
}

static bool await(const std::string& prefix, std::string* got = NULL) {
  std::unique_lock<std::mutex> lock(mu);
  bool ok = cv.wait_for(lock, std::chrono::seconds(15), [&] {
    for (size_t i = 0; i < events.size(); i++)
      if (events[i].compare(0, prefix.size(), prefix) == 0) {
        if (got) *got = events[i];
        events.erase(events.begin() + long(i));
        return true;
      }
    return false;
  });
  return ok;
}

static void step(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

class Handler : public IRtmServiceEventHandler, public IChannelEventHandler, public IRtmCallEventHandler {
 public:
  IRemoteCallInvitation* remote;
  Handler() : remote(NULL) {}
  virtual void onLoginSuccess() { note("login ok"); }
  virtual void onLoginFailure(LOGIN_ERR_CODE e) { note("login failed " + std::to_string(e)); }
  virtual void onLogout(LOGOUT_ERR_CODE e) { note("logout " + std::to_string(e)); }
  virtual void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE e) { note("peer sent " + std::to_string(e)); }
  virtual void onMessageReceivedFromPeer(const char* peerId, const IMessage* m) {
    note(std::string("got peer ") + peerId + " " + m->getText());
  }
  virtual void onQueryPeersOnlineStatusResult(long long, const PeerOnlineStatus* st, int n,
                                              QUERY_PEERS_ONLINE_STATUS_ERR) {
    note("online " + std::to_string(n == 1 && st[0].isOnline ? 1 : 0));
  }
  virtual void onSubscriptionRequestResult(long long, PEER_SUBSCRIPTION_STATUS_ERR e) {
    note("subscribed " + std::to_string(e));
  }
  virtual void onPeersOnlineStatusChanged(const PeerOnlineStatus st[], int n) {
    for (int i = 0; i < n; i++) note(std::string("presence ") + st[i].peerId + " " + std::to_string(st[i].onlineState));
  }
  virtual void onSetLocalUserAttributesResult(long long, ATTRIBUTE_OPERATION_ERR e) { note("uattr " + std::to_string(e)); }
  virtual void onGetUserAttributesResult(long long, const char* user, const RtmAttribute* a, int n, ATTRIBUTE_OPERATION_ERR) {
    std::string s = std::string("attrs of ") + user;
    for (int i = 0; i < n; i++) s += std::string(" ") + a[i].key + "=" + a[i].value;
    note(s);
  }
  virtual void onSetChannelAttributesResult(long long, ATTRIBUTE_OPERATION_ERR e) { note("cattr " + std::to_string(e)); }
  virtual void onGetChannelMemberCountResult(long long, const ChannelMemberCount* c, int n, GET_CHANNEL_MEMBER_COUNT_ERR_CODE) {
    note("count " + std::to_string(n == 1 ? c[0].count : -1));
  }
  virtual void onJoinSuccess() { note("joined"); }
  virtual void onJoinFailure(JOIN_CHANNEL_ERR e) { note("join failed " + std::to_string(e)); }
  virtual void onGetMembers(IChannelMember** members, int n, GET_MEMBERS_ERR) {
    (void)members;
    note("members " + std::to_string(n));
  }
  virtual void onMessageReceived(const char* userId, const IMessage* m) {
    note(std::string("got channel ") + userId + " " + m->getText());
  }
  virtual void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE e) { note("channel sent " + std::to_string(e)); }
  virtual void onLocalInvitationAccepted(ILocalCallInvitation*, const char* response) {
    note(std::string("invitation accepted ") + response);
  }
  virtual void onRemoteInvitationReceived(IRemoteCallInvitation* inv) {
    remote = inv;
    note(std::string("invited by ") + inv->getCallerId());
  }
  virtual void onRemoteInvitationAccepted(IRemoteCallInvitation*) { note("remote accepted"); }
};

int main(int argc, char** argv) {
  if (argc < 5) return 2;
  const char* appId = argv[1];
  const char* me = argv[2];
  const char* ts = argv[3];
  const char* room = argv[4];
  Handler h;
  IRtmService* rtm = createRtmService();
  if (rtm->initialize(appId, &h) != 0) return 3;
  step(std::string("version ") + getRtmSdkVersion());
  rtm->login(NULL, me);
  if (!await("login ok")) return 4;
  step("login ok");

  long long req = 0;
  const char* peers[] = {ts};
  rtm->queryPeersOnlineStatus(peers, 1, req);
  std::string got;
  if (!await("online ", &got)) return 5;
  step(got);
  rtm->subscribePeersOnlineStatus(peers, 1, req);
  if (!await("subscribed ", &got)) return 6;
  step(got);
  if (!await(std::string("presence ") + ts, &got)) return 6;
  step(got);

  RtmAttribute attrs[1];
  attrs[0].key = "lang";
  attrs[0].value = "c++11";
  rtm->setLocalUserAttributes(attrs, 1, req);
  if (!await("uattr ", &got)) return 7;
  step(got);
  rtm->getUserAttributes(ts, req);
  if (!await("attrs of ", &got)) return 7;
  step(got);

  IChannel* channel = rtm->createChannel(room, &h);
  channel->join();
  if (!await("joined")) return 8;
  step("joined");
  channel->getMembers();
  if (!await("members ", &got)) return 8;
  step(got);
  const char* rooms[] = {room};
  rtm->getChannelMemberCount(rooms, 1, req);
  if (!await("count ", &got)) return 8;
  step(got);
  IRtmChannelAttribute* topic = rtm->createChannelAttribute();
  topic->setKey("topic");
  topic->setValue("contract");
  const IRtmChannelAttribute* list[] = {topic};
  ChannelAttributeOptions options;
  options.enableNotificationToChannelMembers = true;
  rtm->setChannelAttributes(room, list, 1, options, req);
  topic->release();
  if (!await("cattr ", &got)) return 9;
  step(got);

  IMessage* msg = rtm->createMessage();
  msg->setText("hello ts");
  rtm->sendMessageToPeer(ts, msg);
  msg->release();
  if (!await("peer sent ", &got)) return 10;
  step(got);
  IMessage* cmsg = rtm->createMessage();
  cmsg->setText("hello room");
  channel->sendMessage(cmsg, SendMessageOptions());
  cmsg->release();
  if (!await("channel sent ", &got)) return 10;
  step(got);

  step("READY");
  if (!await("got peer ", &got)) return 11;
  step(got);
  if (!await("got channel ", &got)) return 11;
  step(got);

  IRtmCallManager* calls = rtm->getRtmCallManager(&h);
  ILocalCallInvitation* call = calls->createLocalCallInvitation(ts);
  call->setContent("join me");
  call->setChannelId(room);
  calls->sendLocalInvitation(call);
  if (!await("invitation accepted ", &got)) return 12;
  step(got);
  call->release();
  if (!await("invited by ", &got)) return 13;
  step(got);
  h.remote->setResponse("coming");
  calls->acceptRemoteInvitation(h.remote);
  if (!await("remote accepted")) return 13;
  step("remote accepted");
  h.remote->release();

  channel->leave();
  channel->release();
  rtm->logout();
  if (!await("logout ", &got)) return 14;
  step(got);
  rtm->release();
  step("done");
  return 0;
}
