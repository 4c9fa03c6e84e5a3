package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
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
  void aKeyThatIsItsOwnValueIsStillLetGo() throws InterruptedException {
    IdentityMemo<Object, Object> memo = new IdentityMemo<>();
    Object key = new Object();
    assertThat(memo.read(key, k -> k)).isSameAs(key);
    assertThat(memo.get(key)).isSameAs(key);
    WeakReference<Object> gone = new WeakReference<>(key);

    key = null;
    for (int i = 0; i < 50 && gone.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }

    assertThat(gone.get()).isNull();
  }
}
