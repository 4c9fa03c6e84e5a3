package io.tokenrouter.store;

import java.util.List;

/**
 * One page of a listing, with how many rows match in all.
 *
 * @param offset how many matching rows come before this page
 */
public record Page<T>(List<T> items, long total, int offset) {
  public Page {
    items = List.copyOf(items);
  }

  public boolean hasMore() {
    return offset + items.size() < total;
  }
}
