package io.tokenrouter.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON object body of an OpenAI-format request, refused in OpenAI's words when it is not one. */
final class OpenAiJsonBody {
  private OpenAiJsonBody() {}

  static ObjectNode parse(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("We could not parse the JSON body of your request: "
          + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new InvalidRequestException("We could not read the body of your request.", null);
    }
    if (!(root instanceof ObjectNode object)) {
      throw new InvalidRequestException("The request body must be a JSON object.", null);
    }
    JsonNode model = object.get("model");
    if (model == null || model.isNull()) {
      throw new InvalidRequestException("you must provide a model parameter", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw new InvalidRequestException("'model' must be a non-empty string", "model");
    }
    return object;
  }

  /**
   * Texts of an {@code input} or {@code prompt}: a string, or an array of strings, tokens (an
   * array of integers) or token arrays. Only the strings are returned; token arrays are checked.
   */
  static List<String> texts(JsonNode value, String field) {
    String wrong = "'" + field + "' must be a string, an array of strings, an array of tokens or an array of"
        + " token arrays";
    if (value == null || value.isNull()) {
      throw new InvalidRequestException("Missing required parameter: '" + field + "'.", field);
    }
    if (value.isTextual()) {
      return List.of(value.asText());
    }
    if (!value.isArray() || value.isEmpty()) {
      throw new InvalidRequestException(wrong, field);
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode element : value) {
      if (element.isTextual()) {
        texts.add(element.asText());
      } else if (element.isIntegralNumber()) {
        continue;
      } else if (element.isArray()) {
        for (JsonNode token : element) {
          if (!token.isIntegralNumber()) {
            throw new InvalidRequestException(wrong, field);
          }
        }
      } else {
        throw new InvalidRequestException(wrong, field);
      }
    }
    return texts;
  }
}
