// The library's free functions (extern "C"), and the deprecated IAgoraService entry point.
#include <atomic>

#include "IAgoraService.h"
#include "rtm_service.h"
#include "version.h"

namespace parley {

long long nextMessageId() {
  static std::atomic<long long> last{0};
  return ++last;
}

namespace {
class AgoraService : public agora::base::IAgoraService {
 public:
  void release() override { delete this; }
  int initialize(const agora::base::AgoraServiceContext&) override { return 0; }
  const char* getVersion(int* build) override {
    if (build) *build = PARLEY_RTM_SDK_BUILD;
    return PARLEY_RTM_SDK_VERSION;
  }
  agora::rtc::IRtcEngine* createRtcEngine() override { return nullptr; }
  agora::rtm::IRtmService* createRtmService() override { return agora::rtm::createRtmService(); }
};
}  // namespace

}  // namespace parley

namespace agora {
namespace rtm {

IRtmService* createRtmService() {
  try {
    return new parley::RtmService();
  } catch (...) {
    return nullptr;
  }
}

const char* getRtmSdkVersion() { return PARLEY_RTM_SDK_VERSION; }

SET_RTM_SERVICE_CONTEXT_ERR_CODE setRtmServiceContext(const RtmServiceContext&) {
  // Area codes and Agora's cloud proxy choose among Agora's data centres: a Parley deployment
  // is wherever PARLEY_SERVER_URL says, so any context is accepted and has no effect.
  return SET_RTM_SERVICE_CONTEXT_ERR_OK;
}

}  // namespace rtm
}  // namespace agora

const char* getAgoraSdkVersion(int* build) {
  if (build) *build = PARLEY_RTM_SDK_BUILD;
  return PARLEY_RTM_SDK_VERSION;
}

const char* getAgoraSdkErrorDescription(int err) {
  switch (err) {
    case 0: return "ok";
    case 2: return "invalid argument";
    case 4: return "not supported by Parley";
    default: return "error";
  }
}

agora::base::IAgoraService* createAgoraService() {
  try {
    return new parley::AgoraService();
  } catch (...) {
    return nullptr;
  }
}

int setAgoraSdkExternalSymbolLoader(void* (*)(const char*)) { return 0; }
