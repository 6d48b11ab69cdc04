// Parley's implementation of the Agora RTM 1.x call-invitation API (IAgoraRtmCallManager.h).
// Written from the interface contract of Agora's RTM 1.4 Linux header. C++11.
#ifndef PARLEY_AGORA_RTM_CALL_MANAGER_H
#define PARLEY_AGORA_RTM_CALL_MANAGER_H

#include "IAgoraRtmService.h"

namespace agora {
namespace rtm {

enum LOCAL_INVITATION_STATE {
  LOCAL_INVITATION_STATE_IDLE = 0,
  LOCAL_INVITATION_STATE_SENT_TO_REMOTE = 1,
  LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE = 2,
  LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE = 3,
  LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE = 4,
  LOCAL_INVITATION_STATE_CANCELED = 5,
  LOCAL_INVITATION_STATE_FAILURE = 6,
};

enum REMOTE_INVITATION_STATE {
  REMOTE_INVITATION_STATE_IDLE = 0,
  REMOTE_INVITATION_STATE_INVITATION_RECEIVED = 1,
  REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL = 2,
  REMOTE_INVITATION_STATE_REFUSED = 3,
  REMOTE_INVITATION_STATE_ACCEPTED = 4,
  REMOTE_INVITATION_STATE_CANCELED = 5,
  REMOTE_INVITATION_STATE_FAILURE = 6,
};

enum LOCAL_INVITATION_ERR_CODE {
  LOCAL_INVITATION_ERR_OK = 0,
  LOCAL_INVITATION_ERR_PEER_OFFLINE = 1,
  LOCAL_INVITATION_ERR_PEER_NO_RESPONSE = 2,
  LOCAL_INVITATION_ERR_INVITATION_EXPIRE = 3,
  LOCAL_INVITATION_ERR_NOT_LOGGEDIN = 4,
};

enum REMOTE_INVITATION_ERR_CODE {
  REMOTE_INVITATION_ERR_OK = 0,
  REMOTE_INVITATION_ERR_PEER_OFFLINE = 1,
  REMOTE_INVITATION_ERR_ACCEPT_FAILURE = 2,
  REMOTE_INVITATION_ERR_INVITATION_EXPIRE = 3,
};

enum INVITATION_API_CALL_ERR_CODE {
  INVITATION_API_CALL_ERR_OK = 0,
  INVITATION_API_CALL_ERR_INVALID_ARGUMENT = 1,
  INVITATION_API_CALL_ERR_NOT_STARTED = 2,
  INVITATION_API_CALL_ERR_ALREADY_END = 3,
  INVITATION_API_CALL_ERR_ALREADY_ACCEPT = 4,
  INVITATION_API_CALL_ERR_ALREADY_SENT = 5,
};

class ILocalCallInvitation {
 protected:
  virtual ~ILocalCallInvitation() {}

 public:
  virtual const char* getCalleeId() const = 0;
  virtual void setContent(const char* content) = 0;
  virtual const char* getContent() const = 0;
  virtual void setChannelId(const char* channelId) = 0;
  virtual const char* getChannelId() const = 0;
  virtual const char* getResponse() const = 0;
  virtual LOCAL_INVITATION_STATE getState() const = 0;
  virtual void release() = 0;
};

class IRemoteCallInvitation {
 protected:
  virtual ~IRemoteCallInvitation() {}

 public:
  virtual const char* getCallerId() const = 0;
  virtual const char* getContent() const = 0;
  virtual void setResponse(const char* response) = 0;
  virtual const char* getResponse() const = 0;
  virtual const char* getChannelId() const = 0;
  virtual REMOTE_INVITATION_STATE getState() const = 0;
  virtual void release() = 0;
};

class IRtmCallEventHandler {
 public:
  virtual ~IRtmCallEventHandler() {}
  virtual void onLocalInvitationReceivedByPeer(ILocalCallInvitation* localInvitation) {
    (void)localInvitation;
  }
  virtual void onLocalInvitationCanceled(ILocalCallInvitation* localInvitation) {
    (void)localInvitation;
  }
  virtual void onLocalInvitationFailure(ILocalCallInvitation* localInvitation,
                                        LOCAL_INVITATION_ERR_CODE errorCode) {
    (void)localInvitation;
    (void)errorCode;
  }
  virtual void onLocalInvitationAccepted(ILocalCallInvitation* localInvitation,
                                         const char* response) {
    (void)localInvitation;
    (void)response;
  }
  virtual void onLocalInvitationRefused(ILocalCallInvitation* localInvitation,
                                        const char* response) {
    (void)localInvitation;
    (void)response;
  }
  virtual void onRemoteInvitationRefused(IRemoteCallInvitation* remoteInvitation) {
    (void)remoteInvitation;
  }
  virtual void onRemoteInvitationAccepted(IRemoteCallInvitation* remoteInvitation) {
    (void)remoteInvitation;
  }
  virtual void onRemoteInvitationReceived(IRemoteCallInvitation* remoteInvitation) {
    (void)remoteInvitation;
  }
  virtual void onRemoteInvitationFailure(IRemoteCallInvitation* remoteInvitation,
                                         REMOTE_INVITATION_ERR_CODE errorCode) {
    (void)remoteInvitation;
    (void)errorCode;
  }
  virtual void onRemoteInvitationCanceled(IRemoteCallInvitation* remoteInvitation) {
    (void)remoteInvitation;
  }
};

class IRtmCallManager {
 protected:
  virtual ~IRtmCallManager() {}

 public:
  virtual int sendLocalInvitation(ILocalCallInvitation* invitation) = 0;
  virtual int acceptRemoteInvitation(IRemoteCallInvitation* invitation) = 0;
  virtual int refuseRemoteInvitation(IRemoteCallInvitation* invitation) = 0;
  virtual int cancelLocalInvitation(ILocalCallInvitation* invitation) = 0;
  virtual ILocalCallInvitation* createLocalCallInvitation(const char* calleeId) = 0;
  virtual void release() = 0;
};

}  // namespace rtm
}  // namespace agora

#endif  // PARLEY_AGORA_RTM_CALL_MANAGER_H
