package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A content part.
 *
 * @param type the part's type as the client named it (text, image_url, input_audio, image...)
 * @param text the text of a text part, else null
 * @param fields every other field of the part (image_url, cache_control...), forwarded as is
 */
public record Part(String type, String text, ObjectNode fields) {
  public static final String TEXT = "text";

  public boolean isText() {
    return TEXT.equals(type);
  }

  String textOrEmpty() {
    return isText() && text != null ? text : "";
  }
}
