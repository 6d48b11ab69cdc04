// The one translation unit that includes Boost.Asio and Boost.Beast (they cost ~40 s to
// compile): the SDK thread's event loop and ws:// / wss:// client sockets. See transport.h.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <thread>

#include "transport.h"

namespace parley {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, path;
};

bool parseUrl(const std::string& url, Url& out) {
  std::string rest;
  if (url.compare(0, 5, "ws://") == 0) {
    rest = url.substr(5);
  } else if (url.compare(0, 6, "wss://") == 0) {
    out.tls = true;
    rest = url.substr(6);
  } else {
    return false;
  }
  size_t slash = rest.find('/');
  std::string authority = slash == std::string::npos ? rest : rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return false;
  if (authority[0] == '[') {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      out.port = authority.substr(close + 2);
  } else {
    size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) out.port = authority.substr(colon + 1);
  }
  if (out.port.empty()) out.port = out.tls ? "443" : "80";
  return !out.host.empty();
}

class Sock : public std::enable_shared_from_this<Sock> {
 public:
  Sock(long id, SocketEvents ev) : id_(id), ev_(std::move(ev)) {}
  virtual ~Sock() {}
  virtual void start(const Url& url, const std::string& protocol) = 0;
  virtual void write(std::string text) = 0;
  virtual void shut() = 0;

 protected:
  void fail(const std::string& why) {
    if (dead_) return;
    dead_ = true;
    if (ev_.closed) ev_.closed(why);
    if (onGone_) onGone_(id_);
  }

 public:
  long id_;
  SocketEvents ev_;
  bool dead_ = false;
  std::function<void(long)> onGone_;
};

template <bool Tls>
class WsSock : public Sock {
  using Lowest = beast::tcp_stream;
  using Next = typename std::conditional<Tls, beast::ssl_stream<Lowest>, Lowest>::type;

 public:
  WsSock(long id, SocketEvents ev, net::io_context& io, net::ssl::context* ctx)
      : Sock(id, std::move(ev)), resolver_(io), ws_(make(io, ctx)), closeTimer_(io) {}

  void start(const Url& url, const std::string& protocol) override {
    url_ = url;
    protocol_ = protocol;
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    resolver_.async_resolve(url.host, url.port,
                            [self](beast::error_code ec, tcp::resolver::results_type r) {
                              if (ec) return self->fail("resolve: " + ec.message());
                              self->onResolved(r);
                            });
  }

  void write(std::string text) override {
    if (dead_) return;
    out_.push_back(std::move(text));
    if (open_ && !writing_) writeNext();
  }

  void shut() override {
    dead_ = true;
    beast::error_code ec;
    resolver_.cancel();
    if (open_) {
      // A clean close (1000), bounded by a timer of its own: the stream's expiry cannot be set
      // while a read and a write are both pending.
      auto self = std::static_pointer_cast<WsSock>(shared_from_this());
      closeTimer_.expires_after(std::chrono::seconds(2));
      closeTimer_.async_wait([self](beast::error_code ec) {
        if (ec) return;
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
      });
      ws_.async_close(websocket::close_code::normal, [self](beast::error_code) {
        beast::error_code ignored;
        self->closeTimer_.cancel();
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
      });
    } else {
      beast::get_lowest_layer(ws_).socket().close(ec);
    }
  }

 private:
  static Next make(net::io_context& io, net::ssl::context* ctx) { return makeNext(io, ctx); }
  template <bool T = Tls>
  static typename std::enable_if<T, Next>::type makeNext(net::io_context& io,
                                                         net::ssl::context* ctx) {
    return Next(io, *ctx);
  }
  template <bool T = Tls>
  static typename std::enable_if<!T, Next>::type makeNext(net::io_context& io,
                                                          net::ssl::context*) {
    return Next(io);
  }

  void onResolved(const tcp::resolver::results_type& results) {
    if (dead_) return;
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws_).async_connect(
        results, [self](beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
          if (ec) return self->fail("connect: " + ec.message());
          self->onConnected();
        });
  }

  void onConnected() {
    if (dead_) return;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    tlsHandshake();
  }

  template <bool T = Tls>
  typename std::enable_if<T>::type tlsHandshake() {
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    auto& ssl = ws_.next_layer();
    if (!SSL_set_tlsext_host_name(ssl.native_handle(), url_.host.c_str()))
      return fail("tls: cannot set the server name");
    ssl.set_verify_mode(net::ssl::verify_peer);
    ssl.set_verify_callback(net::ssl::host_name_verification(url_.host));
    ssl.async_handshake(net::ssl::stream_base::client, [self](beast::error_code ec) {
      if (ec) return self->fail("tls: " + ec.message());
      self->wsHandshake();
    });
  }
  template <bool T = Tls>
  typename std::enable_if<!T>::type tlsHandshake() {
    wsHandshake();
  }

  void wsHandshake() {
    if (dead_) return;
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t =
        websocket::stream_base::timeout::suggested(beast::role_type::client);
    t.handshake_timeout = std::chrono::seconds(10);
    ws_.set_option(t);
    std::string protocol = protocol_;
    ws_.set_option(websocket::stream_base::decorator([protocol](websocket::request_type& req) {
      req.set(http::field::sec_websocket_protocol, protocol);
      req.set(http::field::user_agent, "parley-rtm-cpp");
    }));
    bool defaultPort = url_.port == (url_.tls ? "443" : "80");
    std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    if (!defaultPort) host += ":" + url_.port;
    ws_.async_handshake(res_, host, url_.path, [self](beast::error_code ec) {
      if (ec) return self->fail("handshake: " + ec.message());
      if (self->res_[http::field::sec_websocket_protocol] != self->protocol_)
        return self->fail("handshake: the server did not accept subprotocol " + self->protocol_);
      self->open_ = true;
      if (self->dead_) return;
      if (self->ev_.open) self->ev_.open();
      self->readNext();
      if (!self->out_.empty() && !self->writing_) self->writeNext();
    });
  }

  void readNext() {
    if (dead_) return;
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    ws_.async_read(buf_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("read: " + ec.message());
      if (self->dead_) return;
      std::string text = beast::buffers_to_string(self->buf_.data());
      self->buf_.consume(self->buf_.size());
      if (self->ev_.message) self->ev_.message(std::move(text));
      self->readNext();
    });
  }

  void writeNext() {
    if (dead_ || out_.empty()) return;
    writing_ = true;
    auto self = std::static_pointer_cast<WsSock>(shared_from_this());
    ws_.text(true);
    ws_.async_write(net::buffer(out_.front()), [self](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->fail("write: " + ec.message());
      self->out_.pop_front();
      self->writeNext();
    });
  }

  tcp::resolver resolver_;
  websocket::stream<Next> ws_;
  beast::flat_buffer buf_;
  websocket::response_type res_;
  net::steady_timer closeTimer_;
  Url url_;
  std::string protocol_;
  std::deque<std::string> out_;
  bool open_ = false;
  bool writing_ = false;
};

