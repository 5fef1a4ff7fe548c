package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds an exclusive lock on the lock file of a store directory, so that a second store, in this
 * process or another, cannot open the same directory. The lock file itself is left in place when
 * the lock is released.
 */
final class DirectoryLock {
  // Directories locked by this JVM. A second attempt in the same JVM must fail before it opens
  // the lock file: closing any handle on a file drops the process's OS lock on it, which would
  // let another process in while the first store is still open.
  private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the lock file in {@code directory} if needed and locks it.
   *
   * @throws IOException if the file cannot be opened, or another store holds the lock
   */
  static DirectoryLock acquire(Path directory) throws IOException {
    Path key = directory.toRealPath();
    if (!LOCKED_IN_THIS_JVM.add(key)) {
      throw inUse(directory);
    }
    try {
      FileChannel channel = FileChannel.open(directory.resolve(DiskStore.LOCK_FILE),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | OverlappingFileLockException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        throw inUse(directory);
      }
      return new DirectoryLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      LOCKED_IN_THIS_JVM.remove(key);
      throw e;
    }
  }

  private static IOException inUse(Path directory) {
    return new IOException("cache directory " + directory + " is in use by another cache");
  }

  /** Releases the lock and closes the lock file. */
  void release() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        LOCKED_IN_THIS_JVM.remove(key);
      }
    }
  }
}
