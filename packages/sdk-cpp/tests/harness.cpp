#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace harness {

const char* kApp = "cpp_test_app";
const char* kCertApp = "970CA35de60c44645bbae8a215061b33";
const char* kCert = "5CFd2fd1755d40ecb72977518be15d3b";

std::string repoRoot() { return PARLEY_REPO_ROOT; }

std::string tempDir() {
  char tmpl[] = "/tmp/parley-cpp-XXXXXX";
  char* d = mkdtemp(tmpl);
  if (!d) throw std::runtime_error("mkdtemp failed");
  return d;
}

std::string uid(const std::string& base) {
  static std::atomic<int> n{0};
  return base + "-" + std::to_string(getpid()) + "-" + std::to_string(++n);
}

// ---------- Process ----------

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env, const std::string& cwd) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    setpgid(0, 0);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    for (auto& e : env) setenv(e.first.c_str(), e.second.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  in_ = in[1];
  out_ = out[0];
  ::signal(SIGPIPE, SIG_IGN);
  reader_ = std::thread([this] {
    std::string buf;
    char chunk[4096];
    for (;;) {
      ssize_t n = read(out_, chunk, sizeof chunk);
      if (n <= 0) break;
      buf.append(chunk, size_t(n));
      size_t nl;
      while ((nl = buf.find('\n')) != std::string::npos) {
        std::lock_guard<std::mutex> lock(mu_);
        lines_.push_back(buf.substr(0, nl));
        buf.erase(0, nl + 1);
        cv_.notify_all();
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    eof_ = true;
    cv_.notify_all();
  });
}

Process::~Process() {
  closeInput();
  if (!waited_) {
    signal(SIGTERM);
    wait();
  }
  if (reader_.joinable()) reader_.join();
  if (out_ >= 0) close(out_);
}

void Process::writeLine(const std::string& line) {
  std::string s = line + "\n";
  const char* p = s.data();
  size_t left = s.size();
  while (left > 0) {
    ssize_t n = write(in_, p, left);
    if (n <= 0) return;
    p += n;
    left -= size_t(n);
  }
}

void Process::closeInput() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

bool Process::waitLine(const std::function<bool(const std::string&)>& pred, int ms,
                       std::string* got) {
  std::unique_lock<std::mutex> lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    while (consumed_ < lines_.size()) {
      const std::string& l = lines_[consumed_++];
      if (pred(l)) {
        if (got) *got = l;
        return true;
      }
    }
    if (eof_) return false;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && consumed_ >= lines_.size())
      return false;
  }
}

