package dev.courier.testing.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Derives new fuzz inputs from old ones with byte-level mutations: bit flips, random and
 * interesting bytes, big-endian integers at boundaries, inserted, deleted, duplicated and repeated
 * ranges, ASCII numbers swapped for boundary numbers, dictionary tokens, and splices with other
 * inputs of the pool. All choices come from the {@link SplittableRandom} it is given, so one seed
 * yields one sequence of inputs. Not thread-safe.
 */
public final class ByteMutator {
  private static final byte[] INTERESTING_BYTES = {
    0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\r', '\n', ' ', '\t', ':', ';', ',', '=', '%', '/', '?',
    '#', '@', '[', ']', '"', '\\', '.', '-', '0', '9', 'a', 'f', 'F', 'x', (byte) 0xc3, (byte) 0xe2,
  };

  private static final long[] INTERESTING_INTS = {
    0, 1, 2, 5, 6, 8, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x4001, 0x7fff, 0x8000, 0xffff,
    0x10000, 0xffffff, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL,
  };

  private static final byte[][] INTERESTING_NUMBERS = ascii(
      "0", "-1", "1", "00", "007", "100", "199", "200", "999", "1000", "255", "256", "65535",
      "65536", "2147483647", "2147483648", "4294967295", "4294967296", "9223372036854775807",
      "9223372036854775808", "18446744073709551616", "99999999999999999999999", "1e3", "+1", "0x10",
      "7fffffff", "ffffffffffffffff", "10000000000000000");

  private static final int MAX_STACKED_MUTATIONS = 8;

  private final SplittableRandom random;
  private final List<byte[]> dictionary;
  private final int maxInputBytes;

  /**
   * Creates a mutator.
   *
   * @param dictionary tokens of the input format, such as header names; may be empty
   * @param maxInputBytes inputs are cut to this many bytes
   */
  public ByteMutator(SplittableRandom random, List<byte[]> dictionary, int maxInputBytes) {
    this.random = random;
    this.dictionary = dictionary;
    this.maxInputBytes = maxInputBytes;
  }

  /** Returns a mutated copy of {@code input}; {@code pool} supplies material for splices. */
  public byte[] mutate(byte[] input, List<byte[]> pool) {
    byte[] result = input;
    int count = 1 + random.nextInt(MAX_STACKED_MUTATIONS);
    for (int i = 0; i < count; i++) {
      result = mutateOnce(result, pool);
    }
    return result.length > maxInputBytes ? Arrays.copyOf(result, maxInputBytes) : result;
  }

  private byte[] mutateOnce(byte[] in, List<byte[]> pool) {
    if (in.length == 0) {
      return insert(in, 0, randomBytes(1 + random.nextInt(8)));
    }
    switch (random.nextInt(15)) {
      case 0: {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1: {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
      }
      case 2: {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        return out;
      }
      case 3:
        return overwriteInteger(in);
      case 4:
        return insert(in, random.nextInt(in.length + 1), randomBytes(1 + random.nextInt(8)));
      case 5:
        return deleteRange(in);
      case 6:
        return duplicateRange(in);
      case 7:
        return repeatRange(in);
      case 8:
        return replaceNumber(in);
      case 9:
      case 10:
        return dictionary.isEmpty() ? deleteRange(in) : insert(in, random.nextInt(in.length + 1), token());
      case 11:
        return dictionary.isEmpty() ? duplicateRange(in) : overwrite(in, token());
      case 12:
        return splice(in, pool.get(random.nextInt(pool.size())));
      case 13:
        return insertFrom(in, pool.get(random.nextInt(pool.size())));
      default:
        return Arrays.copyOf(in, random.nextInt(in.length));
    }
  }

  private byte[] token() {
    return dictionary.get(random.nextInt(dictionary.size()));
  }

  private byte[] randomBytes(int count) {
    byte[] result = new byte[count];
    for (int i = 0; i < count; i++) {
      result[i] = random.nextBoolean()
          ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]
          : (byte) random.nextInt(256);
    }
    return result;
  }

