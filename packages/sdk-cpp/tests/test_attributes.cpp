// User and channel attributes, with C++ <-> TypeScript SDK interop.
#include <doctest/doctest.h>

#include <string>

#include "harness.h"

using namespace harness;

TEST_SUITE("attributes") {
  TEST_CASE("user attributes: set, add, delete, clear, read by another client (all and by key)") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    RtmAttribute attrs[] = {{"color", "red"}, {"size", "L"}};
    long long req;
    REQUIRE(sa->setLocalUserAttributes(attrs, 2, req) == 0);
    CHECK(a.wait("uattr set " + std::to_string(req) + " 0"));
    RtmAttribute more[] = {{"size", "XL"}, {"mood", "ok"}};
    REQUIRE(sa->addOrUpdateLocalUserAttributes(more, 2, req) == 0);
    CHECK(a.wait("uattr add " + std::to_string(req) + " 0"));
    REQUIRE(sb->getUserAttributes(alice.c_str(), req) == 0);
    CHECK(b.wait("uattrs " + alice + " 0 color=red mood=ok size=XL"));
    const char* keys[] = {"mood"};
    REQUIRE(sb->getUserAttributesByKeys(alice.c_str(), keys, 1, req) == 0);
    CHECK(b.wait("uattrs " + alice + " 0 mood=ok"));
    REQUIRE(sa->deleteLocalUserAttributesByKeys(keys, 1, req) == 0);
    CHECK(a.wait("uattr del " + std::to_string(req) + " 0"));
    b.clear();
    REQUIRE(sb->getUserAttributes(alice.c_str(), req) == 0);
    CHECK(b.wait("uattrs " + alice + " 0 color=red size=XL"));
    REQUIRE(sa->clearLocalUserAttributes(req) == 0);
    CHECK(a.wait("uattr clear " + std::to_string(req) + " 0"));
    b.clear();
    REQUIRE(sb->getUserAttributes(alice.c_str(), req) == 0);
    CHECK(b.wait("uattrs " + alice + " 0"));
    sa->release();
    sb->release();
  }

  TEST_CASE("user attribute input is checked: keys, values, counts, sizes") {
    Recorder a;
    IRtmService* s = loggedIn(a, sharedServer().url, uid("checker"));
    long long req;
    RtmAttribute noKey[] = {{nullptr, "v"}};
    CHECK(s->setLocalUserAttributes(noKey, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    RtmAttribute noValue[] = {{"k", nullptr}};
    CHECK(s->setLocalUserAttributes(noValue, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    std::string longKey(33, 'k');
    RtmAttribute bigKey[] = {{longKey.c_str(), "v"}};
    CHECK(s->setLocalUserAttributes(bigKey, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    std::string bigValue(8 * 1024 + 1, 'v');
    RtmAttribute big[] = {{"k", bigValue.c_str()}};
    CHECK(s->setLocalUserAttributes(big, 1, req) == ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW);
    RtmAttribute badUtf8[] = {{"k", "\xc3"}};
    CHECK(s->setLocalUserAttributes(badUtf8, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    CHECK(s->setLocalUserAttributes(nullptr, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    std::vector<RtmAttribute> many(33, RtmAttribute{"k", "v"});
    CHECK(s->setLocalUserAttributes(many.data(), 33, req) == ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW);
    CHECK(s->getUserAttributes("bad/id", req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    CHECK(s->deleteLocalUserAttributesByKeys(nullptr, 1, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    REQUIRE(s->getUserAttributes(uid("nobody").c_str(), req) == 0);
    CHECK(a.waitPrefix("uattrs ").find(" 6") != std::string::npos);  // USER_NOT_FOUND
    CHECK(a.withPrefix("uattr ").empty());
    s->release();
  }

  TEST_CASE("channel attributes: set with notification reaches members; read, delete, clear") {
    Recorder a, b, cb;
    std::string alice = uid("alice"), bob = uid("bob"), room = uid("room");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IChannel* ch = sb->createChannel(room.c_str(), &cb);
    REQUIRE(ch->join() == 0);
    REQUIRE(cb.wait("join ok"));
    IRtmChannelAttribute* x = sa->createChannelAttribute();
    x->setKey("topic");
    x->setValue("c++");
    IRtmChannelAttribute* y = sa->createChannelAttribute();
    y->setKey("owner");
    y->setValue(alice.c_str());
    const IRtmChannelAttribute* list[] = {x, y};
    ChannelAttributeOptions notify;
    notify.enableNotificationToChannelMembers = true;
    long long req;
    REQUIRE(sa->setChannelAttributes(room.c_str(), list, 2, notify, req) == 0);
    CHECK(a.wait("cattr set " + std::to_string(req) + " 0"));
    CHECK(cb.wait("attrs updated owner=" + alice + " topic=c++"));
    x->release();
    y->release();
    REQUIRE(sb->getChannelAttributes(room.c_str(), req) == 0);
    CHECK(b.wait("cattrs 0 owner=" + alice + "@" + alice + " topic=c++@" + alice));
    const char* keys[] = {"topic"};
    REQUIRE(sb->getChannelAttributesByKeys(room.c_str(), keys, 1, req) == 0);
    CHECK(b.wait("cattrs 0 topic=c++@" + alice));
    REQUIRE(sa->deleteChannelAttributesByKeys(room.c_str(), keys, 1, notify, req) == 0);
    CHECK(a.wait("cattr del " + std::to_string(req) + " 0"));
    CHECK(cb.wait("attrs updated owner=" + alice));
    REQUIRE(sa->clearChannelAttributes(room.c_str(), notify, req) == 0);
    CHECK(a.wait("cattr clear " + std::to_string(req) + " 0"));
    CHECK(cb.wait("attrs updated"));
    const IRtmChannelAttribute* none[] = {nullptr};
    CHECK(sa->setChannelAttributes(room.c_str(), none, 1, notify, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    CHECK(sa->setChannelAttributes("bad/id", list, 0, notify, req) == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    ch->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("interop: attributes written by C++ are read by TypeScript, and the other way") {
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp"), room = uid("room");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    REQUIRE(ts.call({{"op", "join"}, {"ch", room}})["ok"] == true);
    Recorder rec;
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    RtmAttribute attrs[] = {{"lang", "cpp"}};
    long long req;
    REQUIRE(s->setLocalUserAttributes(attrs, 1, req) == 0);
    REQUIRE(rec.wait("uattr set " + std::to_string(req) + " 0"));
    Json r = ts.call({{"op", "getUserAttrs"}, {"uid", me}});
    CHECK(r["value"]["lang"] == "cpp");
    IRtmChannelAttribute* a = s->createChannelAttribute();
    a->setKey("k");
    a->setValue("from-cpp");
    const IRtmChannelAttribute* list[] = {a};
    ChannelAttributeOptions notify;
    notify.enableNotificationToChannelMembers = true;
    REQUIRE(s->addOrUpdateChannelAttributes(room.c_str(), list, 1, notify, req) == 0);
    a->release();
    Json ev;
    REQUIRE(ts.waitEvent("cattrs", &ev));
    CHECK(ev["attrs"]["k"]["value"] == "from-cpp");
    CHECK(ev["attrs"]["k"]["lastUpdateUserId"] == me);
    REQUIRE(ts.call({{"op", "setUserAttrs"}, {"attrs", {{"lang", "ts"}}}})["ok"] == true);
    REQUIRE(s->getUserAttributes(tsUser.c_str(), req) == 0);
    CHECK(rec.wait("uattrs " + tsUser + " 0 lang=ts"));
    REQUIRE(ts.call({{"op", "setChannelAttrs"}, {"ch", room}, {"attrs", {{"k", "from-ts"}}}})["ok"] == true);
    REQUIRE(s->getChannelAttributes(room.c_str(), req) == 0);
    CHECK(rec.wait("cattrs 0 k=from-ts@" + tsUser));
    s->release();
  }
}
