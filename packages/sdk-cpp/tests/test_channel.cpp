// Channels: join, leave, messages, members, member events and counts; interop with TS.
#include <doctest/doctest.h>

#include <string>

#include "harness.h"

using namespace harness;

TEST_SUITE("channel") {
  TEST_CASE("join, message, members, counts and leave between two C++ clients") {
    Recorder a, b, ca, cb;
    std::string alice = uid("alice"), bob = uid("bob"), room = uid("room");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IChannel* chA = sa->createChannel(room.c_str(), &ca);
    IChannel* chB = sb->createChannel(room.c_str(), &cb);
    REQUIRE(chA != nullptr);
    CHECK(std::string(chA->getId()) == room);
    REQUIRE(chA->join() == 0);
    REQUIRE(ca.wait("join ok"));
    CHECK(ca.wait("count 1"));
    CHECK(chA->join() == JOIN_CHANNEL_ERR_ALREADY_JOINED);
    REQUIRE(chB->join() == 0);
    REQUIRE(cb.wait("join ok"));
    CHECK(ca.wait("mjoin " + room + " " + bob));
    IMessage* m = sa->createMessage("to the room");
    long long id = m->getMessageId();
    REQUIRE(chA->sendMessage(m) == 0);
    m->release();
    CHECK(cb.wait("cmsg " + alice + ": to the room"));
    CHECK(ca.wait("csent " + std::to_string(id) + " 0"));
    CHECK(ca.withPrefix("cmsg").empty());  // never echoed to the sender
    REQUIRE(chB->getMembers() == 0);
    std::string sorted = alice < bob ? alice + " " + bob : bob + " " + alice;
    CHECK(cb.wait("members 0 " + sorted));
    const char* ids[] = {room.c_str(), "empty-room-xyz"};
    long long req;
    REQUIRE(sa->getChannelMemberCount(ids, 2, req) == 0);
    CHECK(a.wait("counts 0 " + room + "=2 empty-room-xyz=0"));
    REQUIRE(chB->leave() == 0);
    CHECK(cb.wait("leave 0"));
    CHECK(ca.wait("mleft " + room + " " + bob));
    CHECK(chB->leave() == LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);
    CHECK(chB->getMembers() == GET_MEMBERS_ERR_NOT_IN_CHANNEL);
    IMessage* m2 = sb->createMessage("not a member");
    CHECK(chB->sendMessage(m2) == CHANNEL_MESSAGE_ERR_FAILURE);
    m2->release();
    chA->release();
    chB->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("bad channel ids, messages and states are refused") {
    Recorder a, ca;
    IRtmService* s = makeService(a, sharedServer().url);
    CHECK(s->createChannel(nullptr, &ca) == nullptr);
    CHECK(s->createChannel("", &ca) == nullptr);
    CHECK(s->createChannel("null", &ca) == nullptr);
    CHECK(s->createChannel("bad/id", &ca) == nullptr);
    IChannel* ch = s->createChannel(uid("room").c_str(), &ca);
    REQUIRE(ch != nullptr);
    CHECK(ch->join() == JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
    CHECK(ch->leave() == LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);
    CHECK(ch->getMembers() == GET_MEMBERS_ERR_USER_NOT_LOGGED_IN);
    REQUIRE(s->login(nullptr, uid("x").c_str()) == 0);
    REQUIRE(a.wait("login ok"));
    CHECK(ch->sendMessage(nullptr) == CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
    long long req;
    CHECK(s->getChannelMemberCount(nullptr, 1, req) == GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);
    std::vector<std::string> many(33, "c");
    std::vector<const char*> manyIds;
    for (auto& x : many) manyIds.push_back(x.c_str());
    CHECK(s->getChannelMemberCount(manyIds.data(), 33, req) == GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT);
    const char* badIds[] = {"bad/id"};
    CHECK(s->getChannelMemberCount(badIds, 1, req) == GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);
    ch->release();
    s->release();
  }

  TEST_CASE("joining a 21st channel fails with EXCEED_LIMIT") {
    Recorder a;
    IRtmService* s = loggedIn(a, sharedServer().url, uid("many"));
    std::vector<Recorder> recs(21);
    std::vector<IChannel*> chans;
    for (int i = 0; i < 21; i++) {
      chans.push_back(s->createChannel(uid("c" + std::to_string(i)).c_str(), &recs[size_t(i)]));
      REQUIRE(chans.back()->join() == 0);
      if (i < 20) REQUIRE(recs[size_t(i)].wait("join ok"));
    }
    CHECK(recs[20].wait("join failed 5"));
    for (auto* c : chans) c->release();
    s->release();
  }

  TEST_CASE("interop: channel messages and member events between C++ and the TypeScript SDK") {
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp"), room = uid("room");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    Recorder rec, crec;
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    IChannel* ch = s->createChannel(room.c_str(), &crec);
    REQUIRE(ch->join() == 0);
    REQUIRE(crec.wait("join ok"));
    Json ev;
    REQUIRE(ts.waitEvent("mjoin", &ev));
    CHECK(ev["u"] == me);
    IMessage* m = s->createMessage("from C++");
    REQUIRE(ch->sendMessage(m, SendMessageOptions()) == 0);
    m->release();
    REQUIRE(ts.waitEvent("cmsg", &ev));
    CHECK(ev["from"] == me);
    CHECK(ev["text"] == "from C++");
    REQUIRE(ts.call({{"op", "csend"}, {"ch", room}, {"text", "from TS"}})["ok"] == true);
    CHECK(crec.wait("cmsg " + tsUser + ": from TS"));
    Json members = ts.call({{"op", "members"}, {"ch", room}});
    CHECK(members["value"].size() == 2);
    REQUIRE(ts.call({{"op", "leave"}, {"ch", room}})["ok"] == true);
    CHECK(crec.wait("mleft " + room + " " + tsUser));
    ch->release();
    s->release();
  }
}
