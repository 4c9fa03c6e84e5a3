package io.tokenrouter.pipeline;

import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;

/** Counts a request's Anthropic cache breakpoints, wherever they are. */
final class Breakpoints {
  private Breakpoints() {}

  /** The {@code cache_control} markers on tools, system and blocks (tool results' content too), and a top-level one. */
  static int count(Envelope request) {
    int n = request.params().containsKey(Block.CACHE_CONTROL) ? 1 : 0;
    for (Tool t : request.tools()) {
      boolean marked = t.isFunction() ? t.extra().containsKey(Block.CACHE_CONTROL)
          : t.raw() != null && t.raw().has(Block.CACHE_CONTROL);
      n += marked ? 1 : 0;
    }
    if (request.system() != null) {
      n += count(request.system());
    }
    for (Message m : request.messages()) {
      n += count(m);
    }
    return n;
  }

  private static int count(Message m) {
    int n = 0;
    for (Block b : m.content()) {
      n += b.cacheControl() != null ? 1 : 0;
      if (b instanceof Block.ToolResult r) {
        for (Block inner : r.content()) {
          n += inner.cacheControl() != null ? 1 : 0;
        }
      }
    }
    return n;
  }
}
