// The harness's TCP proxy (see harness.h): forwards every connection to a port and can cut
// them all and refuse new ones, for the reconnect and resume tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness.h"

namespace harness {

Proxy::Proxy(int targetPort) : target_(targetPort) {
  listen_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_, 16) != 0)
    throw std::runtime_error("proxy: cannot listen");
  socklen_t len = sizeof a;
  getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
  url = "ws://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  thread_ = std::thread([this] { run(); });
}

Proxy::~Proxy() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_);
}

void Proxy::cut() {
  blocked_ = true;
  cutNow_ = true;
}

void Proxy::restore() { blocked_ = false; }

void Proxy::run() {
  std::vector<std::pair<int, int>> pairs;  // (inbound, outbound)
  while (!stop_) {
    if (cutNow_.exchange(false)) {
      for (auto& p : pairs) {
        close(p.first);
        close(p.second);
      }
      pairs.clear();
    }
    std::vector<pollfd> fds;
    fds.push_back({listen_, POLLIN, 0});
    for (auto& p : pairs) {
      fds.push_back({p.first, POLLIN, 0});
      fds.push_back({p.second, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), 50) <= 0) continue;
    size_t polled = pairs.size();  // pairs accepted below were not polled yet
    if (fds[0].revents & POLLIN) {
      int in = accept(listen_, nullptr, nullptr);
      if (in >= 0) {
        if (blocked_) {
          close(in);
        } else {
          int out = socket(AF_INET, SOCK_STREAM, 0);
          sockaddr_in a{};
          a.sin_family = AF_INET;
          a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          a.sin_port = htons(uint16_t(target_));
          if (connect(out, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
            pairs.push_back({in, out});
          } else {
            close(in);
            close(out);
          }
        }
      }
    }
    std::vector<size_t> dead;
    for (size_t i = 0; i < polled; i++) {
      for (int side = 0; side < 2; side++) {
        pollfd& f = fds[1 + i * 2 + side];
        if (!(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[16384];
        ssize_t n = read(f.fd, buf, sizeof buf);
        int to = side == 0 ? pairs[i].second : pairs[i].first;
        if (n <= 0 || write(to, buf, size_t(n)) != n) {
          dead.push_back(i);
          break;
        }
      }
    }
    for (auto it = dead.rbegin(); it != dead.rend(); ++it) {
      close(pairs[*it].first);
      close(pairs[*it].second);
      pairs.erase(pairs.begin() + long(*it));
    }
  }
  for (auto& p : pairs) {
    close(p.first);
    close(p.second);
  }
}

}  // namespace harness
