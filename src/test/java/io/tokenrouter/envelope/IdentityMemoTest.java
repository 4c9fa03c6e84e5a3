package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityMemoTest {
  @Test
  void makesWhatItMakesOncePerObjectNotPerEqualObject() {
    IdentityMemo<String, Integer> memo = new IdentityMemo<>();
    AtomicInteger made = new AtomicInteger();
    String one = new String("part");
    String other = new String("part");

    memo.read(one, s -> made.incrementAndGet());
    memo.read(one, s -> made.incrementAndGet());
    memo.read(other, s -> made.incrementAndGet());

    assertThat(made).hasValue(2);
  }

  @Test
  void anEntryInUseOutlivesTwoGenerationsAndOneLeftAloneDoesNot() {
    IdentityMemo<Object, String> memo = new IdentityMemo<>();
    Object used = new Object();
    Object idle = new Object();
    memo.put(used, "used");
    memo.put(idle, "idle");

    for (int generation = 0; generation < 3; generation++) {
      for (int i = 0; i < IdentityMemo.GENERATION; i++) {
        memo.put(new Object(), "filler");
      }
      assertThat(memo.get(used)).isEqualTo("used");
    }

    assertThat(memo.get(idle)).isNull();
  }
}
