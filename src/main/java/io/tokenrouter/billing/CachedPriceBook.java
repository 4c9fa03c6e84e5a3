package io.tokenrouter.billing;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The whole price list in memory, reloaded in the background. The table is a few dozen rows, so
 * it is held as one snapshot rather than per model: a lookup is a map read on the calling
 * thread (an event loop) and never waits on the database. Once {@code refreshAfter} has
 * passed, the next lookup still answers from the old snapshot and starts a reload on
 * {@code blocking}; a reload that fails keeps the old snapshot and is tried again on a later
 * lookup.
 */
public final class CachedPriceBook implements PriceBook {
  private static final String SNAPSHOT = "all";
  private final LoadingCache<String, PriceTable> cache;
  private final Supplier<List<Price>> source;

  /**
   * @param source reads every price (blocking JDBC); only ever called on {@code blocking}, or
   *     on the caller of {@link #preload}
   */
  public CachedPriceBook(Supplier<List<Price>> source, Executor blocking, Duration refreshAfter) {
    this.source = source;
    this.cache = Caffeine.newBuilder().executor(blocking).refreshAfterWrite(refreshAfter)
        .build(key -> PriceTable.of(source.get()));
  }

  /** Loads the list on the calling thread, so requests are priced from the first one on. */
  public void preload() {
    cache.get(SNAPSHOT);
  }

  /**
   * Reads the list again on the calling thread (blocking: a worker), so a price just changed
   * prices the next request.
   */
  public void reload() {
    cache.put(SNAPSHOT, PriceTable.of(source.get()));
  }

  /** Reads the list again in the background (a price changed on another instance). */
  public void refresh() {
    cache.refresh(SNAPSHOT);
  }

  @Override
  public Optional<Price> find(String model) {
    PriceTable table = cache.getIfPresent(SNAPSHOT);
    if (table == null) {
      cache.refresh(SNAPSHOT);
      return Optional.empty();
    }
    return table.find(model);
  }
}
