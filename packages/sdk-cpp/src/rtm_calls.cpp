// IRtmCallManager and the two invitation objects (as @parley/sdk's invitation(s).ts, frames of
// invitation-frames.ts). The server decides every outcome and keeps every timer; this side
// applies what it hears and sends the client's duties: `inv.ack` when an invitation arrives,
// `inv.confirm` when an accept arrives. Both are reliable pushes, so they survive a resume.
//
// Ownership: the app holds one reference to each invitation object until it calls release();
// the SDK holds one while the invitation is live and while a callback about it runs.
#include <algorithm>
#include <cstring>
#include <random>

#include "rtm_invitations.h"
#include "rtm_service.h"
#include "wire.h"

namespace parley {

namespace {
/** Never a server code: the request got no answer (timed out, or the connection dropped). */
const int kNoAnswer = 0;
const int kTries = 3;

bool validText(const char* s) {
  size_t n = std::strlen(s);
  return n <= limits::maxInvitationTextBytes && isValidUtf8(s, n);
}

bool localEnded(LOCAL_INVITATION_STATE s) {
  return s == LOCAL_INVITATION_STATE_CANCELED || s == LOCAL_INVITATION_STATE_FAILURE ||
         s == LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE ||
         s == LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE;
}

LOCAL_INVITATION_ERR_CODE localFailure(const std::string& why) {
  if (why == "PEER_OFFLINE") return LOCAL_INVITATION_ERR_PEER_OFFLINE;
  if (why == "INVITATION_EXPIRE") return LOCAL_INVITATION_ERR_INVITATION_EXPIRE;
  if (why == "NOT_LOGGEDIN") return LOCAL_INVITATION_ERR_NOT_LOGGEDIN;
  return LOCAL_INVITATION_ERR_PEER_NO_RESPONSE;  // PEER_NO_RESPONSE, and UNKNOWN
}

REMOTE_INVITATION_ERR_CODE remoteFailure(const std::string& why) {
  if (why == "PEER_OFFLINE") return REMOTE_INVITATION_ERR_PEER_OFFLINE;
  if (why == "INVITATION_EXPIRE") return REMOTE_INVITATION_ERR_INVITATION_EXPIRE;
  return REMOTE_INVITATION_ERR_ACCEPT_FAILURE;  // ACCEPT_FAILURE, and UNKNOWN
}
}  // namespace

std::string newInvitationId() {
  static std::mutex mu;
  static std::mt19937_64 rng(std::random_device{}());
  uint8_t bytes[16];
  {
    std::lock_guard<std::mutex> lock(mu);
    for (int i = 0; i < 16; i += 8) {
      uint64_t v = rng();
      std::memcpy(bytes + i, &v, 8);
    }
  }
  std::string b = base64Encode(bytes, 16);
  std::string out;
  for (char c : b) {
    if (c == '=') break;
    out += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

template <class Inv, class Fn>
void CallManagerImpl::toApp(const std::shared_ptr<Inv>& inv, Fn fn) {
  service_->emit([this, inv, fn] {
    if (IRtmCallEventHandler* h = handler_.load()) fn(h, inv.get());
  });
}

template <class T>
static void track(std::vector<std::weak_ptr<T>>& made, const std::shared_ptr<T>& inv) {
  made.erase(std::remove_if(made.begin(), made.end(),
                            [](const std::weak_ptr<T>& w) { return w.expired(); }),
             made.end());
  made.push_back(inv);
}

CallManagerImpl::~CallManagerImpl() {
  // Runs when the service is deleted, after its thread stopped: nothing else holds the lock.
  for (auto& w : madeLocal_)
    if (auto inv = w.lock()) inv->appRef_.reset();
  for (auto& w : madeRemote_)
    if (auto inv = w.lock()) inv->appRef_.reset();
}

ILocalCallInvitation* CallManagerImpl::createLocalCallInvitation(const char* calleeId) {
  try {
    if (!isValidId(calleeId)) return nullptr;
    std::shared_ptr<LocalInvitationImpl> inv(new LocalInvitationImpl(service_, calleeId));
    inv->appRef_ = inv;
    std::lock_guard<std::mutex> lock(service_->mu_);
    track(madeLocal_, inv);
    return inv.get();
  } catch (...) {
    return nullptr;
  }
}

void CallManagerImpl::release() { handler_ = nullptr; }

void CallManagerImpl::request(const Json& frame, int tries,
                              std::function<void(const Reply&)> done) {
  // Every invitation request is safe to repeat on the server: again when it got no answer.
  service_->conn_->request(frame, kNoAnswer, [this, frame, tries, done](const Reply& r) {
    if (!r.ok && r.code == kNoAnswer && tries > 1 && service_->conn_->loggedIn()) {
      request(frame, tries - 1, done);
      return;
    }
    if (done) done(r);
  });
}

void CallManagerImpl::fire(const Json& frame) { request(frame, kTries, nullptr); }

int CallManagerImpl::sendLocalInvitation(ILocalCallInvitation* invitation) {
  try {
    if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    auto* raw = static_cast<LocalInvitationImpl*>(invitation);
    std::lock_guard<std::mutex> lock(service_->mu_);
    std::shared_ptr<LocalInvitationImpl> inv = raw->appRef_;
    if (!inv) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;  // released already
    LOCAL_INVITATION_STATE s = inv->state_;
    if (s == LOCAL_INVITATION_STATE_SENT_TO_REMOTE || s == LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE)
      return INVITATION_API_CALL_ERR_ALREADY_SENT;
    if (localEnded(s)) return INVITATION_API_CALL_ERR_ALREADY_END;
    if (!inv->channel_.empty() && !isValidId(inv->channel_))
      return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    if (!validText(inv->content_.c_str())) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    inv->state_ = LOCAL_INVITATION_STATE_SENT_TO_REMOTE;
    outgoing_[inv->id_] = inv;
    sending_[inv->id_];
    Json frame{{"t", "inv.send"}, {"id", inv->id_}, {"to", inv->callee_},
               {"ch", inv->channel_}, {"c", inv->content_}};
    request(frame, kTries, [this, inv](const Reply& r) {
      auto it = sending_.find(inv->id_);
      std::vector<Json> after;
      if (it != sending_.end()) {
        after.swap(it->second);
        sending_.erase(it);
      }
      // After the send's answer, so the server never sees the cancel first.
      for (auto& f : after) fire(f);
      if (r.ok) return;
      failLocal(inv, r.code == kNotLoggedIn ? LOCAL_INVITATION_ERR_NOT_LOGGEDIN
                                            : LOCAL_INVITATION_ERR_PEER_NO_RESPONSE);
    });
    return INVITATION_API_CALL_ERR_OK;
  } catch (...) {
    return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  }
}

int CallManagerImpl::cancelLocalInvitation(ILocalCallInvitation* invitation) {
  try {
    if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    auto* raw = static_cast<LocalInvitationImpl*>(invitation);
    std::lock_guard<std::mutex> lock(service_->mu_);
    std::shared_ptr<LocalInvitationImpl> inv = raw->appRef_;
    if (!inv) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    if (localEnded(inv->state_)) return INVITATION_API_CALL_ERR_ALREADY_END;
    if (inv->state_ == LOCAL_INVITATION_STATE_IDLE) return INVITATION_API_CALL_ERR_NOT_STARTED;
    if (!validText(inv->content_.c_str())) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    outgoing_.erase(inv->id_);
    Json frame{{"t", "inv.cancel"}, {"id", inv->id_}, {"c", inv->content_}};
    auto s = sending_.find(inv->id_);
    if (s != sending_.end())
      s->second.push_back(frame);
    else
      fire(frame);
    inv->state_ = LOCAL_INVITATION_STATE_CANCELED;
    toApp(inv, [](IRtmCallEventHandler* h, LocalInvitationImpl* i) {
      h->onLocalInvitationCanceled(i);
    });
    return INVITATION_API_CALL_ERR_OK;
  } catch (...) {
    return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  }
}

int CallManagerImpl::acceptRemoteInvitation(IRemoteCallInvitation* invitation) {
  try {
    if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    auto* raw = static_cast<RemoteInvitationImpl*>(invitation);
    std::lock_guard<std::mutex> lock(service_->mu_);
    auto it = incoming_.find(raw->caller_ + "\n" + raw->id_);
    if (it == incoming_.end() || it->second.get() != raw) {
      if (!remoteEnded(raw->state_)) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
      return INVITATION_API_CALL_ERR_ALREADY_END;
    }
    std::shared_ptr<RemoteInvitationImpl> inv = it->second;
    if (remoteEnded(inv->state_)) return INVITATION_API_CALL_ERR_ALREADY_END;
    if (inv->state_ == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL)
      return INVITATION_API_CALL_ERR_ALREADY_ACCEPT;
    if (!validText(inv->response_.c_str())) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    inv->state_ = REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL;
    fire(Json{{"t", "inv.accept"}, {"f", inv->caller_}, {"id", inv->id_}, {"r", inv->response_}});
    return INVITATION_API_CALL_ERR_OK;
  } catch (...) {
    return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  }
}

int CallManagerImpl::refuseRemoteInvitation(IRemoteCallInvitation* invitation) {
  try {
    if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    auto* raw = static_cast<RemoteInvitationImpl*>(invitation);
    std::lock_guard<std::mutex> lock(service_->mu_);
    if (raw->state_ == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL)
      return INVITATION_API_CALL_ERR_ALREADY_ACCEPT;
    auto it = incoming_.find(raw->caller_ + "\n" + raw->id_);
    if (it == incoming_.end() || it->second.get() != raw || remoteEnded(raw->state_))
      return remoteEnded(raw->state_) ? INVITATION_API_CALL_ERR_ALREADY_END
                                      : INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    std::shared_ptr<RemoteInvitationImpl> inv = it->second;
    if (!validText(inv->response_.c_str())) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
    incoming_.erase(it);
    fire(Json{{"t", "inv.refuse"}, {"f", inv->caller_}, {"id", inv->id_}, {"r", inv->response_}});
    inv->state_ = REMOTE_INVITATION_STATE_REFUSED;
    toApp(inv, [](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
      h->onRemoteInvitationRefused(i);
    });
    return INVITATION_API_CALL_ERR_OK;
  } catch (...) {
    return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  }
}

void CallManagerImpl::onPush(const Json& f) {
  if (str(f, "t") == "linv")
    localEvent(f);
  else
    remoteEvent(f);
}

void CallManagerImpl::failLocal(const std::shared_ptr<LocalInvitationImpl>& inv, int code) {
  if (localEnded(inv->state_)) return;
  inv->state_ = LOCAL_INVITATION_STATE_FAILURE;
  outgoing_.erase(inv->id_);
  LOCAL_INVITATION_ERR_CODE c = LOCAL_INVITATION_ERR_CODE(code);
  toApp(inv, [c](IRtmCallEventHandler* h, LocalInvitationImpl* i) {
    h->onLocalInvitationFailure(i, c);
  });
}

void CallManagerImpl::failRemote(const std::shared_ptr<RemoteInvitationImpl>& inv, int code) {
  if (remoteEnded(inv->state_)) return;
  inv->state_ = REMOTE_INVITATION_STATE_FAILURE;
  REMOTE_INVITATION_ERR_CODE c = REMOTE_INVITATION_ERR_CODE(code);
  toApp(inv, [c](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
    h->onRemoteInvitationFailure(i, c);
  });
}

void CallManagerImpl::localEvent(const Json& f) {
  auto it = outgoing_.find(str(f, "id"));
  if (it == outgoing_.end()) return;
  std::shared_ptr<LocalInvitationImpl> inv = it->second;
  std::string e = str(f, "e");
  auto receivedByPeer = [this, &inv] {
    if (inv->state_ != LOCAL_INVITATION_STATE_SENT_TO_REMOTE) return;
    inv->state_ = LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE;
    toApp(inv, [](IRtmCallEventHandler* h, LocalInvitationImpl* i) {
      h->onLocalInvitationReceivedByPeer(i);
    });
  };
  if (e == "ReceivedByPeer") {
    receivedByPeer();
  } else if (e == "Accepted" || e == "Refused") {
    bool accepted = e == "Accepted";
    // Confirm first: the callee's accept completes once the server knows this side has it.
    if (accepted) fire(Json{{"t", "inv.confirm"}, {"id", inv->id_}});
    if (!localEnded(inv->state_)) {
      receivedByPeer();  // an answer proves receipt
      inv->response_ = str(f, "r");
      inv->state_ = accepted ? LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE
                             : LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE;
      std::string response = inv->response_;
      toApp(inv, [accepted, response](IRtmCallEventHandler* h, LocalInvitationImpl* i) {
        if (accepted)
          h->onLocalInvitationAccepted(i, response.c_str());
        else
          h->onLocalInvitationRefused(i, response.c_str());
      });
    }
  } else if (e == "Canceled") {
    if (!localEnded(inv->state_)) {
      inv->state_ = LOCAL_INVITATION_STATE_CANCELED;
      toApp(inv, [](IRtmCallEventHandler* h, LocalInvitationImpl* i) {
        h->onLocalInvitationCanceled(i);
      });
    }
  } else if (e == "Failure") {
    failLocal(inv, localFailure(str(f, "why")));
  }
  if (localEnded(inv->state_)) outgoing_.erase(inv->id_);
}

void CallManagerImpl::remoteEvent(const Json& f) {
  std::string caller = str(f, "f"), id = str(f, "id"), e = str(f, "e");
  std::string key = caller + "\n" + id;
  if (e == "Received") {
    if (!seen_.add(key)) return;
    std::shared_ptr<RemoteInvitationImpl> inv(
        new RemoteInvitationImpl(service_, caller, id, str(f, "ch"), str(f, "c")));
    inv->appRef_ = inv;
    track(madeRemote_, inv);
    incoming_[key] = inv;
    // Acknowledge before the app hears of it, so the server has the ack before any answer.
    fire(Json{{"t", "inv.ack"}, {"f", caller}, {"id", id}});
    toApp(inv, [](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
      h->onRemoteInvitationReceived(i);
    });
    return;
  }
  auto it = incoming_.find(key);
  if (it == incoming_.end()) return;
  std::shared_ptr<RemoteInvitationImpl> inv = it->second;
  if (e == "Canceled") {
    if (!remoteEnded(inv->state_)) {
      inv->content_ = str(f, "c");
      inv->state_ = REMOTE_INVITATION_STATE_CANCELED;
      toApp(inv, [](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
        h->onRemoteInvitationCanceled(i);
      });
    }
  } else if (e == "Accepted") {
    if (inv->state_ == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) {
      inv->state_ = REMOTE_INVITATION_STATE_ACCEPTED;
      toApp(inv, [](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
        h->onRemoteInvitationAccepted(i);
      });
    }
  } else if (e == "Failure") {
    failRemote(inv, remoteFailure(str(f, "why")));
  }
  if (remoteEnded(inv->state_)) incoming_.erase(key);
}

bool CallManagerImpl::onEndCallMessage(const std::string& from, const std::string& text) {
  bool taken = false;
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    std::shared_ptr<RemoteInvitationImpl> inv = it->second;
    std::string head = std::string(AGORA_RTM_ENDCALL_PREFIX) + "_" + inv->channel_ + "_";
    if (inv->caller_ != from || inv->channel_.empty() || text.compare(0, head.size(), head) != 0) {
      ++it;
      continue;
    }
    it = incoming_.erase(it);
    fire(Json{{"t", "inv.endcall"}, {"f", from}, {"id", inv->id_}});
    if (!remoteEnded(inv->state_)) {
      inv->content_ = text.substr(head.size());
      inv->state_ = REMOTE_INVITATION_STATE_CANCELED;
      toApp(inv, [](IRtmCallEventHandler* h, RemoteInvitationImpl* i) {
        h->onRemoteInvitationCanceled(i);
      });
    }
    taken = true;
  }
  return taken;
}

void CallManagerImpl::endAll() {
  sending_.clear();
  endAllBut({}, {});
}

void CallManagerImpl::endAllBut(const std::set<std::string>& keepOut,
                                const std::set<std::string>& keepIn) {
  std::vector<std::shared_ptr<LocalInvitationImpl>> outgoing;
  std::vector<std::shared_ptr<RemoteInvitationImpl>> incoming;
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    if (keepOut.count(it->first)) {
      ++it;
      continue;
    }
    outgoing.push_back(it->second);
    sending_.erase(it->first);
    it = outgoing_.erase(it);
  }
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    if (keepIn.count(it->first)) {
      ++it;
      continue;
    }
    incoming.push_back(it->second);
    it = incoming_.erase(it);
  }
  for (auto& inv : outgoing) failLocal(inv, LOCAL_INVITATION_ERR_NOT_LOGGEDIN);
  for (auto& inv : incoming) failRemote(inv, REMOTE_INVITATION_ERR_PEER_OFFLINE);
}

void CallManagerImpl::sessionRenewed(const Json& kept) {
  // The ids this user sent and the (caller, id) of those it received that the new session took
  // over; everything else ended with the old session, and a send that went out on the new
  // session meanwhile is withdrawn too.
  std::set<std::string> keepOut, keepIn;
  for (const Json& id : member(kept, "out"))
    if (id.is_string()) keepOut.insert(id.get<std::string>());
  for (const Json& k : member(kept, "in"))
    keepIn.insert(str(k, "f") + "\n" + str(k, "id"));
  for (auto& e : outgoing_)
    if (!keepOut.count(e.first))
      fire(Json{{"t", "inv.cancel"}, {"id", e.second->id_}, {"c", e.second->content_}});
  endAllBut(keepOut, keepIn);
}

}  // namespace parley
