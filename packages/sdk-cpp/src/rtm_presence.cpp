// IRtmService: online status queries, subscriptions and their pushes.
#include "api_guard.h"
#include "rtm_service.h"
#include "wire.h"

namespace parley {

namespace {

PEER_ONLINE_STATE peerState(const std::string& s) {
  if (s == "ONLINE") return PEER_ONLINE_STATE_ONLINE;
  if (s == "UNREACHABLE") return PEER_ONLINE_STATE_UNREACHABLE;
  return PEER_ONLINE_STATE_OFFLINE;
}

}  // namespace

void RtmService::onPresence(const Json& f) {
  const Json& st = member(f, "st");
  if (!st.is_object()) return;
  auto ids = std::make_shared<std::vector<std::string>>();
  auto states = std::make_shared<std::vector<PEER_ONLINE_STATE>>();
  for (auto it = st.begin(); it != st.end(); ++it) {
    ids->push_back(it.key());
    states->push_back(peerState(it->is_string() ? it->get<std::string>() : ""));
  }
  toHandlers([ids, states](IRtmServiceEventHandler* h) {
    std::vector<PeerOnlineStatus> out(ids->size());
    for (size_t i = 0; i < ids->size(); i++) {
      out[i].peerId = (*ids)[i].c_str();
      out[i].onlineState = (*states)[i];
      out[i].isOnline = (*states)[i] == PEER_ONLINE_STATE_ONLINE;
    }
    h->onPeersOnlineStatusChanged(out.data(), int(out.size()));
  });
}

// ---------- presence ----------

int RtmService::peerList(const char* op, const char* peerIds[], int peerCount, int max,
                         int overflowCode, long long& requestId,
                         std::function<void(long long, const Reply&)> done) {
  // The codes of the three presence APIs agree: INVALID_ARGUMENT = 2.
  if (peerIds == nullptr || peerCount <= 0) return 2;
  if (peerCount > max) return overflowCode;
  Json ids = Json::array();
  for (int i = 0; i < peerCount; i++) {
    if (!isValidId(peerIds[i])) return 2;
    ids.push_back(peerIds[i]);
  }
  long long id = requestId;
  conn_->request(Json{{"t", op}, {"ids", ids}}, 4, [id, done](const Reply& r) { done(id, r); });
  return 0;
}

int RtmService::queryPeersOnlineStatus(const char* peerIds[], int peerCount,
                                       long long& requestId) {
  PARLEY_GUARD(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED,
                    QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN))
    return c;
  std::vector<std::string> asked;
  for (int i = 0; peerIds && i < peerCount && i <= limits::maxQueryPeers; i++)
    asked.push_back(peerIds[i] ? peerIds[i] : "");
  return peerList("pquery", peerIds, peerCount, limits::maxQueryPeers,
                  QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT, requestId,
                  [this, asked](long long id, const Reply& r) {
                    auto online = std::make_shared<std::vector<bool>>();
                    QUERY_PEERS_ONLINE_STATUS_ERR code =
                        r.ok ? QUERY_PEERS_ONLINE_STATUS_ERR_OK
                             : QUERY_PEERS_ONLINE_STATUS_ERR(
                                   (r.code >= 2 && r.code <= 5) || r.code == 102 ? r.code : 1);
                    if (r.ok) {
                      const Json& st = member(r.result, "st");
                      for (auto& p : asked) online->push_back(flag(st, p.c_str()));
                    }
                    toHandlers([id, asked, online, code](IRtmServiceEventHandler* h) {
                      std::vector<PeerOnlineStatus> out(online->size());
                      for (size_t i = 0; i < out.size(); i++) {
                        out[i].peerId = asked[i].c_str();
                        out[i].isOnline = (*online)[i];
                        out[i].onlineState = (*online)[i] ? PEER_ONLINE_STATE_ONLINE
                                                          : PEER_ONLINE_STATE_OFFLINE;
                      }
                      h->onQueryPeersOnlineStatusResult(id, out.empty() ? nullptr : out.data(),
                                                        int(out.size()), code);
                    });
                  });
  PARLEY_END(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE)
}

int RtmService::subscription(bool subscribe, const char* peerIds[], int peerCount,
                             long long& requestId) {
  PARLEY_GUARD(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED,
                    PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN))
    return c;
  std::vector<std::string> ids;
  for (int i = 0; peerIds && i < peerCount && i <= limits::maxSubscriptions; i++)
    ids.push_back(peerIds[i] ? peerIds[i] : "");
  return peerList(subscribe ? "psub" : "punsub", peerIds, peerCount, limits::maxSubscriptions,
                  subscribe ? PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW
                            : PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT,
                  requestId, [this, ids, subscribe](long long id, const Reply& r) {
                    // What to subscribe again if the server loses the session.
                    for (auto& p : ids)
                      if (r.ok && subscribe)
                        subscribed_.insert(p);
                      else if (r.ok)
                        subscribed_.erase(p);
                    PEER_SUBSCRIPTION_STATUS_ERR code = PEER_SUBSCRIPTION_STATUS_ERR(
                        r.ok ? 0 : (r.code >= 1 && r.code <= 6) || r.code == 102 ? r.code : 1);
                    toHandlers([id, code](IRtmServiceEventHandler* h) {
                      h->onSubscriptionRequestResult(id, code);
                    });
                  });
  PARLEY_END(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE)
}

int RtmService::subscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                           long long& requestId) {
  return subscription(true, peerIds, peerCount, requestId);
}

int RtmService::unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount,
                                             long long& requestId) {
  return subscription(false, peerIds, peerCount, requestId);
}

int RtmService::queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option,
                                               long long& requestId) {
  PARLEY_GUARD(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE)
  requestId = newRequestId();
  std::lock_guard<std::mutex> lock(mu_);
  if (int c = ready(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED,
                    QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN))
    return c;
  if (option != PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS)
    return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE;
  long long id = requestId;
  conn_->request(
      Json{{"t", "plist"}, {"o", "ONLINE_STATUS"}}, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT,
      [this, id](const Reply& r) {
        auto ids = std::make_shared<std::vector<std::string>>();
        if (r.ok)
          for (auto& e : member(r.result, "ids"))
            if (e.is_string()) ids->push_back(e.get<std::string>());
        QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR code = QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR(
            r.ok ? 0 : (r.code >= 1 && r.code <= 3) || r.code == 102 ? r.code : 1);
        toHandlers([id, ids, code](IRtmServiceEventHandler* h) {
          std::vector<const char*> out;
          for (auto& s : *ids) out.push_back(s.c_str());
          h->onQueryPeersBySubscriptionOptionResult(id, out.empty() ? nullptr : out.data(),
                                                    int(out.size()), code);
        });
      });
  return 0;
  PARLEY_END(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE)
}
}  // namespace parley
