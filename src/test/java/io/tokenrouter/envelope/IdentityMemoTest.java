package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityMemoTest {
  private final IdentityMemo<String, Integer> memo = new IdentityMemo<>();
  private final AtomicInteger made = new AtomicInteger();

  @Test
  void makesWhatItMakesOncePerObjectNotPerEqualObject() {
    TurnMemory memory = new TurnMemory();
    String one = new String("part");
    String other = new String("part");

    memo.read(memory, one, s -> made.incrementAndGet());
    memo.read(memory, one, s -> made.incrementAndGet());
    memo.read(memory, other, s -> made.incrementAndGet());

    assertThat(made).hasValue(2);
  }

  @Test
  void eachConversationRemembersItsOwn() {
    String part = "part";
    memo.read(new TurnMemory(), part, s -> made.incrementAndGet());
    memo.read(new TurnMemory(), part, s -> made.incrementAndGet());

    assertThat(made).hasValue(2);
  }

  @Test
  void withoutAMemoryEachReadMakesItsValue() {
    String part = "part";
    memo.read(null, part, s -> made.incrementAndGet());
    memo.read(null, part, s -> made.incrementAndGet());

    assertThat(made).hasValue(2);
  }

  @Test
  void twoMemosKeepApartWhatTheyMadeOfOnePart() {
    TurnMemory memory = new TurnMemory();
    IdentityMemo<String, Integer> other = new IdentityMemo<>();
    String part = "part";
    memo.put(memory, part, 1);
    other.put(memory, part, 2);

    assertThat(memo.get(memory, part)).isEqualTo(1);
    assertThat(other.get(memory, part)).isEqualTo(2);
  }
}
