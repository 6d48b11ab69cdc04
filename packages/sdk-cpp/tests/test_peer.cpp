// Peer messages (C++ <-> C++ and C++ <-> TypeScript SDK) and presence.
#include <doctest/doctest.h>

#include <string>

#include "harness.h"

using namespace harness;

namespace {
// The server's history count (Agora's REST endpoint) for messages from `source` to `destination`.
long long historyCount(const std::string& source, const std::string& destination) {
  std::string http = "http://" + sharedServer().url.substr(5);
  std::string cmd = "curl -s -u cpptest:secret '" + http + "/dev/v2/project/" + kApp +
                    "/rtm/message/history/count?source=" + source + "&destination=" + destination +
                    "&start_time=2000-01-01T00:00:00Z&end_time=2100-01-01T00:00:00Z'";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  Json body = Json::parse(out, nullptr, false);
  REQUIRE_MESSAGE(body.is_object(), out);
  REQUIRE_MESSAGE(body.value("result", "") == "success", out);
  return body.value("count", -1LL);
}
}  // namespace

TEST_SUITE("peer") {
  TEST_CASE("a text and a raw message reach a C++ peer; the sender hears OK for each") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IMessage* m = sa->createMessage();
    m->setText("hello bob");
    long long id = m->getMessageId();
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), m) == 0);
    m->release();  // the SDK copied it
    const uint8_t bytes[] = {'r', 0, 'w'};
    IMessage* raw = sa->createMessage(bytes, 3, "desc");
    long long rawId = raw->getMessageId();
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), raw) == 0);
    raw->release();
    CHECK(b.wait("peer " + alice + ": hello bob"));
    CHECK(b.wait("peer " + alice + ": raw[" + std::string("r\0w", 3) + "]desc"));
    CHECK(a.wait("sent " + std::to_string(id) + " 0"));
    CHECK(a.wait("sent " + std::to_string(rawId) + " 0"));
    sa->release();
    sb->release();
  }

  TEST_CASE("to an offline peer: PEER_UNREACHABLE, or CACHED_BY_SERVER and delivered on login") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IMessage* m1 = sa->createMessage("lost");
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), m1) == 0);
    CHECK(a.wait("sent " + std::to_string(m1->getMessageId()) + " 3"));
    SendMessageOptions opts;
    opts.enableOfflineMessaging = true;
    IMessage* m2 = sa->createMessage("kept");
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), m2, opts) == 0);
    CHECK(a.wait("sent " + std::to_string(m2->getMessageId()) + " 4"));
    m1->release();
    m2->release();
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    CHECK(b.wait("peer " + alice + ": kept (offline)"));
    CHECK(b.withPrefix("peer ").size() == 1);
    sa->release();
    sb->release();
  }

  TEST_CASE("bad peer ids and bad messages are refused with their codes, and nothing is sent") {
    Recorder a;
    IRtmService* s = loggedIn(a, sharedServer().url, uid("bad"));
    IMessage* m = s->createMessage("x");
    CHECK(s->sendMessageToPeer(nullptr, m) == PEER_MESSAGE_ERR_INVALID_USERID);
    CHECK(s->sendMessageToPeer("", m) == PEER_MESSAGE_ERR_INVALID_USERID);
    CHECK(s->sendMessageToPeer("null", m) == PEER_MESSAGE_ERR_INVALID_USERID);
    CHECK(s->sendMessageToPeer("no/slash", m) == PEER_MESSAGE_ERR_INVALID_USERID);
    CHECK(s->sendMessageToPeer(std::string(65, 'a').c_str(), m) == PEER_MESSAGE_ERR_INVALID_USERID);
    CHECK(s->sendMessageToPeer("bob", nullptr) == PEER_MESSAGE_ERR_INVALID_MESSAGE);
    m->setText("\xff\xfe not utf-8");
    CHECK(s->sendMessageToPeer("bob", m) == PEER_MESSAGE_ERR_INVALID_MESSAGE);
    m->setText(std::string(32 * 1024 + 1, 'x').c_str());
    CHECK(s->sendMessageToPeer("bob", m) == PEER_MESSAGE_ERR_INVALID_MESSAGE);
    m->setText(std::string(32 * 1024, 'x').c_str());
    CHECK(s->sendMessageToPeer("bob", m) == 0);  // exactly the limit is fine
    IMessage* empty = s->createMessage();
    CHECK(s->sendMessageToPeer("bob", empty) == PEER_MESSAGE_ERR_INVALID_MESSAGE);
    CHECK(s->createMessage(nullptr, -1) == nullptr);
    empty->release();
    m->release();
    REQUIRE(s->logout() == 0);
    REQUIRE(a.wait("logout 0"));
    IMessage* late = s->createMessage("late");
    CHECK(s->sendMessageToPeer("bob", late) == PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN);
    late->release();
    CHECK(a.withPrefix("sent ").size() <= 1);
    s->release();
  }

  TEST_CASE("interop: C++ -> TypeScript SDK and TypeScript SDK -> C++, text and raw") {
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    Recorder rec;
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    IMessage* m = s->createMessage("héllo from C++");
    REQUIRE(s->sendMessageToPeer(tsUser.c_str(), m) == 0);
    Json ev;
    REQUIRE(ts.waitEvent("peer", &ev));
    CHECK(ev["from"] == me);
    CHECK(ev["text"] == "héllo from C++");
    CHECK(rec.wait("sent " + std::to_string(m->getMessageId()) + " 0"));
    m->release();
    const uint8_t bytes[] = {1, 2, 3, 250};
    IMessage* raw = s->createMessage(bytes, 4, "bin");
    REQUIRE(s->sendMessageToPeer(tsUser.c_str(), raw) == 0);
    raw->release();
    REQUIRE(ts.waitEvent("peer", &ev));
    CHECK(ev["raw"] == "AQID+g==");
    CHECK(ev["description"] == "bin");

    Json r = ts.call({{"op", "send"}, {"to", me}, {"text", "hi from TS"}});
    CHECK(r["ok"] == true);
    CHECK(r["value"]["hasPeerReceived"] == true);
    CHECK(rec.wait("peer " + tsUser + ": hi from TS"));
    r = ts.call({{"op", "send"}, {"to", me}, {"raw", "AAEC"}, {"description", "d"}});
    CHECK(rec.wait("peer " + tsUser + ": raw[" + std::string("\0\1\2", 3) + "]d"));
    s->release();
  }
}