  /** Writes a boundary integer, big-endian, over 1 to 4 bytes: frame lengths, sizes, ids. */
  private byte[] overwriteInteger(byte[] in) {
    int width = 1 + random.nextInt(Math.min(4, in.length));
    int at = random.nextInt(in.length - width + 1);
    long value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
    if (random.nextInt(4) == 0) {
      value += random.nextInt(3) - 1;
    }
    byte[] out = in.clone();
    for (int i = width - 1; i >= 0; i--) {
      out[at + i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  private byte[] deleteRange(byte[] in) {
    int length = 1 + random.nextInt(Math.min(in.length, random.nextBoolean() ? 4 : 64));
    int at = random.nextInt(in.length - length + 1);
    byte[] out = new byte[in.length - length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(in, at + length, out, at, in.length - at - length);
    return out;
  }

  private byte[] duplicateRange(byte[] in) {
    int length = 1 + random.nextInt(Math.min(in.length, 64));
    int from = random.nextInt(in.length - length + 1);
    return insert(in, random.nextInt(in.length + 1), Arrays.copyOfRange(in, from, from + length));
  }

  /** Repeats a short range many times, to reach limits and loops that small inputs never reach. */
  private byte[] repeatRange(byte[] in) {
    int length = 1 + random.nextInt(Math.min(in.length, 16));
    int from = random.nextInt(in.length - length + 1);
    int copies = 2 + random.nextInt(Math.max(1, Math.min(512, (maxInputBytes - in.length) / length)));
    byte[] run = new byte[length * copies];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(in, from, run, i * length, length);
    }
    return insert(in, from, run);
  }

  /** Replaces the ASCII number at or after a random offset with a boundary number. */
  private byte[] replaceNumber(byte[] in) {
    int start = random.nextInt(in.length);
    while (start < in.length && !isDigit(in[start])) {
      start++;
    }
    byte[] number = INTERESTING_NUMBERS[random.nextInt(INTERESTING_NUMBERS.length)];
    if (start == in.length) {
      return insert(in, random.nextInt(in.length + 1), number);
    }
    int end = start;
    while (end < in.length && isDigit(in[end])) {
      end++;
    }
    byte[] out = new byte[in.length - (end - start) + number.length];
    System.arraycopy(in, 0, out, 0, start);
    System.arraycopy(number, 0, out, start, number.length);
    System.arraycopy(in, end, out, start + number.length, in.length - end);
    return out;
  }

  private byte[] overwrite(byte[] in, byte[] token) {
    int at = random.nextInt(in.length);
    byte[] out = in.length >= at + token.length ? in.clone() : Arrays.copyOf(in, at + token.length);
    System.arraycopy(token, 0, out, at, token.length);
    return out;
  }

  /** Joins a prefix of {@code in} to a suffix of {@code other}. */
  private byte[] splice(byte[] in, byte[] other) {
    int cut = random.nextInt(in.length + 1);
    int otherCut = other.length == 0 ? 0 : random.nextInt(other.length + 1);
    byte[] out = new byte[cut + other.length - otherCut];
    System.arraycopy(in, 0, out, 0, cut);
    System.arraycopy(other, otherCut, out, cut, other.length - otherCut);
    return out;
  }

  private byte[] insertFrom(byte[] in, byte[] other) {
    if (other.length == 0) {
      return in;
    }
    int length = 1 + random.nextInt(Math.min(other.length, 256));
    int from = random.nextInt(other.length - length + 1);
    return insert(in, random.nextInt(in.length + 1), Arrays.copyOfRange(other, from, from + length));
  }

  private static byte[] insert(byte[] in, int at, byte[] bytes) {
    byte[] out = new byte[in.length + bytes.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(in, at, out, at + bytes.length, in.length - at);
    return out;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static byte[][] ascii(String... strings) {
    byte[][] result = new byte[strings.length][];
    for (int i = 0; i < strings.length; i++) {
      result[i] = strings[i].getBytes(StandardCharsets.US_ASCII);
    }
    return result;
  }
}
