package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds an exclusive lock on the lock file of a store directory, so that a second store, in this
 * process or another, cannot open the same directory. The lock file itself is left in place when
 * the lock is released.
 */
final class DirectoryLock {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the lock file in {@code directory} if needed and locks it.
   *
   * @throws IOException if the file cannot be opened, or another store holds the lock
   */
  static DirectoryLock acquire(Path directory) throws IOException {
    FileChannel channel = FileChannel.open(directory.resolve(DiskStore.LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Another store in this JVM holds it; the JVM reports that instead of returning null.
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("cache directory " + directory + " is in use by another cache");
    }
    return new DirectoryLock(channel, lock);
  }

  /** Releases the lock and closes the lock file. */
  void release() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
