// IChannel: joins and leaves, channel messages, members, channel events routed to their
// channel with dedup by channel sequence `cs` (as @parley/sdk's channels.ts).
#include "rtm_service.h"
#include "wire.h"

namespace parley {

int wireMessage(const IMessage* m, int invalidCode, int incompatibleCode, Json& out);
bool fromWire(const Json& m, MessageImpl*& out);
std::shared_ptr<std::vector<ChannelAttributeImpl>> channelAttributes(const Json& attrs);

int ChannelImpl::join() {
  try {
    auto self = self_.lock();
    return self ? service_->joinChannel(self) : JOIN_CHANNEL_ERR_FAILURE;
  } catch (...) {
    return JOIN_CHANNEL_ERR_FAILURE;
  }
}

int ChannelImpl::leave() {
  try {
    auto self = self_.lock();
    return self ? service_->leaveChannel(self) : LEAVE_CHANNEL_ERR_FAILURE;
  } catch (...) {
    return LEAVE_CHANNEL_ERR_FAILURE;
  }
}

int ChannelImpl::sendMessage(const IMessage* message) {
  return sendMessage(message, SendMessageOptions());
}

int ChannelImpl::sendMessage(const IMessage* message, const SendMessageOptions& options) {
  try {
    auto self = self_.lock();
    return self ? service_->sendChannelMessage(self, message, options.enableHistoricalMessaging) : CHANNEL_MESSAGE_ERR_FAILURE;
  } catch (...) {
    return CHANNEL_MESSAGE_ERR_FAILURE;
  }
}

int ChannelImpl::getMembers() {
  try {
    auto self = self_.lock();
    return self ? service_->channelMembers(self) : GET_MEMBERS_ERR_FAILURE;
  } catch (...) {
    return GET_MEMBERS_ERR_FAILURE;
  }
}

void ChannelImpl::release() {
  try {
    service_->releaseChannel(this);
  } catch (...) {
  }
}

IChannel* RtmService::createChannel(const char* channelId, IChannelEventHandler* eventHandler) {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    if (!initialized_ || released_ || !isValidId(channelId)) return nullptr;
    std::shared_ptr<ChannelImpl> ch(new ChannelImpl(this, channelId, eventHandler));
    ch->self_ = ch;
    channels_.insert(ch);
    return ch.get();
  } catch (...) {
    return nullptr;
  }
}

void RtmService::releaseChannel(ChannelImpl* raw) {
  std::shared_ptr<ChannelImpl> ch = raw->self_.lock();
  std::lock_guard<std::mutex> lock(mu_);
  if (!ch || raw->released_) return;
  raw->released_ = true;
  const std::string& id = ch->id_;
  bool member = false;
  auto j = joined_.find(id);
  if (j != joined_.end() && j->second.channel == ch) {
    joined_.erase(j);
    member = true;
  }
  auto p = joining_.find(id);
  if (p != joining_.end() && p->second == ch) {
    joining_.erase(p);
    member = true;
  }
  // Releasing a joined channel leaves it, as the app can no longer.
  if (member && conn_->loggedIn())
    conn_->request(Json{{"t", "leave"}, {"c", id}}, LEAVE_CHANNEL_ERR_FAILURE, [](const Reply&) {});
  channels_.erase(ch);
}

