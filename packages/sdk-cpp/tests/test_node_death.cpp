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

/**
 * Two nodes sharing a Redis prefix; alice (a) calls bob (b). The side that `callerDies` names
 * logs in through the doomed node, with the survivor next in its URL list; the other side is on
 * the survivor. The call is ringing on both sides when the test kills the doomed node.
 */
struct CallAcrossDeath {
  std::string prefix = uid("nd") + ":";
  Server survivor{0, "", redisNode(prefix)};
  Server doomed{0, "", redisNode(prefix)};
  Recorder a, b;
  std::string alice = uid("alice"), bob = uid("bob");
  IRtmService* sa = nullptr;
  IRtmService* sb = nullptr;
  IRtmCallManager* ma = nullptr;
  IRtmCallManager* mb = nullptr;
  ILocalCallInvitation* call = nullptr;

  explicit CallAcrossDeath(bool callerDies) {
    std::string failover = doomed.url + "," + survivor.url;
    sa = loggedIn(a, callerDies ? failover : survivor.url, alice);
    sb = loggedIn(b, callerDies ? survivor.url : failover, bob);
    ma = sa->getRtmCallManager(&a);
    mb = sb->getRtmCallManager(&b);
    call = ma->createLocalCallInvitation(bob.c_str());
    call->setContent("ring");
    REQUIRE(ma->sendLocalInvitation(call) == 0);
    REQUIRE(b.wait("rinv from " + alice + " ch= content=ring"));
    REQUIRE(a.wait("linv received"));
  }

  /** Kills the doomed node; `landing` is CONNECTED (3, LOGIN_SUCCESS) again on the survivor. */
  void kill(Recorder& landing) {
    a.clear();
    b.clear();
    doomed.kill();
    REQUIRE(landing.wait("state 3 2", 20000));
  }

  /** Bob accepts the call he got; both sides see it accepted. */
  void accept() {
    IRemoteCallInvitation* inv = b.lastRemote;
    REQUIRE(inv != nullptr);
    inv->setResponse("yes");
    REQUIRE(mb->acceptRemoteInvitation(inv) == 0);
    CHECK(a.wait("linv accepted yes", 15000));
    CHECK(b.wait("rinv accepted", 15000));
  }

  ~CallAcrossDeath() {
    if (IRemoteCallInvitation* inv = b.lastRemote) inv->release();
    if (call) call->release();
    if (sa) sa->release();
    if (sb) sb->release();
  }
};

}  // namespace

TEST_SUITE("node-death") {
  TEST_CASE("the caller's node dies: its SDK keeps the invitation the new session took over") {
    CallAcrossDeath t(true);
    t.kill(t.a);
    t.accept();
    CHECK(t.call->getState() == LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
    CHECK(t.a.withPrefix("linv failure").empty());
    CHECK(t.b.withPrefix("rinv canceled").empty());
  }

  TEST_CASE("the callee's node dies: its SDK keeps the received invitation, and its accept completes") {
    CallAcrossDeath t(false);
    t.kill(t.b);
    REQUIRE(t.b.lastRemote != nullptr);
    CHECK(t.b.lastRemote.load()->getState() == REMOTE_INVITATION_STATE_INVITATION_RECEIVED);
    t.accept();
    CHECK(t.b.withPrefix("rinv failure").empty());
  }
}