std::vector<std::string> Process::lines() {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

void Process::signal(int sig) {
  if (pid_ > 0 && !waited_) ::kill(-pid_, sig);
}

int Process::wait() {
  if (waited_) return status_;
  int st = 0;
  waitpid(pid_, &st, 0);
  waited_ = true;
  status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return status_;
}

// ---------- Server ----------

Server::Server(int port, const std::string& dir, const std::map<std::string, std::string>& env) {
  dataDir = dir.empty() ? tempDir() : dir;
  std::map<std::string, std::string> e = {
      {"PORT", std::to_string(port)},
      {"HOST", "127.0.0.1"},
      {"PARLEY_DATA_DIR", dataDir},
      {"PARLEY_LOG_LEVEL", "silent"},
      {"PARLEY_APPS", std::string(kApp) + "," + kCertApp + ":" + kCert},
      {"PARLEY_REST_KEYS", "cpptest:secret"},
  };
  for (auto& kv : env) e[kv.first] = kv.second;
  p_.reset(new Process({"node", "--conditions=source", "--import", "tsx",
                        "packages/server/src/cli.ts"},
                       e, repoRoot()));
  std::string line;
  if (!p_->waitLine([](const std::string& l) { return l.find("listening on ws://") != std::string::npos; },
                    60000, &line))
    throw std::runtime_error("the Parley server did not start");
  size_t a = line.find("listening on ws://") + std::string("listening on ").size();
  size_t b = line.find(' ', a);
  url = line.substr(a, b - a);
  this->port = std::atoi(url.substr(url.rfind(':') + 1).c_str());
}

Server::~Server() { stop(); }

void Server::stop() {
  if (!p_) return;
  p_->signal(SIGTERM);
  p_->wait();
  p_.reset();
}

void Server::kill() {
  if (!p_) return;
  p_->signal(SIGKILL);
  p_->wait();
  p_.reset();
}

Server& sharedServer() {
  static Server server(0, "",
                       {{"PARLEY_INVITATION_PEER_OFFLINE_MS", "1500"},
                        {"PARLEY_INVITATION_EXPIRE_MS", "6000"}});
  return server;
}

// ---------- TsPeer ----------

TsPeer::TsPeer(const std::string& url, const std::string& appId) {
  p_.reset(new Process({"node", "--conditions=source", "--import", "tsx",
                        "packages/sdk-cpp/tests/ts-peer.ts", url, appId},
                       {}, repoRoot()));
  if (!p_->waitLine([](const std::string& l) { return l.find("\"ready\"") != std::string::npos; },
                    60000, nullptr))
    throw std::runtime_error("the TypeScript peer did not start");
}

Json TsPeer::call(Json cmd) {
  int n = ++n_;
  cmd["n"] = n;
  p_->writeLine(cmd.dump());
  Json got;
  // Results are waited for among all lines, without consuming the events before them.
  for (int waited = 0; waited < kWaitMs; waited += 20) {
    for (auto& l : p_->lines()) {
      Json j = Json::parse(l, nullptr, false);
      if (j.is_object() && j.value("ev", "") == "result" && j.value("n", 0) == n) return j;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("no result from the TypeScript peer for " + cmd.dump());
}

bool TsPeer::waitEvent(const std::string& ev, const std::function<bool(const Json&)>& pred,
                       Json* got, int ms) {
  // Any event not taken yet, in any order relative to other kinds of events.
  for (int waited = 0; waited <= ms; waited += 20) {
    std::vector<std::string> lines = p_->lines();
    for (size_t i = 0; i < lines.size(); i++) {
      if (taken_.count(i)) continue;
      Json j = Json::parse(lines[i], nullptr, false);
      if (j.is_object() && j.value("ev", "") == ev && pred(j)) {
        taken_.insert(i);
        if (got) *got = j;
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::vector<Json> TsPeer::events(const std::string& ev) {
  std::vector<Json> out;
  for (auto& l : p_->lines()) {
    Json j = Json::parse(l, nullptr, false);
    if (j.is_object() && j.value("ev", "") == ev) out.push_back(j);
  }
  return out;
}

// ---------- Recorder ----------

void Recorder::add(const std::string& line) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(line);
    cv_.notify_all();
  }
  if (hook) hook(line);
}

bool Recorder::wait(const std::string& line, int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] {
    for (auto& l : lines_)
      if (l == line) return true;
    return false;
  });
}

std::string Recorder::waitPrefix(const std::string& prefix, int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  std::string found;
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] {
    for (auto& l : lines_)
      if (l.compare(0, prefix.size(), prefix) == 0) {
        found = l;
        return true;
      }
    return false;
  });
  return found;
}

int Recorder::count(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (auto& l : lines_) n += l == line;
  return n;
}

std::vector<std::string> Recorder::all() {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

std::vector<std::string> Recorder::withPrefix(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& l : lines_)
    if (l.compare(0, prefix.size(), prefix) == 0) out.push_back(l);
  return out;
}

void Recorder::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.clear();
}

static std::string messageText(const IMessage* m) {
  if (m->getMessageType() == MESSAGE_TYPE_RAW)
    return "raw[" + std::string(m->getRawMessageData(), size_t(m->getRawMessageLength())) + "]" +
           m->getText();
  return m->getText();
}

void Recorder::onMessageReceivedFromPeer(const char* peerId, const IMessage* m) {
  add(std::string("peer ") + peerId + ": " + messageText(m) + (m->isOfflineMessage() ? " (offline)" : ""));
}

void Recorder::onMessageReceived(const char* userId, const IMessage* m) {
  add(std::string("cmsg ") + userId + ": " + messageText(m));
}

