// Call invitations: every state and misuse code, C++ <-> C++ and C++ <-> TypeScript SDK.
#include <doctest/doctest.h>

#include <string>

#include "harness.h"

using namespace harness;

TEST_SUITE("calls") {
  TEST_CASE("invite, ring, accept: both sides see every state in order") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IRtmCallManager* ma = sa->getRtmCallManager(&a);
    IRtmCallManager* mb = sb->getRtmCallManager(&b);
    CHECK(sa->getRtmCallManager(nullptr) == ma);
    ILocalCallInvitation* call = ma->createLocalCallInvitation(bob.c_str());
    REQUIRE(call != nullptr);
    CHECK(call->getState() == LOCAL_INVITATION_STATE_IDLE);
    call->setChannelId("room-42");
    call->setContent("ring ring");
    CHECK(ma->cancelLocalInvitation(call) == INVITATION_API_CALL_ERR_NOT_STARTED);
    REQUIRE(ma->sendLocalInvitation(call) == 0);
    CHECK(ma->sendLocalInvitation(call) == INVITATION_API_CALL_ERR_ALREADY_SENT);
    REQUIRE(b.wait("rinv from " + alice + " ch=room-42 content=ring ring"));
    CHECK(a.wait("linv received"));
    CHECK(call->getState() == LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE);
    IRemoteCallInvitation* inv = b.lastRemote;
    REQUIRE(inv != nullptr);
    CHECK(inv->getState() == REMOTE_INVITATION_STATE_INVITATION_RECEIVED);
    inv->setResponse("on my way");
    REQUIRE(mb->acceptRemoteInvitation(inv) == 0);
    CHECK(mb->acceptRemoteInvitation(inv) == INVITATION_API_CALL_ERR_ALREADY_ACCEPT);
    CHECK(mb->refuseRemoteInvitation(inv) == INVITATION_API_CALL_ERR_ALREADY_ACCEPT);
    CHECK(a.wait("linv accepted on my way"));
    CHECK(b.wait("rinv accepted"));  // the caller's SDK confirmed automatically
    CHECK(call->getState() == LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
    CHECK(std::string(call->getResponse()) == "on my way");
    CHECK(inv->getState() == REMOTE_INVITATION_STATE_ACCEPTED);
    CHECK(ma->sendLocalInvitation(call) == INVITATION_API_CALL_ERR_ALREADY_END);
    CHECK(ma->cancelLocalInvitation(call) == INVITATION_API_CALL_ERR_ALREADY_END);
    CHECK(mb->acceptRemoteInvitation(inv) == INVITATION_API_CALL_ERR_ALREADY_END);
    call->release();
    inv->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("refuse and cancel end the invitation on both sides") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    IRtmCallManager* ma = sa->getRtmCallManager(&a);
    IRtmCallManager* mb = sb->getRtmCallManager(&b);
    ILocalCallInvitation* c1 = ma->createLocalCallInvitation(bob.c_str());
    REQUIRE(ma->sendLocalInvitation(c1) == 0);
    REQUIRE(b.waitPrefix("rinv from") != "");
    IRemoteCallInvitation* r1 = b.lastRemote;
    r1->setResponse("busy");
    REQUIRE(mb->refuseRemoteInvitation(r1) == 0);
    CHECK(b.wait("rinv refused"));
    CHECK(a.wait("linv refused busy"));
    CHECK(c1->getState() == LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE);
    CHECK(mb->refuseRemoteInvitation(r1) == INVITATION_API_CALL_ERR_ALREADY_END);
    r1->release();
    c1->release();
    a.clear();
    b.clear();
    ILocalCallInvitation* c2 = ma->createLocalCallInvitation(bob.c_str());
    c2->setContent("first");
    REQUIRE(ma->sendLocalInvitation(c2) == 0);
    REQUIRE(b.waitPrefix("rinv from") != "");
    c2->setContent("never mind");
    REQUIRE(ma->cancelLocalInvitation(c2) == 0);
    CHECK(a.wait("linv canceled"));
    CHECK(b.wait("rinv canceled never mind"));
    CHECK(c2->getState() == LOCAL_INVITATION_STATE_CANCELED);
    CHECK(b.lastRemote.load()->getState() == REMOTE_INVITATION_STATE_CANCELED);
    b.lastRemote.load()->release();
    c2->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("misuse answers the INVITATION_API_CALL_ERR codes") {
    Recorder a;
    IRtmService* s = loggedIn(a, sharedServer().url, uid("misuse"));
    IRtmCallManager* m = s->getRtmCallManager(&a);
    CHECK(m->createLocalCallInvitation(nullptr) == nullptr);
    CHECK(m->createLocalCallInvitation("bad/id") == nullptr);
    CHECK(m->sendLocalInvitation(nullptr) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    CHECK(m->cancelLocalInvitation(nullptr) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    CHECK(m->acceptRemoteInvitation(nullptr) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    CHECK(m->refuseRemoteInvitation(nullptr) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    ILocalCallInvitation* c = m->createLocalCallInvitation("someone");
    c->setContent(std::string(8 * 1024 + 1, 'x').c_str());
    CHECK(m->sendLocalInvitation(c) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    c->setContent("ok");
    c->setChannelId("bad/channel");
    CHECK(m->sendLocalInvitation(c) == INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    CHECK(c->getState() == LOCAL_INVITATION_STATE_IDLE);
    c->release();
    s->release();
  }

  TEST_CASE("an invitation to a user who stays offline fails on the caller side") {
    Recorder a;
    IRtmService* s = loggedIn(a, sharedServer().url, uid("caller"));
    IRtmCallManager* m = s->getRtmCallManager(&a);
    ILocalCallInvitation* c = m->createLocalCallInvitation(uid("offline").c_str());
    REQUIRE(m->sendLocalInvitation(c) == 0);
    // The shared server runs with PARLEY_INVITATION_PEER_OFFLINE_MS=1500.
    CHECK(a.wait("linv failure 1"));
    CHECK(c->getState() == LOCAL_INVITATION_STATE_FAILURE);
    c->release();
    s->release();
  }

  TEST_CASE("an invitation nobody answers expires on both sides") {
    Recorder a, b;
    std::string bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, uid("alice"));
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    sb->getRtmCallManager(&b);
    IRtmCallManager* m = sa->getRtmCallManager(&a);
    ILocalCallInvitation* c = m->createLocalCallInvitation(bob.c_str());
    REQUIRE(m->sendLocalInvitation(c) == 0);
    REQUIRE(b.waitPrefix("rinv from") != "");
    // The shared server runs with PARLEY_INVITATION_EXPIRE_MS=6000.
    CHECK(a.wait("linv failure 3"));
    CHECK(b.wait("rinv failure 3"));
    CHECK(b.lastRemote.load()->getState() == REMOTE_INVITATION_STATE_FAILURE);
    CHECK(sb->getRtmCallManager(nullptr)->acceptRemoteInvitation(b.lastRemote) ==
          INVITATION_API_CALL_ERR_ALREADY_END);
    b.lastRemote.load()->release();
    c->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("a logout ends live invitations with NOT_LOGGEDIN") {
    Recorder a, b;
    std::string bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, uid("alice"));
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    sb->getRtmCallManager(&b);
    IRtmCallManager* m = sa->getRtmCallManager(&a);
    ILocalCallInvitation* c = m->createLocalCallInvitation(bob.c_str());
    REQUIRE(m->sendLocalInvitation(c) == 0);
    REQUIRE(a.wait("linv received"));
    REQUIRE(b.waitPrefix("rinv from") != "");
    REQUIRE(sa->logout() == 0);
    CHECK(a.wait("linv failure 4"));
    c->release();
    b.lastRemote.load()->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("interop: C++ calls a TypeScript user, and a TypeScript user calls C++") {
    TsPeer ts(sharedServer().url);
    std::string tsUser = uid("ts"), me = uid("cpp");
    REQUIRE(ts.call({{"op", "login"}, {"uid", tsUser}})["ok"] == true);
    Recorder rec;
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    IRtmCallManager* m = s->getRtmCallManager(&rec);
    ILocalCallInvitation* c = m->createLocalCallInvitation(tsUser.c_str());
    c->setContent("from C++");
    c->setChannelId("call-room");
    REQUIRE(m->sendLocalInvitation(c) == 0);
    Json ev;
    REQUIRE(ts.waitEvent("rinv", &ev));
    CHECK(ev["caller"] == me);
    CHECK(ev["channel"] == "call-room");
    CHECK(ev["content"] == "from C++");
    CHECK(rec.wait("linv received"));
    REQUIRE(ts.call({{"op", "accept"}, {"response", "yes from TS"}})["ok"] == true);
    CHECK(rec.wait("linv accepted yes from TS"));
    CHECK(ts.waitEvent("rinv.accepted", nullptr));
    c->release();

    REQUIRE(ts.call({{"op", "invite"}, {"to", me}, {"content", "from TS"}})["ok"] == true);
    REQUIRE(rec.wait("rinv from " + tsUser + " ch= content=from TS"));
    CHECK(ts.waitEvent("linv.received", nullptr));
    IRemoteCallInvitation* inv = rec.lastRemote;
    inv->setResponse("no from C++");
    REQUIRE(m->refuseRemoteInvitation(inv) == 0);
    REQUIRE(ts.waitEvent("linv.refused", &ev));
    CHECK(ev["response"] == "no from C++");
    inv->release();
    s->release();
  }

  TEST_CASE("the legacy end-call peer message cancels a received invitation") {
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, sharedServer().url, alice);
    IRtmService* sb = loggedIn(b, sharedServer().url, bob);
    sb->getRtmCallManager(&b);
    IRtmCallManager* m = sa->getRtmCallManager(&a);
    ILocalCallInvitation* c = m->createLocalCallInvitation(bob.c_str());
    c->setChannelId("legacy_room");
    REQUIRE(m->sendLocalInvitation(c) == 0);
    REQUIRE(b.waitPrefix("rinv from") != "");
    std::string end = std::string(AGORA_RTM_ENDCALL_PREFIX) + "_legacy_room_bye";
    IMessage* msg = sa->createMessage(end.c_str());
    REQUIRE(sa->sendMessageToPeer(bob.c_str(), msg) == 0);
    msg->release();
    CHECK(b.wait("rinv canceled bye"));
    CHECK(a.wait("linv canceled"));
    CHECK(b.withPrefix("peer ").empty());  // taken by the call manager, not shown as a message
    b.lastRemote.load()->release();
    c->release();
    sa->release();
    sb->release();
  }
}
