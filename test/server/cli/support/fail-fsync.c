/*
 * LD_PRELOAD shim for the fsync-failure test: once the file named by LOGWAY_FAIL_FSYNC_WHEN
 * exists, fsync() and fdatasync() fail with EIO (what a dying disk or a remounted-read-only
 * filesystem reports). Before that they pass through to libc. Built by test/server/cli/start-fsync.test.ts.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static int should_fail(void) {
  const char *trigger = getenv("LOGWAY_FAIL_FSYNC_WHEN");
  return trigger != NULL && access(trigger, F_OK) == 0;
}

int fsync(int fd) {
  static int (*real_fsync)(int) = NULL;
  if (should_fail()) { errno = EIO; return -1; }
  if (!real_fsync) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return real_fsync(fd);
}

int fdatasync(int fd) {
  static int (*real_fdatasync)(int) = NULL;
  if (should_fail()) { errno = EIO; return -1; }
  if (!real_fdatasync) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return real_fdatasync(fd);
}
