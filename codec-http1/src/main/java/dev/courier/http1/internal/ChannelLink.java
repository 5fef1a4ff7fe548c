package dev.courier.http1.internal;

import dev.courier.internal.WatchedOperation;
import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Sink;
import okio.Source;
import okio.Timeout;

/**
 * Links a transport to a connected, blocking {@link SocketChannel} that has no {@link
 * java.net.Socket}, such as a Unix domain socket channel. Its okio streams time out as a socket's
 * do: such a channel has no {@code SO_TIMEOUT}, so the shared coarse watchdog of the TCP sink
 * ({@link WatchedOperation}) closes the channel of a read or write past its deadline, which fails
 * the blocked operation with a {@link java.net.SocketTimeoutException} naming the socket file. A
 * read or write costs no timer of its own.
 *
 * <p>Reads and writes may run at once on different threads. The checks ({@link
 * #hasReadableBytes()}, {@link #staysQuiet}) switch the channel to non-blocking mode for a moment,
 * so they must be called only while nobody reads or writes. Thread-safe.
 */
public final class ChannelLink implements TransportLink {
  private final SocketChannel channel;
  private final String description;
  private final ReentrantLock probeLock = new ReentrantLock();
  private volatile boolean peerClosed;

  /**
   * Creates a link over {@code channel}, which must be connected and in blocking mode.
   *
   * @param description names the peer in messages, such as {@code unix:/run/app.sock}
   */
  public ChannelLink(SocketChannel channel, String description) {
    this.channel = Objects.requireNonNull(channel, "channel == null");
    this.description = Objects.requireNonNull(description, "description == null");
  }

  /** Returns a buffered stream from the peer, with a timeout that closes this link when it expires. */
  public BufferedSource source() {
    return Okio.buffer(new TimedSource());
  }

  /** Returns a buffered stream to the peer, with a timeout that closes this link when it expires. */
  public BufferedSink sink() {
    return Okio.buffer(new TimedSink());
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen() && channel.isConnected() && !peerClosed;
  }

  /** Reads at most one byte without blocking; a byte read is dropped, since one was not asked for. */
  @Override
  public boolean hasReadableBytes() {
    probeLock.lock();
    try {
      channel.configureBlocking(false);
      try {
        int read = channel.read(ByteBuffer.allocate(1));
        if (read < 0) {
          peerClosed = true;
        }
        return read != 0;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException e) {
      return true; // Closed or broken: nothing clean can be said about it.
    } finally {
      probeLock.unlock();
    }
  }

  /** Waits for readability with a selector for at most {@code timeoutMillis}. */
  @Override
  public boolean staysQuiet(int timeoutMillis) {
    probeLock.lock();
    try {
      boolean readable;
      try (Selector selector = Selector.open()) {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        readable = selector.select(Math.max(1, timeoutMillis)) > 0;
      } // Closing the selector deregisters the channel, so it may block again.
      channel.configureBlocking(true);
      return !readable;
    } catch (IOException e) {
      return false;
    } finally {
      probeLock.unlock();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The channel is unusable either way.
    }
  }

  @Override
  public String toString() {
    return "ChannelLink{" + description + "}";
  }

  /** Reads from the channel directly, so that a write on another thread never waits for a read. */
  private final class ChannelInputStream extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int read = read(one, 0, 1);
      return read == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      int read = channel.read(ByteBuffer.wrap(bytes, offset, length));
      if (read < 0) {
        peerClosed = true;
      }
      return read;
    }
  }

  /** Writes to the channel directly, so that a read on another thread never blocks a write. */
  private final class ChannelOutputStream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** Reads from the channel, each read bounded by {@link #timeout()}. */
  private final class TimedSource implements Source {
    private final Source in = Okio.source(new ChannelInputStream());
    private final Timeout timeout = new Timeout();
    private final WatchedOperation reads = new WatchedOperation(channel, "read from " + description);

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      boolean timed = reads.begin(timeout);
      try {
        return in.read(sink, byteCount);
      } catch (IOException e) {
        throw reads.failure(e);
      } finally {
        if (timed) {
          reads.end();
        }
      }
    }

    @Override
    public Timeout timeout() {
      return timeout;
    }

    /** Leaves the channel open: {@link ChannelLink#close()} closes it. */
    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Writes to the channel, each chunk of at most 64 KiB bounded by {@link #timeout()}, as okio's socket sink. */
  private final class TimedSink implements Sink {
    private static final long MAX_CHUNK = 64 * 1024;
    private final Sink out = Okio.sink(new ChannelOutputStream());
    private final Timeout timeout = new Timeout();
    private final WatchedOperation writes = new WatchedOperation(channel, "write to " + description);

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      while (byteCount > 0) {
        long chunk = Math.min(byteCount, MAX_CHUNK);
        boolean timed = writes.begin(timeout);
        try {
          out.write(source, chunk);
        } catch (IOException e) {
          throw writes.failure(e);
        } finally {
          if (timed) {
            writes.end();
          }
        }
        byteCount -= chunk;
      }
    }

    @Override
    public void flush() {
      // Writes go straight to the channel.
    }

    @Override
    public Timeout timeout() {
      return timeout;
    }

    /** Leaves the channel open: {@link ChannelLink#close()} closes it. */
    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
