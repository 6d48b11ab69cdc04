// Reconnect and resume: a 5 s cut through a TCP proxy (nothing lost, nothing twice, in order,
// invitation duties done after the resume), and a server restart (channels, attributes and
// subscriptions restored on the new session).
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "harness.h"

using namespace harness;

TEST_SUITE("resume") {
  TEST_CASE("a 5 s cut: RECONNECTING, then the same session; every message once, in order") {
    Proxy proxy(sharedServer().port);
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp"), room = uid("room");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    Recorder rec, crec;
    IRtmService* s = loggedIn(rec, proxy.url, me);
    s->getRtmCallManager(&rec);
    IChannel* ch = s->createChannel(room.c_str(), &crec);
    REQUIRE(ch->join() == 0);
    REQUIRE(crec.wait("join ok"));
    REQUIRE(ts.waitEvent("mjoin", nullptr));
    int n = 0;
    auto sendBoth = [&](int count) {
      for (int i = 0; i < count; i++) {
        ++n;
        ts.call({{"op", "send"}, {"to", me}, {"text", "p" + std::to_string(n)}});
        ts.call({{"op", "csend"}, {"ch", room}, {"text", "c" + std::to_string(n)}});
      }
    };
    sendBoth(3);
    REQUIRE(crec.wait("cmsg " + tsUser + ": c3"));
    REQUIRE(rec.wait("peer " + tsUser + ": p3"));

    auto cutAt = std::chrono::steady_clock::now();
    proxy.cut();
    REQUIRE(rec.wait("state 4 5"));
    sendBoth(5);  // while the C++ client is away
    REQUIRE(ts.call({{"op", "invite"}, {"to", me}, {"content", "during the cut"}})["ok"] == true);
    IMessage* queued = s->createMessage("sent while reconnecting");
    long long queuedId = queued->getMessageId();
    REQUIRE(s->sendMessageToPeer(tsUser.c_str(), queued) == 0);
    queued->release();
    // The scenario is a 5 s outage: hold the cut for the rest of it.
    std::this_thread::sleep_until(cutAt + std::chrono::seconds(5));
    proxy.restore();
    REQUIRE(rec.wait("state 3 2"));
    sendBoth(3);
    REQUIRE(crec.wait("cmsg " + tsUser + ": c11"));
    REQUIRE(rec.wait("peer " + tsUser + ": p11"));

    std::vector<std::string> peers = rec.withPrefix("peer "), chans = crec.withPrefix("cmsg ");
    REQUIRE(peers.size() == 11);
    REQUIRE(chans.size() == 11);
    for (int i = 1; i <= 11; i++) {
      CHECK(peers[size_t(i - 1)] == "peer " + tsUser + ": p" + std::to_string(i));
      CHECK(chans[size_t(i - 1)] == "cmsg " + tsUser + ": c" + std::to_string(i));
    }
    std::vector<std::string> states = rec.withPrefix("state ");
    CHECK(states == std::vector<std::string>{"state 2 1", "state 3 2", "state 4 5", "state 3 2"});
    CHECK(crec.withPrefix("join ").size() == 1);  // resumed: no rejoin
    CHECK(ts.events("mleft").empty());             // the others never saw it leave
    // The invitation sent during the cut arrived once; the SDK's ack reached the caller.
    CHECK(rec.wait("rinv from " + tsUser + " ch= content=during the cut"));
    CHECK(ts.waitEvent("linv.received", nullptr));
    CHECK(rec.withPrefix("rinv from").size() == 1);
    // The message queued while reconnecting went out on the resumed session.
    REQUIRE(rec.wait("sent " + std::to_string(queuedId) + " 0"));  // the TS SDK has it
    int seen = 0;
    for (auto& e : ts.events("peer")) seen += e["text"] == "sent while reconnecting";
    CHECK(seen == 1);
    rec.lastRemote.load()->release();
    ch->release();
    s->release();
  }

  TEST_CASE("requests made while RECONNECTING time out with their code if the cut lasts") {
    Proxy proxy(sharedServer().port);
    Recorder rec;
    IRtmService* s = makeService(rec, proxy.url);
    REQUIRE(s->setParameters("{\"parley.requestTimeoutMs\": 800}") == 0);
    REQUIRE(s->login(nullptr, uid("waiting").c_str()) == 0);
    REQUIRE(rec.wait("login ok"));
    proxy.cut();
    REQUIRE(rec.wait("state 4 5"));
    const char* ids[] = {"anyone"};
    long long req;
    REQUIRE(s->queryPeersOnlineStatus(ids, 1, req) == 0);
    CHECK(rec.wait("query 4"));  // QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT
    s->release();
  }
}

TEST_SUITE("restart") {
  TEST_CASE("after a server restart the SDK restores channels, attributes and subscriptions") {
    std::string dir = tempDir();
    std::unique_ptr<Server> server(new Server(0, dir));
    int port = server->port;
    std::string url = server->url;
    std::string me = uid("cpp"), friendId = uid("friend"), room = uid("room");
    Recorder rec, crec;
    IRtmService* s = loggedIn(rec, url, me);
    IChannel* ch = s->createChannel(room.c_str(), &crec);
    REQUIRE(ch->join() == 0);
    REQUIRE(crec.wait("join ok"));
    RtmAttribute attrs[] = {{"status", "busy"}};
    long long req;
    REQUIRE(s->setLocalUserAttributes(attrs, 1, req) == 0);
    REQUIRE(rec.wait("uattr set " + std::to_string(req) + " 0"));
    const char* ids[] = {friendId.c_str()};
    REQUIRE(s->subscribePeersOnlineStatus(ids, 1, req) == 0);
    REQUIRE(rec.wait("presence " + friendId + " 2"));

    server->stop();
    REQUIRE(rec.wait("state 4 5"));
    rec.clear();
    server.reset(new Server(port, dir));
    REQUIRE(server->port == port);
    REQUIRE(rec.wait("state 3 2"));

    TsPeer ts(url);
    Json login = ts.call({{"op", "login"}, {"uid", friendId}});
    INFO(login.dump());
    REQUIRE(login["ok"] == true);
    CHECK(rec.wait("presence " + friendId + " 0"));  // the subscription came back
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    Json members;
    for (int i = 0; i < 100; i++) {  // the rejoin may still be on its way
      members = ts.call({{"op", "members"}, {"ch", room}});
      if (members["value"].size() == 2) break;
      usleep(50 * 1000);
    }
    CHECK(members["value"].size() == 2);
    Json a = ts.call({{"op", "getUserAttrs"}, {"uid", me}});
    CHECK(a["value"]["status"] == "busy");
    REQUIRE(ts.call({{"op", "csend"}, {"ch", room}, {"text", "after restart"}})["ok"] == true);
    CHECK(crec.wait("cmsg " + friendId + ": after restart"));
    ch->release();
    s->release();
  }
}