int RtmService::joinChannel(const std::shared_ptr<ChannelImpl>& ch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(JOIN_CHANNEL_ERR_NOT_INITIALIZED, JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN))
    return c;
  if (ch->released_) return JOIN_CHANNEL_ERR_FAILURE;
  const std::string id = ch->id_;
  // Joined or joining already (this channel object or another one of the same id).
  if (joined_.count(id) || joining_.count(id)) return JOIN_CHANNEL_ERR_ALREADY_JOINED;
  joining_[id] = ch;
  conn_->request(Json{{"t", "join"}, {"c", id}}, JOIN_CHANNEL_TIMEOUT, [this, ch, id](const Reply& r) {
    auto p = joining_.find(id);
    bool mine = p != joining_.end() && p->second == ch;
    if (mine) joining_.erase(p);
    if (r.ok && !mine) {
      // leave() or release() came first: that leave already went out after this join.
      toChannel(ch, [](IChannelEventHandler* h) { h->onJoinFailure(JOIN_CHANNEL_ERR_FAILURE); });
      return;
    }
    if (r.ok) {
      joined_[id] = Joined{ch, num(r.result, "cs")};
      toChannel(ch, [](IChannelEventHandler* h) { h->onJoinSuccess(); });
      return;
    }
    JOIN_CHANNEL_ERR code = (r.code >= 1 && r.code <= 8) || r.code == 102 ? JOIN_CHANNEL_ERR(r.code)
                            : r.code == 202 ? JOIN_CHANNEL_ERR_ALREADY_JOINED
                                            : JOIN_CHANNEL_ERR_FAILURE;
    toChannel(ch, [code](IChannelEventHandler* h) { h->onJoinFailure(code); });
  });
  return JOIN_CHANNEL_ERR_OK;
}

int RtmService::leaveChannel(const std::shared_ptr<ChannelImpl>& ch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(LEAVE_CHANNEL_ERR_NOT_INITIALIZED, LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN))
    return c;
  const std::string id = ch->id_;
  auto p = joining_.find(id);
  bool pending = p != joining_.end() && p->second == ch;
  auto j = joined_.find(id);
  bool joined = j != joined_.end() && j->second.channel == ch;
  if (!pending && !joined) return LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL;
  if (pending) joining_.erase(p);
  if (joined) joined_.erase(j);
  conn_->request(Json{{"t", "leave"}, {"c", id}}, LEAVE_CHANNEL_ERR_FAILURE, [this, ch, pending](const Reply& r) {
    // A leave of a join still pending succeeds whatever the server says about it.
    LEAVE_CHANNEL_ERR code = r.ok || pending ? LEAVE_CHANNEL_ERR_OK
                             : (r.code >= 1 && r.code <= 4) || r.code == 102
                                 ? LEAVE_CHANNEL_ERR(r.code)
                                 : LEAVE_CHANNEL_ERR_FAILURE;
    toChannel(ch, [code](IChannelEventHandler* h) { h->onLeave(code); });
  });
  return LEAVE_CHANNEL_ERR_OK;
}

int RtmService::sendChannelMessage(const std::shared_ptr<ChannelImpl>& ch, const IMessage* message,
                                   bool historical) {
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(CHANNEL_MESSAGE_ERR_NOT_INITIALIZED, CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN))
    return c;
  Json m;
  if (int c = wireMessage(message, CHANNEL_MESSAGE_ERR_INVALID_MESSAGE,
                          CHANNEL_MESSAGE_ERR_INVALID_MESSAGE, m))
    return c;
  auto j = joined_.find(ch->id_);
  bool joined = j != joined_.end() && j->second.channel == ch;
  // Not in the channel (no C++ code for the web's NOT_IN_CHANNEL): FAILURE. While
  // reconnecting the join may still be restored, so the request waits like any other.
  if (!joined && conn_->state() == State::CONNECTED) return CHANNEL_MESSAGE_ERR_FAILURE;
  long long id = message->getMessageId();
  Json frame{{"t", "csend"}, {"c", ch->id_}, {"m", std::move(m)}};
  if (historical) frame["h"] = true;
  conn_->request(std::move(frame), CHANNEL_MESSAGE_ERR_SENT_TIMEOUT, [this, ch, id](const Reply& r) {
                   CHANNEL_MESSAGE_ERR_CODE code =
                       r.ok ? CHANNEL_MESSAGE_ERR_OK
                       : (r.code >= 1 && r.code <= 4) || r.code == 102
                           ? CHANNEL_MESSAGE_ERR_CODE(r.code)
                           : CHANNEL_MESSAGE_ERR_FAILURE;
                   toChannel(ch, [id, code](IChannelEventHandler* h) {
                     h->onSendMessageResult(id, code);
                   });
                 });
  return CHANNEL_MESSAGE_ERR_OK;
}