void Recorder::onQueryPeersOnlineStatusResult(long long id, const PeerOnlineStatus* st, int n,
                                              QUERY_PEERS_ONLINE_STATUS_ERR e) {
  std::string s = "query " + std::to_string(e);
  for (int i = 0; i < n; i++)
    s += std::string(" ") + st[i].peerId + "=" + (st[i].isOnline ? "on" : "off") +
         std::to_string(st[i].onlineState);
  (void)id;
  add(s);
}

void Recorder::onQueryPeersBySubscriptionOptionResult(long long, const char* ids[], int n,
                                                      QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR e) {
  std::string s = "subscribed " + std::to_string(e);
  for (int i = 0; i < n; i++) s += std::string(" ") + ids[i];
  add(s);
}

void Recorder::onPeersOnlineStatusChanged(const PeerOnlineStatus st[], int n) {
  for (int i = 0; i < n; i++)
    add(std::string("presence ") + st[i].peerId + " " + std::to_string(st[i].onlineState));
}

void Recorder::onGetUserAttributesResult(long long, const char* user, const RtmAttribute* a, int n,
                                         ATTRIBUTE_OPERATION_ERR e) {
  std::map<std::string, std::string> sorted;
  for (int i = 0; i < n; i++) sorted[a[i].key] = a[i].value;
  std::string s = std::string("uattrs ") + user + " " + std::to_string(e);
  for (auto& kv : sorted) s += " " + kv.first + "=" + kv.second;
  add(s);
}

void Recorder::onGetChannelAttributesResult(long long, const IRtmChannelAttribute* a[], int n,
                                            ATTRIBUTE_OPERATION_ERR e) {
  std::map<std::string, std::string> sorted;
  for (int i = 0; i < n; i++)
    sorted[a[i]->getKey()] = std::string(a[i]->getValue()) + "@" + a[i]->getLastUpdateUserId() +
                             (a[i]->getLastUpdateTs() > 0 ? "" : "!ts");
  std::string s = "cattrs " + std::to_string(e);
  for (auto& kv : sorted) s += " " + kv.first + "=" + kv.second;
  add(s);
}

void Recorder::onGetChannelMemberCountResult(long long, const ChannelMemberCount* c, int n,
                                             GET_CHANNEL_MEMBER_COUNT_ERR_CODE e) {
  std::string s = "counts " + std::to_string(e);
  for (int i = 0; i < n; i++) s += std::string(" ") + c[i].channelId + "=" + std::to_string(c[i].count);
  add(s);
}

void Recorder::onGetMembers(IChannelMember** m, int n, GET_MEMBERS_ERR e) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; i++) ids.push_back(m[i]->getUserId());
  std::sort(ids.begin(), ids.end());
  std::string s = "members " + std::to_string(e);
  for (auto& id : ids) s += " " + id;
  add(s);
}

void Recorder::onAttributesUpdated(const IRtmChannelAttribute* a[], int n) {
  std::map<std::string, std::string> sorted;
  for (int i = 0; i < n; i++) sorted[a[i]->getKey()] = a[i]->getValue();
  std::string s = "attrs updated";
  for (auto& kv : sorted) s += " " + kv.first + "=" + kv.second;
  add(s);
}

void Recorder::onRemoteInvitationReceived(IRemoteCallInvitation* inv) {
  lastRemote = inv;
  add(std::string("rinv from ") + inv->getCallerId() + " ch=" + inv->getChannelId() +
      " content=" + inv->getContent());
}

IRtmService* makeService(Recorder& rec, const std::string& url, const char* appId) {
  IRtmService* s = createRtmService();
  if (s->initialize(appId, &rec) != 0) throw std::runtime_error("initialize failed");
  Json p = {{"parley.serverUrl", url},
            {"parley.reconnectBaseDelayMs", 50},
            {"parley.reconnectMaxDelayMs", 300}};
  if (s->setParameters(p.dump().c_str()) != 0) throw std::runtime_error("setParameters failed");
  return s;
}

IRtmService* loggedIn(Recorder& rec, const std::string& url, const std::string& user) {
  IRtmService* s = makeService(rec, url);
  if (s->login(nullptr, user.c_str()) != 0 || !rec.wait("login ok"))
    throw std::runtime_error("login failed for " + user);
  return s;
}

}  // namespace harness
