// Mutex: a reader/writer lock with Abseil's thread-safety annotations, built
// on std::shared_mutex.
//
// Why not absl::Mutex: Debian's Abseil is not built with ThreadSanitizer,
// so TSan cannot see absl::Mutex's synchronisation and reports false races.
// std::shared_mutex is a pthread rwlock, which TSan intercepts; the
// annotations keep clang's -Wthread-safety checks.
//
//   Mutex mu_;
//   int value_ ABSL_GUARDED_BY(mu_);
//   { MutexLock lock(&mu_); ++value_; }
//   { ReaderMutexLock lock(&mu_); return value_; }
#ifndef VECDB_COMMON_MUTEX_H_
#define VECDB_COMMON_MUTEX_H_

#include <shared_mutex>

#include "absl/base/thread_annotations.h"

namespace vecdb {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() { mu_.lock_shared(); }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock_shared(); }

 private:
  std::shared_mutex mu_;
};

// Holds `mu` exclusively for its scope.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// Holds `mu` shared for its scope.
class ABSL_SCOPED_LOCKABLE ReaderMutexLock {
 public:
  explicit ReaderMutexLock(Mutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu)
      : mu_(mu) {
    mu_->ReaderLock();
  }
  ~ReaderMutexLock() ABSL_UNLOCK_FUNCTION() { mu_->ReaderUnlock(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace vecdb

#endif  // VECDB_COMMON_MUTEX_H_
