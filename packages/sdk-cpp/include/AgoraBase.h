// The part of Agora's shared AgoraBase.h that RTM apps use: AutoPtr, IString, and the
// agora::LOG_FILTER_TYPE of the RTC SDK. Written from the interface contract. C++11.
#ifndef PARLEY_AGORA_BASE_H
#define PARLEY_AGORA_BASE_H

#include <cstddef>

namespace agora {

enum LOG_FILTER_TYPE {
  LOG_FILTER_OFF = 0,
  LOG_FILTER_DEBUG = 0x080f,
  LOG_FILTER_INFO = 0x000f,
  LOG_FILTER_WARN = 0x000e,
  LOG_FILTER_ERROR = 0x000c,
  LOG_FILTER_CRITICAL = 0x0008,
  LOG_FILTER_MASK = 0x80f,
};

namespace util {

template <class T>
class AutoPtr {
  typedef T value_type;
  typedef T* pointer_type;

 public:
  explicit AutoPtr(pointer_type p = NULL) : ptr_(p) {}
  ~AutoPtr() {
    if (ptr_) ptr_->release();
  }
  operator bool() const { return ptr_ != NULL; }
  value_type& operator*() const { return *get(); }
  pointer_type operator->() const { return get(); }
  pointer_type get() const { return ptr_; }
  pointer_type release() {
    pointer_type tmp = ptr_;
    ptr_ = NULL;
    return tmp;
  }
  void reset(pointer_type ptr = NULL) {
    if (ptr != ptr_ && ptr_) ptr_->release();
    ptr_ = ptr;
  }
  template <class C1, class C2>
  bool queryInterface(C1* c, C2 iid) {
    pointer_type p = NULL;
    if (c && !c->queryInterface(iid, reinterpret_cast<void**>(&p))) reset(p);
    return p != NULL;
  }

 private:
  AutoPtr(const AutoPtr&);
  AutoPtr& operator=(const AutoPtr&);
  pointer_type ptr_;
};

class IString {
 protected:
  virtual ~IString() {}

 public:
  virtual bool empty() const = 0;
  virtual const char* c_str() = 0;
  virtual const char* data() = 0;
  virtual size_t length() = 0;
  virtual void release() = 0;
};
typedef AutoPtr<IString> AString;

}  // namespace util
}  // namespace agora

#endif  // PARLEY_AGORA_BASE_H
