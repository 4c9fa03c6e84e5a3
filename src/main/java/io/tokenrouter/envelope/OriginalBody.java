package io.tokenrouter.envelope;

/**
 * A client's own request body with its top-level {@code model} changed and every other byte as
 * sent: how a request routed to another model name (an alias, a deployment) still goes out as
 * the client's bytes instead of being parsed and written again, which for an agent's request of
 * a few hundred kilobytes is most of what the gateway does to it.
 */
public final class OriginalBody {
  private OriginalBody() {}

  /**
   * The client's bytes for a request to {@code model}: as sent when it already names that model,
   * with the model's value replaced otherwise; null when a stage changed the request or the body
   * cannot be edited (see {@link #withModel}), and the request must be written from the envelope.
   */
  public static byte[] of(Envelope env, String model) {
    if (env.original() == null) {
      return null;
    }
    return model.equals(env.model()) ? env.original() : withModel(env.original(), model);
  }

  /**
   * @param body a JSON object the gateway has already parsed
   * @return the body with the top-level {@code model} string replaced by {@code model}; null when
   *     it has no such string or more than one {@code model} member (the parsed request took the
   *     last; editing one would leave the other for the provider to read), or spells a top-level
   *     name with escapes
   */
  public static byte[] withModel(byte[] body, String model) {
    JsonScan json = new JsonScan(body);
    JsonScan.Members top = json.members(json.skipSpace(0));
    int start = -1;
    int end = -1;
    while (top.next()) {
      if (top.nameIs("model")) {
        if (start >= 0 || json.at(top.valueStart) != '"') {
          return null;
        }
        start = top.valueStart;
        end = top.valueEnd();
      } else if (json.escaped(top.nameStart, top.nameEnd)) {
        // a name spelled with escapes may be "model" too
        return null;
      }
    }
    if (top.failed() || start < 0 || end < 0) {
      return null;
    }
    byte[] quoted = Json.bytes(Json.MAPPER.getNodeFactory().textNode(model));
    byte[] out = new byte[body.length - (end - start) + quoted.length];
    System.arraycopy(body, 0, out, 0, start);
    System.arraycopy(quoted, 0, out, start, quoted.length);
    System.arraycopy(body, end, out, start + quoted.length, body.length - end);
    return out;
  }
}