int RtmService::channelMembers(const std::shared_ptr<ChannelImpl>& ch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(GET_MEMBERS_ERR_NOT_INITIALIZED, GET_MEMBERS_ERR_USER_NOT_LOGGED_IN)) return c;
  auto j = joined_.find(ch->id_);
  if (j == joined_.end() || j->second.channel != ch) return GET_MEMBERS_ERR_NOT_IN_CHANNEL;
  std::string cid = ch->id_;
  conn_->request(Json{{"t", "members"}, {"c", cid}}, GET_MEMBERS_ERR_TIMEOUT,
                 [this, ch, cid](const Reply& r) {
                   auto ids = std::make_shared<std::vector<std::string>>();
                   if (r.ok)
                     for (auto& e : member(r.result, "ids"))
                       if (e.is_string()) ids->push_back(e.get<std::string>());
                   GET_MEMBERS_ERR code = r.ok ? GET_MEMBERS_ERR_OK
                                          : (r.code >= 1 && r.code <= 5) || r.code == 102
                                              ? GET_MEMBERS_ERR(r.code)
                                              : GET_MEMBERS_ERR_FAILURE;
                   toChannel(ch, [ids, cid, code](IChannelEventHandler* h) {
                     std::vector<MemberImpl> members;
                     members.reserve(ids->size());
                     for (auto& u : *ids) members.emplace_back(u, cid);
                     std::vector<IChannelMember*> ptrs;
                     for (auto& m : members) ptrs.push_back(&m);
                     h->onGetMembers(ptrs.empty() ? nullptr : ptrs.data(), int(ptrs.size()), code);
                   });
                 });
  return GET_MEMBERS_ERR_OK;
}

void RtmService::onChannelEvent(const Json& f) {
  std::string c = str(f, "c");
  auto j = joined_.find(c);
  if (j == joined_.end()) return;
  std::shared_ptr<ChannelImpl> ch = j->second.channel;
  std::string t = str(f, "t");
  if (t == "ccount") {
    int n = int(num(f, "n"));
    toChannel(ch, [n](IChannelEventHandler* h) { h->onMemberCountUpdated(n); });
    return;
  }
  long long cs = num(f, "cs");
  if (cs <= j->second.cs) return;  // replayed after a resume, already seen
  j->second.cs = cs;
  if (t == "cmsg") {
    MessageImpl* raw = nullptr;
    if (!fromWire(member(f, "m"), raw)) return;
    std::shared_ptr<MessageImpl> msg(raw, [](MessageImpl* p) { delete p; });
    msg->ts_ = num(f, "ts");
    std::string from = str(f, "f");
    toChannel(ch, [from, msg](IChannelEventHandler* h) {
      h->onMessageReceived(from.c_str(), msg.get());
    });
  } else if (t == "mjoin" || t == "mleft") {
    std::string u = str(f, "u");
    bool joinedEvent = t == "mjoin";
    toChannel(ch, [u, c, joinedEvent](IChannelEventHandler* h) {
      MemberImpl m(u, c);
      if (joinedEvent)
        h->onMemberJoined(&m);
      else
        h->onMemberLeft(&m);
    });
  } else if (t == "cattrs") {
    auto attrs = channelAttributes(member(f, "attrs"));
    toChannel(ch, [attrs](IChannelEventHandler* h) {
      std::vector<const IRtmChannelAttribute*> out;
      for (auto& a : *attrs) out.push_back(&a);
      h->onAttributesUpdated(out.empty() ? nullptr : out.data(), int(out.size()));
    });
  }
}

Json RtmService::resumeCursor() {
  Json cursor = Json::object();
  for (auto& e : joined_) cursor[e.first] = e.second.cs;
  return cursor;
}

void RtmService::channelSequences(const Json& cs) {
  for (auto& e : joined_) {
    auto it = cs.find(e.first);
    if (it != cs.end() && it->is_number_integer()) e.second.cs = it->get<long long>();
  }
}

}  // namespace parley
