package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TurnMemoryTest {
  private final IdentityMemo<Object, String> memo = new IdentityMemo<>();
  private final TurnMemory memory = new TurnMemory();

  private static List<Object> parts(int n) {
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(new Object());
    }
    return parts;
  }

  @Test
  void aNextTurnReadsEachPartInTheOrderItWasPut() {
    List<Object> parts = parts(100);
    parts.forEach(p -> memo.put(memory, p, "made " + parts.indexOf(p)));

    for (int turn = 0; turn < 3; turn++) {
      for (int i = 0; i < parts.size(); i++) {
        assertThat(memo.get(memory, parts.get(i))).isEqualTo("made " + i);
      }
    }
  }

  @Test
  void partsReadOutOfTheirOrderAreFoundToo() {
    List<Object> parts = parts(50);
    parts.forEach(p -> memo.put(memory, p, "made " + parts.indexOf(p)));

    for (int i : new int[] {7, 3, 49, 0, 8, 8, 25, 26, 1}) {
      assertThat(memo.get(memory, parts.get(i))).isEqualTo("made " + i);
    }
  }

  @Test
  void aPartNeverPutIsNotFoundWhereTheNextPartWouldBe() {
    List<Object> parts = parts(3);
    parts.forEach(p -> memo.put(memory, p, "made"));
    memo.get(memory, parts.get(0));

    assertThat(memo.get(memory, new Object())).isNull();
    assertThat(memo.get(memory, parts.get(1))).isEqualTo("made");
  }

  @Test
  void aPartPutAgainIsReadWithItsNewValueInOrderAndOutOfIt() {
    List<Object> parts = parts(3);
    parts.forEach(p -> memo.put(memory, p, "first"));
    memo.put(memory, parts.get(1), "second");

    memo.get(memory, parts.get(0));
    assertThat(memo.get(memory, parts.get(1))).isEqualTo("second");
    memo.get(memory, parts.get(2));
    assertThat(memo.get(memory, parts.get(1))).isEqualTo("second");
  }

  @Test
  void turnsReadOnSeveralThreadsAtOnceSeeOnlyWhatWasPutForEachPart() throws Exception {
    List<Object> parts = parts(400);
    List<String> wrong = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int round = 0; round < 20; round++) {
          for (int i = 0; i < parts.size(); i++) {
            String expected = "made " + i;
            String known = memo.read(memory, parts.get(i), p -> expected);
            if (!known.equals(expected)) {
              wrong.add(i + ": " + known);
            }
          }
        }
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(10_000);
    }

    assertThat(wrong).isEmpty();
  }
}
