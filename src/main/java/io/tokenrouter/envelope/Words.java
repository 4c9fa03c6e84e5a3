package io.tokenrouter.envelope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of a body read as one {@code long}, and the bit tests that find a byte in them:
 * how a body of a few hundred kilobytes is searched at a word a step instead of a byte. Each test
 * flags the lowest matching byte exactly; flags above it may be false, so a caller steps to the
 * lowest and looks at the bytes from there.
 */
final class Words {
  static final int SIZE = Long.BYTES;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Words() {}

  /** The eight bytes from {@code i}, the first the lowest. */
  static long at(byte[] bytes, int i) {
    return (long) LONGS.get(bytes, i);
  }

  /** Every byte set to {@code b}, to find it with {@link #zeroBytes} after an exclusive or. */
  static long repeated(char b) {
    return ONES * b;
  }

  /** A high bit in each byte that is zero. */
  static long zeroBytes(long word) {
    return (word - ONES) & ~word & HIGHS;
  }

  /** A high bit in each byte that is zero or not ASCII. */
  static long zeroOrHighBytes(long word) {
    return ((word - ONES) | word) & HIGHS;
  }

  /** The index within the word of the lowest flagged byte. */
  static int lowest(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }
}
