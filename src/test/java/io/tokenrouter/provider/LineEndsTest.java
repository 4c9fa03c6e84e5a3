package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineEndsTest {
  @Test
  void findsALineFeedOrACarriageReturnAtEveryPositionOfAWordAndTheTail() {
    for (int length = 1; length <= 40; length++) {
      for (int at = 0; at < length; at++) {
        for (byte end : new byte[] {'\n', '\r'}) {
          byte[] bytes = filled(length, (byte) 'x');
          bytes[at] = end;

          assertThat(LineEnds.next(bytes, 0, length)).as("length %d, at %d", length, at).isEqualTo(at);
        }
      }
    }
  }

  @Test
  void returnsTheFirstOfSeveral() {
    byte[] bytes = "abcdefghij\r\nklmn\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(LineEnds.next(bytes, 0, bytes.length)).isEqualTo(10);
    assertThat(LineEnds.next(bytes, 11, bytes.length)).isEqualTo(11);
    assertThat(LineEnds.next(bytes, 12, bytes.length)).isEqualTo(16);
  }

  @Test
  void seesOnlyTheBytesBetweenItsBounds() {
    byte[] bytes = "\nabcdefghijklmnop\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(LineEnds.next(bytes, 1, bytes.length - 1)).isEqualTo(-1);
    assertThat(LineEnds.next(bytes, 1, 1)).isEqualTo(-1);
  }

  @Test
  void bytesNearALineEndAreNotMistakenForOne() {
    // each differs from LF or CR in one bit, or is a UTF-8 continuation byte with LF's or CR's low bits
    byte[] near = {0x00, 0x08, 0x0B, 0x0C, 0x0E, 0x1A, 0x1D, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, (byte) 0x8B};
    for (int length = 0; length <= 24; length++) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = near[i % near.length];
      }

      assertThat(LineEnds.next(bytes, 0, length)).isEqualTo(-1);
    }
  }

  @Test
  void agreesWithAByteByByteSearchOnRandomBytes() {
    Random random = new Random(13);
    for (int round = 0; round < 2_000; round++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from + 1);

      assertThat(LineEnds.next(bytes, from, to)).isEqualTo(byteByByte(bytes, from, to));
    }
  }

  private static int byteByByte(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
