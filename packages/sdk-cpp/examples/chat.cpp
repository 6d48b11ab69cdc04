// A terminal chat written against Agora's RTM Linux C++ API only (it builds against Agora's
// SDK as well as Parley's). Run: PARLEY_SERVER_URL=ws://host:port rtm_chat <appId> <uid> [token]
//
// Commands (one a line on stdin):
//   /peer <uid> <text>     peer message          /join <channel>   join a channel
//   /send <text>           channel message       /members          list the channel's members
//   /leave                 leave the channel     /call <uid> [ch]  invite a user to a call
//   /accept [response]     accept a call         /refuse [resp]    refuse a call
//   /quit
// Every event is printed as one line starting with "<< ".
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>

#include "IAgoraRtmCallManager.h"
#include "IAgoraRtmService.h"

using namespace agora::rtm;

static std::mutex g_out;
static void say(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_out);
  std::cout << "<< " << line << std::endl;
}

class ServiceEvents : public IRtmServiceEventHandler {
 public:
  void onLoginSuccess() override { say("login ok"); }
  void onLoginFailure(LOGIN_ERR_CODE errorCode) override {
    say("login failed " + std::to_string(errorCode));
  }
  void onLogout(LOGOUT_ERR_CODE errorCode) override {
    say("logout " + std::to_string(errorCode));
  }
  void onConnectionStateChanged(CONNECTION_STATE state, CONNECTION_CHANGE_REASON reason) override {
    say("state " + std::to_string(state) + " reason " + std::to_string(reason));
  }
  void onSendMessageResult(long long messageId, PEER_MESSAGE_ERR_CODE errorCode) override {
    say("peer message " + std::to_string(messageId) + " result " + std::to_string(errorCode));
  }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* message) override {
    say(std::string("peer ") + peerId + ": " + message->getText());
  }
};

class ChannelEvents : public IChannelEventHandler {
 public:
  void onJoinSuccess() override { say("joined"); }
  void onJoinFailure(JOIN_CHANNEL_ERR errorCode) override {
    say("join failed " + std::to_string(errorCode));
  }
  void onLeave(LEAVE_CHANNEL_ERR errorCode) override { say("left " + std::to_string(errorCode)); }
  void onMessageReceived(const char* userId, const IMessage* message) override {
    say(std::string("channel ") + userId + ": " + message->getText());
  }
  void onSendMessageResult(long long messageId, CHANNEL_MESSAGE_ERR_CODE state) override {
    say("channel message " + std::to_string(messageId) + " result " + std::to_string(state));
  }
  void onMemberJoined(IChannelMember* member) override {
    say(std::string("member joined ") + member->getUserId());
  }
  void onMemberLeft(IChannelMember* member) override {
    say(std::string("member left ") + member->getUserId());
  }
  void onGetMembers(IChannelMember** members, int userCount, GET_MEMBERS_ERR errorCode) override {
    std::string list;
    for (int i = 0; i < userCount; i++) list += std::string(i ? "," : "") + members[i]->getUserId();
    say("members " + list + " (" + std::to_string(errorCode) + ")");
  }
};

class CallEvents : public IRtmCallEventHandler {
 public:
  IRemoteCallInvitation* incoming = nullptr;
  std::mutex mu;
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation*) override { say("call ringing"); }
  void onLocalInvitationAccepted(ILocalCallInvitation*, const char* response) override {
    say(std::string("call accepted: ") + response);
  }
  void onLocalInvitationRefused(ILocalCallInvitation*, const char* response) override {
    say(std::string("call refused: ") + response);
  }
  void onLocalInvitationFailure(ILocalCallInvitation*, LOCAL_INVITATION_ERR_CODE code) override {
    say("call failed " + std::to_string(code));
  }
  void onRemoteInvitationReceived(IRemoteCallInvitation* invitation) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      incoming = invitation;
    }
    say(std::string("call from ") + invitation->getCallerId() + " channel " +
        invitation->getChannelId());
  }
  void onRemoteInvitationAccepted(IRemoteCallInvitation*) override { say("call started"); }
  void onRemoteInvitationCanceled(IRemoteCallInvitation*) override { say("call canceled"); }
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <appId> <uid> [token]\n", argv[0]);
    return 2;
  }
  ServiceEvents serviceEvents;
  ChannelEvents channelEvents;
  CallEvents callEvents;
  IRtmService* service = createRtmService();
  if (service->initialize(argv[1], &serviceEvents) != 0) {
    std::fprintf(stderr, "initialize failed\n");
    return 1;
  }
  IRtmCallManager* calls = service->getRtmCallManager(&callEvents);
  ILocalCallInvitation* outgoing = nullptr;
  IChannel* channel = nullptr;
  if (service->login(argc > 3 ? argv[3] : nullptr, argv[2]) != 0) {
    std::fprintf(stderr, "login refused\n");
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string cmd = line.substr(0, line.find(' '));
    std::string rest = line.size() > cmd.size() ? line.substr(cmd.size() + 1) : "";
    int rc = 0;
    if (cmd == "/quit") {
      break;
    } else if (cmd == "/peer") {
      std::string peer = rest.substr(0, rest.find(' '));
      std::string text = rest.size() > peer.size() ? rest.substr(peer.size() + 1) : "";
      IMessage* message = service->createMessage();
      message->setText(text.c_str());
      SendMessageOptions options;
      options.enableOfflineMessaging = true;
      rc = service->sendMessageToPeer(peer.c_str(), message, options);
      message->release();
    } else if (cmd == "/join") {
      if (channel) channel->release();
      channel = service->createChannel(rest.c_str(), &channelEvents);
      rc = channel ? channel->join() : -1;
    } else if (cmd == "/send" && channel) {
      IMessage* message = service->createMessage(rest.c_str());
      rc = channel->sendMessage(message, SendMessageOptions());
      message->release();
    } else if (cmd == "/members" && channel) {
      rc = channel->getMembers();
    } else if (cmd == "/leave" && channel) {
      rc = channel->leave();
    } else if (cmd == "/call") {
      std::string peer = rest.substr(0, rest.find(' '));
      std::string ch = rest.size() > peer.size() ? rest.substr(peer.size() + 1) : "";
      if (outgoing) outgoing->release();
      outgoing = calls->createLocalCallInvitation(peer.c_str());
      if (!ch.empty()) outgoing->setChannelId(ch.c_str());
      outgoing->setContent("call me");
      rc = calls->sendLocalInvitation(outgoing);
    } else if (cmd == "/accept" || cmd == "/refuse") {
      std::lock_guard<std::mutex> lock(callEvents.mu);
      if (callEvents.incoming) {
        callEvents.incoming->setResponse(rest.c_str());
        rc = cmd == "/accept" ? calls->acceptRemoteInvitation(callEvents.incoming)
                              : calls->refuseRemoteInvitation(callEvents.incoming);
      } else {
        rc = -1;
      }
    } else {
      rc = -1;
    }
    say(cmd + " -> " + std::to_string(rc));
  }
  if (channel) channel->release();
  if (outgoing) outgoing->release();
  {
    std::lock_guard<std::mutex> lock(callEvents.mu);
    if (callEvents.incoming) callEvents.incoming->release();
  }
  service->logout();
  service->release();
  return 0;
}
