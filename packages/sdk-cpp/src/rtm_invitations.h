// The two invitation objects of IRtmCallManager (the app-facing state of an invitation; the
// call manager in rtm_calls.cpp applies what the server says to them).
#ifndef PARLEY_RTM_INVITATIONS_H
#define PARLEY_RTM_INVITATIONS_H

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "rtm_service.h"

namespace parley {

/** A fresh invitation id (16 random bytes, base64url). */
std::string newInvitationId();

inline bool remoteEnded(REMOTE_INVITATION_STATE s) {
  return s == REMOTE_INVITATION_STATE_ACCEPTED || s == REMOTE_INVITATION_STATE_REFUSED ||
         s == REMOTE_INVITATION_STATE_CANCELED || s == REMOTE_INVITATION_STATE_FAILURE;
}

class LocalInvitationImpl : public ILocalCallInvitation {
 public:
  LocalInvitationImpl(RtmService* s, const std::string& callee)
      : service_(s), callee_(callee), id_(newInvitationId()) {}
  const char* getCalleeId() const override { return callee_.c_str(); }
  void setContent(const char* content) override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    content_ = content ? content : "";
  }
  const char* getContent() const override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    return content_.c_str();
  }
  void setChannelId(const char* channelId) override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    // As the web SDK: set it before sending; later assignments are ignored.
    if (state_ == LOCAL_INVITATION_STATE_IDLE) channel_ = channelId ? channelId : "";
  }
  const char* getChannelId() const override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    return channel_.c_str();
  }
  const char* getResponse() const override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    return response_.c_str();
  }
  LOCAL_INVITATION_STATE getState() const override { return state_.load(); }
  void release() override {
    std::shared_ptr<LocalInvitationImpl> last;
    std::lock_guard<std::mutex> lock(service_->mu_);
    last.swap(appRef_);
    // `last` may be the final reference: it goes after the lock (declared before it).
  }

  RtmService* service_;
  const std::string callee_, id_;
  std::string content_, channel_, response_;
  std::atomic<LOCAL_INVITATION_STATE> state_{LOCAL_INVITATION_STATE_IDLE};
  std::shared_ptr<LocalInvitationImpl> appRef_;
};

class RemoteInvitationImpl : public IRemoteCallInvitation {
 public:
  RemoteInvitationImpl(RtmService* s, const std::string& caller, const std::string& id,
                       const std::string& channel, const std::string& content)
      : service_(s), caller_(caller), id_(id), channel_(channel), content_(content) {}
  const char* getCallerId() const override { return caller_.c_str(); }
  const char* getContent() const override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    return content_.c_str();
  }
  void setResponse(const char* response) override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    if (!remoteEnded(state_) && state_ != REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL)
      response_ = response ? response : "";
  }
  const char* getResponse() const override {
    std::lock_guard<std::mutex> lock(service_->mu_);
    return response_.c_str();
  }
  const char* getChannelId() const override { return channel_.c_str(); }
  REMOTE_INVITATION_STATE getState() const override { return state_.load(); }
  void release() override {
    std::shared_ptr<RemoteInvitationImpl> last;
    std::lock_guard<std::mutex> lock(service_->mu_);
    last.swap(appRef_);
  }

  RtmService* service_;
  const std::string caller_, id_, channel_;
  std::string content_, response_;
  std::atomic<REMOTE_INVITATION_STATE> state_{REMOTE_INVITATION_STATE_INVITATION_RECEIVED};
  std::shared_ptr<RemoteInvitationImpl> appRef_;
};

}  // namespace parley

#endif
