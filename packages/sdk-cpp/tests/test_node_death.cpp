// Two nodes on Redis; the node of one side of a call invitation dies (SIGKILL) and that side's
// C++ SDK fails over to the other node with a fresh session. The server keeps the invitation and
// names it in the login result (`inv`); the SDK keeps it live, as the TypeScript SDK does, and
// the call still ends accepted on both sides.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "harness.h"

using namespace harness;

namespace {

/** Short liveness, as the server's node-death tests: a dead node shows within 3 heartbeats. */
std::map<std::string, std::string> redisNode(const std::string& prefix) {
  const char* url = std::getenv("PARLEY_TEST_REDIS_URL");
  return {{"PARLEY_REDIS_URL", url && *url ? url : "redis://127.0.0.1:6379"},
          {"PARLEY_REDIS_PREFIX", prefix},
          {"PARLEY_HEARTBEAT_MS", "200"},
          {"PARLEY_RESUME_WINDOW_MS", "5000"},
          {"PARLEY_UNREACHABLE_AFTER_MS", "600"}};
}

}  // namespace

TEST_SUITE("node-death") {
  TEST_CASE("the caller's node dies: its SDK keeps the invitation the new session took over") {
    std::string prefix = uid("nd") + ":";
    Server survivor(0, "", redisNode(prefix));
    Server doomed(0, "", redisNode(prefix));
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, doomed.url + "," + survivor.url, alice);
    IRtmService* sb = loggedIn(b, survivor.url, bob);
    IRtmCallManager* ma = sa->getRtmCallManager(&a);
    IRtmCallManager* mb = sb->getRtmCallManager(&b);
    ILocalCallInvitation* call = ma->createLocalCallInvitation(bob.c_str());
    call->setContent("ring");
    REQUIRE(ma->sendLocalInvitation(call) == 0);
    REQUIRE(b.wait("rinv from " + alice + " ch= content=ring"));
    REQUIRE(a.wait("linv received"));
    a.clear();
    b.clear();
    doomed.kill();
    // CONNECTED (3) again after the failover, on a fresh session (the old node is gone).
    REQUIRE(a.wait("state 3 2", 20000));
    IRemoteCallInvitation* inv = b.lastRemote;
    REQUIRE(inv != nullptr);
    inv->setResponse("yes");
    REQUIRE(mb->acceptRemoteInvitation(inv) == 0);
    CHECK(a.wait("linv accepted yes", 15000));
    CHECK(b.wait("rinv accepted", 15000));
    CHECK(call->getState() == LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
    CHECK(a.withPrefix("linv failure").empty());
    CHECK(b.withPrefix("rinv canceled").empty());
    call->release();
    inv->release();
    sa->release();
    sb->release();
  }

  TEST_CASE("the callee's node dies: its SDK keeps the received invitation, and its accept completes") {
    std::string prefix = uid("nd") + ":";
    Server survivor(0, "", redisNode(prefix));
    Server doomed(0, "", redisNode(prefix));
    Recorder a, b;
    std::string alice = uid("alice"), bob = uid("bob");
    IRtmService* sa = loggedIn(a, survivor.url, alice);
    IRtmService* sb = loggedIn(b, doomed.url + "," + survivor.url, bob);
    IRtmCallManager* ma = sa->getRtmCallManager(&a);
    IRtmCallManager* mb = sb->getRtmCallManager(&b);
    ILocalCallInvitation* call = ma->createLocalCallInvitation(bob.c_str());
    call->setContent("ring");
    REQUIRE(ma->sendLocalInvitation(call) == 0);
    REQUIRE(b.wait("rinv from " + alice + " ch= content=ring"));
    REQUIRE(a.wait("linv received"));
    a.clear();
    b.clear();
    doomed.kill();
    REQUIRE(b.wait("state 3 2", 20000));
    IRemoteCallInvitation* inv = b.lastRemote;
    REQUIRE(inv != nullptr);
    CHECK(inv->getState() == REMOTE_INVITATION_STATE_INVITATION_RECEIVED);
    inv->setResponse("yes");
    REQUIRE(mb->acceptRemoteInvitation(inv) == 0);
    CHECK(a.wait("linv accepted yes", 15000));
    CHECK(b.wait("rinv accepted", 15000));
    CHECK(b.withPrefix("rinv failure").empty());
    call->release();
    inv->release();
    sa->release();
    sb->release();
  }
}
