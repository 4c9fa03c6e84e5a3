package io.tokenrouter.usage;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered record ids (UUID version 7: 48 bits of milliseconds, then random bits). New rows
 * land at the end of the primary key's B-tree instead of at a random page, which is most of
 * the cost of writing the requests table on the embedded database.
 */
public final class RecordIds {
  private RecordIds() {}

  public static UUID next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = millis << 16 | 0x7000L | random.nextInt(1 << 12);
    long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