class BeastTransport : public Transport {
 public:
  BeastTransport() : work_(net::make_work_guard(io_)), tls_(net::ssl::context::tls_client) {
    beast::error_code ec;
    tls_.set_default_verify_paths(ec);
    if (const char* ca = std::getenv("PARLEY_TLS_CA_FILE")) tls_.load_verify_file(ca, ec);
    thread_ = std::thread([this] { run(); });
  }

  ~BeastTransport() override {
    if (thread_.joinable()) stop();
  }

  void post(std::function<void()> task) override { net::post(io_, std::move(task)); }

  void every(int ms, std::function<void()> tick) override {
    // Timers are touched only on the loop thread.
    net::post(io_, [this, ms, tick]() mutable {
      auto timer = std::make_shared<net::steady_timer>(io_);
      timers_.push_back(timer);
      schedule(timer, ms, std::make_shared<std::function<void()>>(std::move(tick)));
    });
  }

  long connect(const std::string& url, const std::string& subprotocol,
               SocketEvents events) override {
    long id = ++nextId_;
    net::post(io_, [this, id, url, subprotocol, events]() mutable {
      Url u;
      std::shared_ptr<Sock> s;
      if (parseUrl(url, u)) {
        if (u.tls)
          s = std::make_shared<WsSock<true>>(id, std::move(events), io_, &tls_);
        else
          s = std::make_shared<WsSock<false>>(id, std::move(events), io_, nullptr);
      }
      if (!s) {
        if (events.closed) events.closed("bad url " + url);
        return;
      }
      s->onGone_ = [this](long gone) { socks_.erase(gone); };
      socks_[id] = s;
      s->start(u, subprotocol);
    });
    return id;
  }

  void send(long socket, std::string text) override {
    net::post(io_, [this, socket, text = std::move(text)]() mutable {
      auto it = socks_.find(socket);
      if (it != socks_.end()) it->second->write(std::move(text));
    });
  }

  void close(long socket) override {
    net::post(io_, [this, socket] {
      auto it = socks_.find(socket);
      if (it == socks_.end()) return;
      std::shared_ptr<Sock> s = it->second;
      socks_.erase(it);
      s->shut();
    });
  }

  bool onLoopThread() const override { return std::this_thread::get_id() == loopId_.load(); }

  void stop() override {
    io_.stop();
    if (thread_.joinable()) thread_.join();
    socks_.clear();
    timers_.clear();
  }

  void stopFromLoop(std::function<void()> last) override {
    last_ = std::move(last);
    thread_.detach();
    io_.stop();
  }

 private:
  void run() {
    loopId_ = std::this_thread::get_id();
    for (;;) {
      try {
        io_.run();
        break;
      } catch (...) {
        // A handler threw (never by design): keep the loop alive.
      }
    }
    if (last_) {
      std::function<void()> last = std::move(last_);
      socks_.clear();
      timers_.clear();
      last();  // may delete this transport: touch nothing after it
    }
  }

  void schedule(std::shared_ptr<net::steady_timer> timer, int ms,
                std::shared_ptr<std::function<void()>> tick) {
    timer->expires_after(std::chrono::milliseconds(ms));
    std::weak_ptr<net::steady_timer> weak = timer;
    timer->async_wait([this, weak, ms, tick](beast::error_code ec) {
      auto t = weak.lock();
      if (ec || !t) return;
      (*tick)();
      schedule(t, ms, tick);
    });
  }

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  net::ssl::context tls_;
  std::map<long, std::shared_ptr<Sock>> socks_;
  std::vector<std::shared_ptr<net::steady_timer>> timers_;
  std::atomic<long> nextId_{0};
  std::atomic<std::thread::id> loopId_{};
  std::function<void()> last_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Transport> createTransport() {
  return std::unique_ptr<Transport>(new BeastTransport());
}

}  // namespace parley
