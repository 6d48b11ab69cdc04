// Lifecycle, login state machine, tokens, parameters, logs and bad input.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "harness.h"

using namespace harness;

TEST_SUITE("basics") {
  TEST_CASE("getRtmSdkVersion names the Agora API version and Parley's") {
    std::string v = getRtmSdkVersion();
    CHECK(v.find("1.4") == 0);
    CHECK(v.find("parley") != std::string::npos);
  }

  TEST_CASE("methods before initialize answer NOT_INITIALIZED") {
    IRtmService* s = createRtmService();
    long long req = 0;
    CHECK(s->login(nullptr, "alice") == LOGIN_ERR_NOT_INITIALIZED);
    CHECK(s->logout() == LOGOUT_ERR_NOT_INITIALIZED);
    CHECK(s->renewToken("x") == RENEW_TOKEN_ERR_NOT_INITIALIZED);
    IMessage* m = s->createMessage("hi");
    CHECK(s->sendMessageToPeer("bob", m) == PEER_MESSAGE_ERR_NOT_INITIALIZED);
    m->release();
    CHECK(s->createChannel("room", nullptr) == nullptr);
    CHECK(s->getRtmCallManager(nullptr) == nullptr);
    CHECK(s->clearLocalUserAttributes(req) == ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED);
    s->release();
  }

  TEST_CASE("initialize checks its arguments and runs once") {
    Recorder rec;
    IRtmService* s = createRtmService();
    CHECK(s->initialize(nullptr, &rec) == INIT_ERR_INVALID_APP_ID);
    CHECK(s->initialize("bad app id!", &rec) == INIT_ERR_INVALID_APP_ID);
    CHECK(s->initialize(kApp, nullptr) == INIT_ERR_INVALID_ARGUMENT);
    CHECK(s->initialize(kApp, &rec) == INIT_ERR_OK);
    CHECK(s->initialize(kApp, &rec) == INIT_ERR_ALREADY_INITIALIZED);
    s->release();
  }

  TEST_CASE("login and logout go through every state with its reason, in order") {
    Recorder rec;
    IRtmService* s = makeService(rec, sharedServer().url);
    std::string me = uid("alice");
    CHECK(s->login(nullptr, me.c_str()) == 0);
    CHECK(s->login(nullptr, me.c_str()) == LOGIN_ERR_ALREADY_LOGGED_IN);
    REQUIRE(rec.wait("login ok"));
    CHECK(s->logout() == 0);
    REQUIRE(rec.wait("logout 0"));
    CHECK(s->logout() == LOGOUT_ERR_USER_NOT_LOGGED_IN);
    std::vector<std::string> expected = {"state 2 1", "state 3 2", "login ok", "state 1 6",
                                         "logout 0"};
    CHECK(rec.all() == expected);
    s->release();
  }

  TEST_CASE("login refuses bad user ids and calls more often than twice a second") {
    Recorder rec;
    IRtmService* s = makeService(rec, sharedServer().url);
    CHECK(s->login(nullptr, nullptr) == LOGIN_ERR_INVALID_ARGUMENT);
    CHECK(s->login(nullptr, "") == LOGIN_ERR_INVALID_ARGUMENT);
    CHECK(s->login(nullptr, "null") == LOGIN_ERR_TOO_OFTEN);
    s->release();
  }

  TEST_CASE("a login to a server that is not there fails with LOGIN_TIMEOUT") {
    Recorder rec;
    IRtmService* s = makeService(rec, "ws://127.0.0.1:1");
    REQUIRE(s->setParameters("{\"parley.loginTimeoutMs\": 600}") == 0);
    REQUIRE(s->login(nullptr, uid("nobody").c_str()) == 0);
    REQUIRE(rec.wait("login failed 9"));
    CHECK(rec.all() == std::vector<std::string>{"state 2 1", "state 1 4", "login failed 9"});
    s->release();
  }

  TEST_CASE("the URL list is tried in order: a dead first entry falls over to the next") {
    Recorder rec;
    IRtmService* s = makeService(rec, "ws://127.0.0.1:1," + sharedServer().url);
    REQUIRE(s->login(nullptr, uid("failover").c_str()) == 0);
    CHECK(rec.wait("login ok"));
    s->release();
  }

  TEST_CASE("PARLEY_SERVER_URL (http:// form) points the SDK at the server") {
    std::string http = "http://" + sharedServer().url.substr(5);
    setenv("PARLEY_SERVER_URL", http.c_str(), 1);
    Recorder rec;
    IRtmService* s = createRtmService();
    REQUIRE(s->initialize(kApp, &rec) == 0);
    unsetenv("PARLEY_SERVER_URL");
    REQUIRE(s->login(nullptr, uid("env").c_str()) == 0);
    CHECK(rec.wait("login ok"));
    s->release();
  }

  TEST_CASE("setParameters rejects what it cannot use and accepts Agora's own keys") {
    Recorder rec;
    IRtmService* s = makeService(rec, sharedServer().url);
    CHECK(s->setParameters(nullptr) != 0);
    CHECK(s->setParameters("not json") != 0);
    CHECK(s->setParameters("{\"parley.serverUrl\": \"ftp://x\"}") != 0);
    CHECK(s->setParameters("{\"parley.serverUrl\": 5}") != 0);
    CHECK(s->setParameters("{\"parley.loginTimeoutMs\": -1}") != 0);
    CHECK(s->setParameters("{\"rtm.log_filter\": 15}") == 0);
    s->release();
  }

  TEST_CASE("tokens from agora-token: a valid one logs in, a wrong one is INVALID_TOKEN") {
    TsPeer ts(sharedServer().url, kCertApp);
    std::string me = uid("tok");
    Json t = ts.call({{"op", "token"}, {"appId", kCertApp}, {"cert", kCert}, {"uid", me}});
    REQUIRE(t["ok"] == true);
    std::string token = t["value"];
    Recorder rec;
    IRtmService* s = makeService(rec, sharedServer().url, kCertApp);
    REQUIRE(s->login(token.c_str(), "someone-else") == 0);
    REQUIRE(rec.wait("login failed 5"));
    CHECK(rec.wait("state 1 3"));
    REQUIRE(s->login(token.c_str(), me.c_str()) == 0);
    REQUIRE(rec.wait("login ok"));
    CHECK(s->renewToken(nullptr) == RENEW_TOKEN_ERR_INVALID_ARGUMENT);
    CHECK(s->renewToken(token.c_str()) == 0);
    CHECK(rec.wait("renew 0"));
    CHECK(s->renewToken("garbage") == 0);
    CHECK(rec.waitPrefix("renew 6") == "renew 6");
    s->release();
  }

  TEST_CASE("a second login of the same user aborts the first with REMOTE_LOGIN") {
    Recorder a, b;
    std::string me = uid("twice");
    IRtmService* s1 = loggedIn(a, sharedServer().url, me);
    IRtmService* s2 = loggedIn(b, sharedServer().url, me);
    REQUIRE(a.wait("state 5 8"));
    long long req;
    CHECK(s1->clearLocalUserAttributes(req) == ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
    CHECK(s1->login(nullptr, me.c_str()) == LOGIN_ERR_ALREADY_LOGGED_IN);
    CHECK(s1->logout() == 0);
    CHECK(a.wait("state 1 6"));
    s1->release();
    s2->release();
  }

  TEST_CASE("a ban from the REST API aborts the session with BANNED_BY_SERVER") {
    Recorder rec;
    std::string me = uid("banned");
    IRtmService* s = loggedIn(rec, sharedServer().url, me);
    std::string http = "http://" + sharedServer().url.substr(5);
    std::string cmd = "curl -s -o /dev/null -w '%{http_code}' -u cpptest:secret -X POST -H "
                      "'content-type: application/json' -d '{\"durationSeconds\":60}' " +
                      http + "/v1/apps/" + kApp + "/users/" + me + "/ban";
    FILE* p = popen(cmd.c_str(), "r");
    char code[8] = {0};
    REQUIRE(p != nullptr);
    size_t got = fread(code, 1, 3, p);
    pclose(p);
    CHECK(got == 3);
    CHECK(std::string(code) == "200");
    CHECK(rec.wait("state 5 7"));
    s->release();
  }

  TEST_CASE("setLogFile writes the log; setLogFilter(OFF) stops it; sizes are checked") {
    std::string dir = tempDir();
    std::string path = dir + "/rtm.log";
    Recorder rec;
    IRtmService* s = makeService(rec, sharedServer().url);
    CHECK(s->setLogFile(nullptr) != 0);
    CHECK(s->setLogFileSize(0) != 0);
    CHECK(s->setLogFileSize(512) == 0);
    CHECK(s->setLogFilter(LOG_FILTER_INFO) == 0);
    REQUIRE(s->setLogFile(path.c_str()) == 0);
    REQUIRE(s->login(nullptr, uid("logger").c_str()) == 0);
    REQUIRE(rec.wait("login ok"));
    std::ifstream in(path);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(all.find("[INFO] login as") != std::string::npos);
    CHECK(s->setLogFilter(LOG_FILTER_OFF) == 0);
    size_t before = all.size();
    s->logout();
    REQUIRE(rec.wait("logout 0"));
    std::ifstream again(path);
    std::string after((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
    CHECK(after.size() == before);
    s->release();
  }

  TEST_CASE("file and image messages are declared but answer NOT_SUPPORTED / IMCOMPATIBLE") {
    Recorder rec;
    IRtmService* s = loggedIn(rec, sharedServer().url, uid("media"));
    long long req = 0;
    CHECK(s->createFileMessageByUploading("/tmp/x", req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    CHECK(s->createImageMessageByUploading("/tmp/x", req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    CHECK(s->downloadMediaToMemory("m", req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    CHECK(s->downloadMediaToFile("m", "/tmp/y", req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    CHECK(s->cancelMediaDownload(req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    CHECK(s->cancelMediaUpload(req) == PARLEY_RTM_ERR_NOT_SUPPORTED);
    IFileMessage* f = s->createFileMessageByMediaId("media-1");
    REQUIRE(f != nullptr);
    CHECK(std::string(f->getMediaId()) == "media-1");
    CHECK(s->sendMessageToPeer("bob", f) == PEER_MESSAGE_ERR_IMCOMPATIBLE_MESSAGE);
    f->release();
    IImageMessage* i = s->createImageMessageByMediaId("media-2");
    i->setWidth(4);
    CHECK(i->getWidth() == 4);
    CHECK(i->getMessageType() == MESSAGE_TYPE_IMAGE);
    i->release();
    s->release();
  }

  TEST_CASE("setRtmServiceContext and the deprecated IAgoraService entry points work") {
    RtmServiceContext ctx;
    CHECK(ctx.areaCode == int(AREA_CODE_GLOB));
    CHECK(setRtmServiceContext(ctx) == SET_RTM_SERVICE_CONTEXT_ERR_OK);
  }
}
