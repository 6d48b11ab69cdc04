#ifndef PARLEY_VERSION_H
#define PARLEY_VERSION_H
// The Agora RTM API version this SDK implements, and Parley's own version after the '+'.
#define PARLEY_RTM_SDK_VERSION "1.4.10+parley.0.1.0"
#define PARLEY_RTM_SDK_BUILD 1
#endif
