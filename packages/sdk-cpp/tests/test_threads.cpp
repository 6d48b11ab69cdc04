// Threading: API calls from 8 threads at once, and from inside callbacks (including release).
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

using namespace harness;

TEST_SUITE("threads") {
  TEST_CASE("8 threads call the API at once; every message arrives exactly once") {
    Recorder a, b, cb;
    std::string alice = uid("alice"), bob = uid("bob"), room = uid("room");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IChannel* chB = sb->createChannel(room.c_str(), &cb);
    REQUIRE(chB->join() == 0);
    REQUIRE(cb.wait("join ok"));
    const int kThreads = 8, kEach = 20;  // 160 messages: under the server's 180 per 3 s
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([&, t] {
        Recorder chRec;  // each thread also creates and drops its own channel object
        IChannel* mine = sa->createChannel(uid("t").c_str(), &chRec);
        for (int i = 0; i < kEach; i++) {
          std::string text = "m" + std::to_string(t) + "." + std::to_string(i);
          IMessage* m = sa->createMessage(text.c_str());
          if (sa->sendMessageToPeer(bob.c_str(), m) != 0) refused++;
          m->release();
          long long req;
          const char* ids[] = {bob.c_str()};
          if (i % 5 == 0 && sa->queryPeersOnlineStatus(ids, 1, req) != 0) refused++;
          sa->setParameters("{\"rtm.any\": 1}");
          ILocalCallInvitation* inv = sa->getRtmCallManager(nullptr)->createLocalCallInvitation("x");
          inv->setContent(text.c_str());
          inv->release();
        }
        mine->release();
      });
    }
    for (auto& th : threads) th.join();
    CHECK(refused == 0);
    for (int t = 0; t < kThreads; t++)
      CHECK(b.wait("peer " + alice + ": m" + std::to_string(t) + "." + std::to_string(kEach - 1)));
    std::vector<std::string> got = b.withPrefix("peer ");
    std::set<std::string> unique(got.begin(), got.end());
    CHECK(got.size() == size_t(kThreads * kEach));
    CHECK(unique.size() == got.size());
    // Per-thread order is kept (one sender, one receiver).
    for (int t = 0; t < kThreads; t++) {
      int last = -1;
      std::string head = "peer " + alice + ": m" + std::to_string(t) + ".";
      for (auto& l : got) {
        if (l.compare(0, head.size(), head) != 0) continue;
        int i = std::stoi(l.substr(head.size()));
        CHECK(i == last + 1);
        last = i;
      }
    }
    chB->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("API calls from inside callbacks: reply, join, logout and release do not deadlock") {
    // b and cb outlive the test: the SDK thread is still returning from b's callback (the one
    // that released the service) when the test thread sees `released`.
    static Recorder b, cb;
    Recorder a;
    std::string alice = uid("alice"), bob = uid("bob"), room = uid("room");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = makeService(b, sharedServer().url);
    IChannel* chB = sb->createChannel(room.c_str(), &cb);
    std::atomic<bool> released{false};
    b.hook = [&](const std::string& line) {
      if (line == "login ok") {
        chB->join();  // from inside onLoginSuccess
      } else if (line.compare(0, 5, "peer ") == 0 && line.find(": ping") != std::string::npos) {
        IMessage* m = sb->createMessage("pong");
        sb->sendMessageToPeer(alice.c_str(), m);  // from inside onMessageReceivedFromPeer
        m->release();
      } else if (line.find(": bye") != std::string::npos) {
        sb->logout();  // from inside a callback
      } else if (line == "logout 0") {
        chB->release();
        sb->release();  // release of the service from its own callback
        released = true;
      }
    };
    cb.hook = [&](const std::string& line) {
      if (line == "join ok") {
        IMessage* m = sb->createMessage("hello room");
        chB->sendMessage(m);  // from inside onJoinSuccess
        m->release();
      }
    };
    REQUIRE(sb->login(nullptr, bob.c_str()) == 0);
    REQUIRE(cb.wait("join ok"));
    CHECK(cb.waitPrefix("csent ").find(" 0") != std::string::npos);
    IMessage* ping = sa->createMessage("ping");
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), ping) == 0);
    ping->release();
    CHECK(a.wait("peer " + bob + ": pong"));
    IMessage* bye = sa->createMessage("bye");
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), bye) == 0);
    bye->release();
    CHECK(b.wait("logout 0"));
    for (int i = 0; i < 500 && !released; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(released);
    sa->release();
  }

  TEST_CASE("release from another thread while callbacks are flowing returns and stops them") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    std::thread sender([&] {
      for (int i = 0; i < 50; i++) {
        IMessage* m = sa->createMessage("x");
        sa->sendMessageToPeer(bob.c_str(), m);
        m->release();
      }
    });
    REQUIRE(b.waitPrefix("peer ") != "");
    sb->release();  // while messages still arrive
    size_t after = b.all().size();
    sender.join();
    CHECK(b.all().size() == after);
    sa->release();
  }
}
