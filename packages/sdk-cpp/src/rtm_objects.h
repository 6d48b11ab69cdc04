// The small value objects of the RTM API: messages, channel members, channel attributes.
// Objects the SDK hands to a callback are "lent": release() on them does nothing, and they
// die when the callback returns. Objects the app creates are deleted by release().
#ifndef PARLEY_RTM_OBJECTS_H
#define PARLEY_RTM_OBJECTS_H

#include <atomic>
#include <string>

#include "IAgoraRtmService.h"

namespace parley {

using namespace agora::rtm;

long long nextMessageId();

class MessageImpl : public IMessage {
 public:
  explicit MessageImpl(MESSAGE_TYPE type, bool lent = false)
      : id_(nextMessageId()), type_(type), lent_(lent) {}
  long long getMessageId() const override { return id_; }
  MESSAGE_TYPE getMessageType() const override { return type_; }
  void setText(const char* str) override {
    text_ = str ? str : "";
    if (type_ == MESSAGE_TYPE_UNDEFINED) type_ = MESSAGE_TYPE_TEXT;
  }
  const char* getText() const override { return text_.c_str(); }
  const char* getRawMessageData() const override { return raw_.data(); }
  int getRawMessageLength() const override { return int(raw_.size()); }
  long long getServerReceivedTs() const override { return ts_; }
  bool isOfflineMessage() const override { return offline_; }
  void release() override {
    if (!lent_) delete this;
  }

  std::string text_, raw_;
  long long ts_ = 0;
  bool offline_ = false;

 private:
  long long id_;
  MESSAGE_TYPE type_;
  bool lent_;
};

/** A file or image message by media id: it can be made, but Parley cannot send it. */
template <class Base, MESSAGE_TYPE Type, class ThumbLength>
class MediaMessageImpl : public Base {
 public:
  explicit MediaMessageImpl(const char* mediaId) : id_(nextMessageId()), media_(mediaId) {}
  long long getMessageId() const override { return id_; }
  MESSAGE_TYPE getMessageType() const override { return Type; }
  void setText(const char* str) override { text_ = str ? str : ""; }
  const char* getText() const override { return text_.c_str(); }
  const char* getRawMessageData() const override { return nullptr; }
  int getRawMessageLength() const override { return 0; }
  long long getServerReceivedTs() const override { return 0; }
  bool isOfflineMessage() const override { return false; }
  void release() override { delete this; }
  long long getSize() const override { return 0; }
  const char* getMediaId() const override { return media_.c_str(); }
  void setThumbnail(const uint8_t* data, ThumbLength length) override {
    thumb_ = data && length > 0 ? std::string(reinterpret_cast<const char*>(data), size_t(length))
                                : std::string();
  }
  const char* getThumbnailData() const override { return thumb_.data(); }
  const long long getThumbnailLength() const override { return (long long)thumb_.size(); }
  void setFileName(const char* name) override { name_ = name ? name : ""; }
  const char* getFileName() const override { return name_.c_str(); }

 protected:
  long long id_;
  std::string media_, text_, thumb_, name_;
};

using FileMessageImpl = MediaMessageImpl<IFileMessage, MESSAGE_TYPE_FILE, int>;

class ImageMessageImpl : public MediaMessageImpl<IImageMessage, MESSAGE_TYPE_IMAGE, long long> {
 public:
  using MediaMessageImpl::MediaMessageImpl;
  void setWidth(int v) override { w_ = v; }
  int getWidth() const override { return w_; }
  void setHeight(int v) override { h_ = v; }
  int getHeight() const override { return h_; }
  void setThumbnailWidth(int v) override { tw_ = v; }
  int getThumbnailWidth() const override { return tw_; }
  void setThumbnailHeight(int v) override { th_ = v; }
  int getThumbnailHeight() const override { return th_; }

 private:
  int w_ = 0, h_ = 0, tw_ = 0, th_ = 0;
};

class MemberImpl : public IChannelMember {
 public:
  MemberImpl(const std::string& user, const std::string& channel) : user_(user), channel_(channel) {}
  const char* getUserId() const override { return user_.c_str(); }
  const char* getChannelId() const override { return channel_.c_str(); }
  void release() override {}  // always lent

 private:
  std::string user_, channel_;
};

class ChannelAttributeImpl : public IRtmChannelAttribute {
 public:
  explicit ChannelAttributeImpl(bool lent = false) : lent_(lent) {}
  void setKey(const char* key) override { key_ = key ? key : ""; }
  const char* getKey() const override { return key_.c_str(); }
  void setValue(const char* value) override { value_ = value ? value : ""; }
  const char* getValue() const override { return value_.c_str(); }
  const char* getLastUpdateUserId() const override { return user_.c_str(); }
  long long getLastUpdateTs() const override { return ts_; }
  void release() override {
    if (!lent_) delete this;
  }

  std::string key_, value_, user_;
  long long ts_ = 0;

 private:
  bool lent_;
};

}  // namespace parley

#endif