TEST_SUITE("presence") {
  TEST_CASE("queryPeersOnlineStatus answers in the order asked; bad lists are refused") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob"), ghost = uid("ghost");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    const char* ids[] = {ghost.c_str(), bob.c_str()};
    long long req = 0;
    REQUIRE(sa->queryPeersOnlineStatus(ids, 2, req) == 0);
    CHECK(req > 0);
    CHECK(a.wait("query 0 " + ghost + "=off2 " + bob + "=on0"));
    CHECK(sa->queryPeersOnlineStatus(nullptr, 1, req) == QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
    CHECK(sa->queryPeersOnlineStatus(ids, 0, req) == QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
    const char* bad[] = {"ok", nullptr};
    CHECK(sa->queryPeersOnlineStatus(bad, 2, req) == QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
    std::vector<std::string> many(257, "x");
    std::vector<const char*> manyIds;
    for (auto& x : many) manyIds.push_back(x.c_str());
    CHECK(sa->queryPeersOnlineStatus(manyIds.data(), 257, req) == QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
    sa->release();
    sb->release();
  }

  TEST_CASE("subscribe: a snapshot, then changes; the subscription list follows subscribe and unsubscribe") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    const char* ids[] = {bob.c_str()};
    long long req = 0;
    REQUIRE(sa->subscribePeersOnlineStatus(ids, 1, req) == 0);
    CHECK(a.wait("subscription " + std::to_string(req) + " 0"));
    CHECK(a.wait("presence " + bob + " 2"));
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    CHECK(a.wait("presence " + bob + " 0"));
    REQUIRE(sa->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, req) == 0);
    CHECK(a.wait("subscribed 0 " + bob));
    REQUIRE(sa->unsubscribePeersOnlineStatus(ids, 1, req) == 0);
    CHECK(a.wait("subscription " + std::to_string(req) + " 0"));
    REQUIRE(sa->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, req) == 0);
    CHECK(a.wait("subscribed 0"));
    CHECK(sa->subscribePeersOnlineStatus(nullptr, 1, req) == PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT);
    std::vector<std::string> many(513, "x");
    std::vector<const char*> manyIds;
    for (auto& x : many) manyIds.push_back(x.c_str());
    CHECK(sa->subscribePeersOnlineStatus(manyIds.data(), 513, req) == PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW);
    sb->release();
    sa->release();
  }

  TEST_CASE("interop: a TypeScript client subscribed to a C++ user sees it come and go") {
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    Recorder rec;
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    Json q = ts.call({{"op", "query"}, {"ids", {me}}});
    CHECK(q["value"][me] == true);
    const char* ids[] = {tsUser.c_str()};
    long long req;
    REQUIRE(s->queryPeersOnlineStatus(ids, 1, req) == 0);
    CHECK(rec.wait("query 0 " + tsUser + "=on0"));
    REQUIRE(s->logout() == 0);
    REQUIRE(rec.wait("logout 0"));
    q = ts.call({{"op", "query"}, {"ids", {me}}});
    CHECK(q["value"][me] == false);
    s->release();
  }

  TEST_CASE("enableHistoricalMessaging: flagged peer and channel messages are in the history, others not") {
    Recorder a, b, ca;
    std::string alice = uid("hist-a"), bob = uid("hist-b"), room = uid("hist-room");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    SendMessageOptions keep;
    keep.enableHistoricalMessaging = true;
    IMessage* kept = sa->createMessage("kept");
    IMessage* plain = sa->createMessage("not kept");
    long long keptId = kept->getMessageId(), plainId = plain->getMessageId();
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), kept, keep) == 0);
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), plain) == 0);
    CHECK(a.wait("sent " + std::to_string(keptId) + " 0"));
    CHECK(a.wait("sent " + std::to_string(plainId) + " 0"));
    CHECK(historyCount(alice, bob) == 1);
    IChannel* ch = sa->createChannel(room.c_str(), &ca);
    REQUIRE(ch->join() == 0);
    REQUIRE(ca.wait("join ok"));
    IMessage* kept2 = sa->createMessage("kept in the room");
    IMessage* plain2 = sa->createMessage("not kept in the room");
    long long chKept = kept2->getMessageId(), chPlain = plain2->getMessageId();
    REQUIRE(ch->sendMessage(kept2, keep) == 0);
    REQUIRE(ch->sendMessage(plain2) == 0);
    CHECK(ca.wait("csent " + std::to_string(chKept) + " 0"));
    CHECK(ca.wait("csent " + std::to_string(chPlain) + " 0"));
    CHECK(historyCount(alice, room) == 1);
    for (IMessage* m : {kept, plain, kept2, plain2}) m->release();
    ch->release();
    sa->release();
    sb->release();
  }
}
