// Peer-message throughput of the C++ SDK: one sender, one receiver, `window` messages in
// flight (each completes when the receiver's SDK acknowledged it). Prints one JSON line.
// Usage: peer_bench <serverUrl> <messages> <window>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "IAgoraRtmService.h"

using namespace agora::rtm;

struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
  bool ok = false;
  void done() {
    std::lock_guard<std::mutex> l(mu);
    ok = true;
    cv.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return ok; });
  }
};

static double cpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class Receiver : public IRtmServiceEventHandler {
 public:
  Waiter login, all;
  std::atomic<int> got{0};
  int expected = 0;
  void onLoginSuccess() override { login.done(); }
  void onMessageReceivedFromPeer(const char*, const IMessage*) override {
    if (++got == expected) all.done();
  }
};

class Sender : public IRtmServiceEventHandler {
 public:
  Waiter login;
  IRtmService* rtm = nullptr;
  std::atomic<int> sent{0}, acked{0}, failed{0};
  int total = 0;
  std::string to;
  void onLoginSuccess() override { login.done(); }
  void sendOne() {
    if (sent >= total) return;
    ++sent;
    IMessage* m = rtm->createMessage("benchmark payload of some forty bytes..");
    if (rtm->sendMessageToPeer(to.c_str(), m) != 0) ++failed;
    m->release();
  }
  void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE e) override {
    if (e != PEER_MESSAGE_ERR_OK) ++failed;
    ++acked;
    sendOne();
  }
};

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  std::string url = argv[1];
  int n = std::atoi(argv[2]), window = std::atoi(argv[3]);
  std::string params = "{\"parley.serverUrl\": \"" + url + "\"}";
  Receiver r;
  r.expected = n;
  Sender s;
  s.total = n;
  s.to = "bench-receiver";
  IRtmService* rs = createRtmService();
  rs->initialize("bench_app", &r);
  rs->setParameters(params.c_str());
  rs->login(nullptr, "bench-receiver");
  r.login.wait();
  IRtmService* ss = createRtmService();
  s.rtm = ss;
  ss->initialize("bench_app", &s);
  ss->setParameters(params.c_str());
  ss->login(nullptr, "bench-sender");
  s.login.wait();
  double cpu0 = cpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < window; i++) s.sendOne();
  r.all.wait();
  auto t1 = std::chrono::steady_clock::now();
  double cpu = cpuSeconds() - cpu0;
  double secs = std::chrono::duration<double>(t1 - t0).count();
  std::printf("{\"sdk\":\"cpp\",\"messages\":%d,\"window\":%d,\"seconds\":%.3f,\"msgPerSec\":%.0f,"
              "\"cpuUsPerMsg\":%.1f,\"failed\":%d}\n",
              n, window, secs, n / secs, cpu * 1e6 / n, s.failed.load());
  ss->release();
  rs->release();
  return 0;
}
