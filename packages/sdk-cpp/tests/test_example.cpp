// The example chat, and the hidden-test contract app, run as separate programs next to a
// TypeScript SDK client.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "harness.h"

using namespace harness;

namespace {
bool line(Process& p, const std::string& want, std::string* got = nullptr) {
  return p.waitLine([&](const std::string& l) { return l.find(want) != std::string::npos; },
                    kWaitMs, got);
}
}  // namespace

TEST_SUITE("example") {
  TEST_CASE("the terminal chat logs in, messages a TS user, chats in a channel and calls") {
    const char* bin = std::getenv("PARLEY_CHAT_BIN");
    REQUIRE(bin != nullptr);
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("chat"), room = uid("room");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    Process chat({bin, kApp, me}, {{"PARLEY_SERVER_URL", sharedServer().url}});
    REQUIRE(line(chat, "<< login ok"));
    chat.writeLine("/peer " + tsUser + " hello from the chat");
    Json ev;
    REQUIRE(ts.waitEvent("peer", &ev));
    CHECK(ev["text"] == "hello from the chat");
    CHECK(line(chat, "result 0"));
    REQUIRE(ts.call({{"op", "send"}, {"to", me}, {"text", "hi chat"}})["ok"] == true);
    CHECK(line(chat, "<< peer " + tsUser + ": hi chat"));
    chat.writeLine("/join " + room);
    REQUIRE(line(chat, "<< joined"));
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    CHECK(line(chat, "<< member joined " + tsUser));
    chat.writeLine("/send hello room");
    REQUIRE(ts.waitEvent("cmsg", &ev));
    CHECK(ev["text"] == "hello room");
    chat.writeLine("/members");
    std::string got;
    REQUIRE(line(chat, "<< members ", &got));
    CHECK(got.find(tsUser) != std::string::npos);
    CHECK(got.find(me) != std::string::npos);
    chat.writeLine("/call " + tsUser + " " + room);
    REQUIRE(ts.waitEvent("rinv", &ev));
    CHECK(ev["channel"] == room);
    REQUIRE(ts.call({{"op", "accept"}, {"response", "picked up"}})["ok"] == true);
    CHECK(line(chat, "<< call accepted: picked up"));
    chat.writeLine("/quit");
    chat.closeInput();
    CHECK(chat.wait() == 0);
  }
}

TEST_SUITE("contract") {
  TEST_CASE("a C++11 app built with the documented g++ line works next to a TS client") {
    const char* prefix = std::getenv("PARLEY_CONTRACT_PREFIX");
    const char* app = std::getenv("PARLEY_CONTRACT_APP");
    REQUIRE(prefix != nullptr);
    REQUIRE(app != nullptr);
    // The command names build/cpp/...: give it a folder where that path is the build output.
    std::string dir = tempDir();
    std::string buildDir = std::string(prefix).substr(0, std::string(prefix).rfind('/'));
    REQUIRE(symlink(buildDir.c_str(), (dir + "/build").c_str()) == 0);
    {
      std::ifstream in(app);
      std::ofstream out(dir + "/app.cpp");
      out << in.rdbuf();
    }
    std::string cmd = "cd " + dir +
                      " && g++ -std=c++11 app.cpp -Ibuild/cpp/include -Lbuild/cpp/lib "
                      "-lagora_rtm_sdk -lpthread";
    REQUIRE(std::system(cmd.c_str()) == 0);

    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("app"), room = uid("room");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    REQUIRE(ts.call({{"op", "setUserAttrs"}, {"attrs", {{"lang", "ts"}}}})["ok"] == true);
    // No LD_LIBRARY_PATH: the build's library carries its own path as its SONAME.
    Process p({dir + "/a.out", kApp, me, tsUser, room},
              {{"PARLEY_SERVER_URL", sharedServer().url}, {"LD_LIBRARY_PATH", ""}});
    std::string got;
    REQUIRE(line(p, "login ok"));
    CHECK(line(p, "online 1"));
    CHECK(line(p, "subscribed 0"));
    CHECK(line(p, "presence " + tsUser + " 0"));
    CHECK(line(p, "uattr 0"));
    CHECK(line(p, "attrs of " + tsUser + " lang=ts"));
    CHECK(line(p, "joined"));
    CHECK(line(p, "members 2"));
    CHECK(line(p, "count 2"));
    CHECK(line(p, "cattr 0"));
    CHECK(line(p, "peer sent 0"));
    CHECK(line(p, "channel sent 0"));
    REQUIRE(line(p, "READY"));
    Json ev;
    CHECK(ts.waitEvent("peer", &ev));
    CHECK(ev["text"] == "hello ts");
    CHECK(ts.waitEvent("cattrs", &ev));
    CHECK(ev["attrs"]["topic"]["value"] == "contract");
    Json u = ts.call({{"op", "getUserAttrs"}, {"uid", me}});
    CHECK(u["value"]["lang"] == "c++11");
    REQUIRE(ts.call({{"op", "send"}, {"to", me}, {"text", "hi cpp"}})["ok"] == true);
    REQUIRE(ts.call({{"op", "csend"}, {"ch", room}, {"text", "hi room"}})["ok"] == true);
    CHECK(line(p, "got peer " + tsUser + " hi cpp"));
    CHECK(line(p, "got channel " + tsUser + " hi room"));
    REQUIRE(ts.waitEvent("rinv", &ev));
    CHECK(ev["content"] == "join me");
    REQUIRE(ts.call({{"op", "accept"}, {"response", "ok"}})["ok"] == true);
    CHECK(line(p, "invitation accepted ok"));
    REQUIRE(ts.call({{"op", "invite"}, {"to", me}, {"content", "your turn"}})["ok"] == true);
    CHECK(line(p, "invited by " + tsUser));
    Json accepted;
    CHECK(ts.waitEvent("linv.accepted", &accepted));
    CHECK(accepted["response"] == "coming");
    CHECK(line(p, "remote accepted"));
    CHECK(line(p, "logout 0"));
    CHECK(line(p, "done"));
    CHECK(p.wait() == 0);
  }
}
