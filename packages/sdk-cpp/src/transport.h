// The transport seam: the SDK's own thread (an event loop) and WebSocket client sockets on it.
//
// This header includes no Asio or Beast, so that only transport_beast.cpp pays their compile
// time. Contract:
// - Every event (open, message, close, timer, posted task) runs on the loop thread, one at a
//   time, in the order it happened.
// - post(), send() and close() may be called from any thread.
// - A socket is named by an id; events of a socket that was closed by close() never arrive.
#ifndef PARLEY_TRANSPORT_H
#define PARLEY_TRANSPORT_H

#include <functional>
#include <memory>
#include <string>

namespace parley {

struct SocketEvents {
  std::function<void()> open;
  std::function<void(std::string&& text)> message;
  /** The socket is gone (after a failed connect too); `why` is for the log. */
  std::function<void(const std::string& why)> closed;
};

class Transport {
 public:
  virtual ~Transport() {}
  virtual void post(std::function<void()> task) = 0;
  /** Calls `tick` every `ms` milliseconds on the loop thread until stop. */
  virtual void every(int ms, std::function<void()> tick) = 0;
  /** Opens a WebSocket to `url` (ws:// or wss://) with `subprotocol`; answers its id. */
  virtual long connect(const std::string& url, const std::string& subprotocol,
                       SocketEvents events) = 0;
  virtual void send(long socket, std::string text) = 0;
  virtual void close(long socket) = 0;
  virtual bool onLoopThread() const = 0;
  /** Stops the loop and joins its thread. Not from the loop thread. */
  virtual void stop() = 0;
  /**
   * From the loop thread: the loop stops after the current task, and `last` runs on the loop
   * thread once nothing of the transport is in use any more (it may delete the transport).
   */
  virtual void stopFromLoop(std::function<void()> last) = 0;
};

std::unique_ptr<Transport> createTransport();

}  // namespace parley

#endif
