// Deprecated since Agora RTM 1.2.2 (use createRtmService()), kept so old apps compile.
// Written from the interface contract of Agora's IAgoraService.h. C++11.
#ifndef PARLEY_AGORA_SERVICE_H
#define PARLEY_AGORA_SERVICE_H

#include "AgoraBase.h"
#include "IAgoraRtmService.h"

namespace agora {
namespace rtc {
class IRtcEngine;
}
namespace base {

struct AgoraServiceContext {};

class IAgoraService {
 protected:
  virtual ~IAgoraService() {}

 public:
  virtual void release() = 0;
  virtual int initialize(const AgoraServiceContext& context) = 0;
  virtual const char* getVersion(int* build) = 0;
  // Parley has no RTC engine: answers NULL.
  virtual rtc::IRtcEngine* createRtcEngine() = 0;
  virtual rtm::IRtmService* createRtmService() = 0;
};

}  // namespace base
}  // namespace agora

AGORA_API const char* AGORA_CALL getAgoraSdkVersion(int* build);
AGORA_API const char* AGORA_CALL getAgoraSdkErrorDescription(int err);
AGORA_API agora::base::IAgoraService* AGORA_CALL createAgoraService();
AGORA_API int AGORA_CALL setAgoraSdkExternalSymbolLoader(void* (*func)(const char* symname));

#endif  // PARLEY_AGORA_SERVICE_H
