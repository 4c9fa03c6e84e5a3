package io.tokenrouter.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link Envelope} as a Gemini {@code GenerateContentRequest}: instructions (top-level
 * and system or developer turns) as {@code systemInstruction}; turns as {@code contents} of role
 * {@code user} or {@code model}, consecutive turns of one role joined; tool calls as
 * {@code functionCall} parts and their answers as {@code functionResponse} parts (named after the
 * call they answer, which Gemini matches by name); function tools as {@code functionDeclarations}
 * with their JSON schema; the output limit, stop sequences and sampling parameters in
 * {@code generationConfig}. What Gemini has no place for (another API's reasoning and built-in
 * tools) is left out.
 */
final class GeminiRequestWriter {
  /** Sampling parameters of the OpenAI and Anthropic APIs, by their Gemini names. */
  private static final Map<String, String> GENERATION_PARAMS = Map.of("temperature", "temperature", "top_p", "topP",
      "top_k", "topK", "seed", "seed", "presence_penalty", "presencePenalty", "frequency_penalty", "frequencyPenalty");

  private GeminiRequestWriter() {}

  static Buffer write(Envelope env) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode system = Json.MAPPER.createArrayNode();
    if (env.system() != null) {
      texts(system, env.system());
    }
    Map<String, String> toolNames = new HashMap<>();
    for (Message m : env.messages()) {
      for (Block b : m.content()) {
        if (b instanceof Block.ToolUse u) {
          toolNames.put(u.id(), u.name());
        }
      }
    }
    ArrayNode contents = root.putArray("contents");
    for (Message m : env.messages()) {
      if (m.isInstruction()) {
        texts(system, m);
        continue;
      }
      ArrayNode parts = parts(m.content(), toolNames);
      if (parts.isEmpty()) {
        continue;
      }
      String role = Message.ASSISTANT.equals(m.role()) ? "model" : "user";
      JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
      if (last != null && role.equals(last.path("role").asText())) {
        ((ArrayNode) last.get("parts")).addAll(parts);
      } else {
        contents.addObject().put("role", role).set("parts", parts);
      }
    }
    if (!system.isEmpty()) {
      root.putObject("systemInstruction").set("parts", system);
    }
    List<Tool> functions = env.tools().stream().filter(Tool::isFunction).toList();
    if (!functions.isEmpty()) {
      ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
      for (Tool t : functions) {
        ObjectNode d = declarations.addObject().put("name", t.name());
        if (t.description() != null) {
          d.put("description", t.description());
        }
        if (t.schema() != null && t.schema().isObject()) {
          d.set("parametersJsonSchema", t.schema());
        }
      }
      ObjectNode calling = toolConfig(env.toolChoice());
      if (calling != null) {
        root.putObject("toolConfig").set("functionCallingConfig", calling);
      }
    }
    ObjectNode generation = Json.MAPPER.createObjectNode();
    if (env.maxOutput() != null) {
      generation.put("maxOutputTokens", env.maxOutput().tokens());
    }
    if (!env.stopSequences().isEmpty()) {
      ArrayNode stops = generation.putArray("stopSequences");
      env.stopSequences().forEach(stops::add);
    }
    for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
      String name = GENERATION_PARAMS.get(p.getKey());
      if (name != null && p.getValue().isNumber()) {
        generation.set(name, p.getValue());
      }
    }
    if (!generation.isEmpty()) {
      root.set("generationConfig", generation);
    }
    return RequestBodies.of(Json.bytes(root));
  }

  private static void texts(ArrayNode out, Message m) {
    for (Block b : m.content()) {
      if (b instanceof Block.Text t && !t.text().isEmpty()) {
        out.addObject().put("text", t.text());
      }
    }
  }

  private static ArrayNode parts(List<Block> blocks, Map<String, String> toolNames) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (Block b : blocks) {
      switch (b) {
        case Block.Text t -> {
          if (!t.text().isEmpty()) {
            parts.addObject().put("text", t.text());
          }
        }
        case Block.Image i -> parts.add(image(i.url()));
        case Block.ToolUse u -> {
          ObjectNode part = parts.addObject();
          ObjectNode call = part.putObject("functionCall").put("name", u.name());
          call.set("args", object(u.input()));
          String signature = ThoughtSignatures.of(u.id());
          if (signature != null) {
            part.put("thoughtSignature", signature);
          }
        }
        case Block.ToolResult r -> {
          ObjectNode response = parts.addObject().putObject("functionResponse")
              .put("name", toolNames.getOrDefault(r.toolUseId(), r.toolUseId()));
          response.set("response", result(r));
        }
        default -> { }
      }
    }
    return parts;
  }

  /** Gemini wants a tool's answer as an object: a JSON object answer as it is, anything else as its text. */
  private static JsonNode result(Block.ToolResult r) {
    StringBuilder text = new StringBuilder();
    for (Block b : r.content()) {
      if (b instanceof Block.Text t) {
        text.append(t.text());
      }
    }
    JsonNode parsed = parse(text.toString());
    if (parsed != null && parsed.isObject()) {
      return parsed;
    }
    ObjectNode wrapped = Json.MAPPER.createObjectNode();
    wrapped.put(r.isError() ? "error" : "content", text.toString());
    return wrapped;
  }

  private static JsonNode object(String json) {
    JsonNode parsed = parse(json);
    return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** An inline image ({@code data:} URL) as {@code inlineData}, any other by reference as {@code fileData}. */
  private static ObjectNode image(String url) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    int marker = url.indexOf(";base64,");
    if (url.startsWith("data:") && marker > 0) {
      part.putObject("inlineData").put("mimeType", url.substring("data:".length(), marker))
          .put("data", url.substring(marker + ";base64,".length()));
    } else {
      String lower = url.toLowerCase(Locale.ROOT);
      String mime = lower.endsWith(".png") ? "image/png" : lower.endsWith(".webp") ? "image/webp"
          : lower.endsWith(".gif") ? "image/gif" : "image/jpeg";
      part.putObject("fileData").put("mimeType", mime).put("fileUri", url);
    }
    return part;
  }

  private static ObjectNode toolConfig(ToolChoice choice) {
    if (choice == null) {
      return null;
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    switch (choice.mode()) {
      case AUTO -> config.put("mode", "AUTO");
      case ANY -> config.put("mode", "ANY");
      case NONE -> config.put("mode", "NONE");
      case TOOL -> config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.name());
      case OTHER -> {
        return null;
      }
    }
    return config;
  }
}
