// The try/catch that keeps exceptions from crossing the public API: a method body between
// PARLEY_GUARD(code) and PARLEY_END(code) answers `code` if anything throws.
#ifndef PARLEY_API_GUARD_H
#define PARLEY_API_GUARD_H

#define PARLEY_GUARD(fail) \
  try {
#define PARLEY_END(fail)                                  \
  }                                                       \
  catch (...) {                                           \
    return fail;                                          \
  }

#endif
