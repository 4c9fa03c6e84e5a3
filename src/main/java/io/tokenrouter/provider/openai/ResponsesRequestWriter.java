package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.EditedBody;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.OriginalBody;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Writes a Responses API request for a provider that has the API: the client's own bytes (with
 * the provider's model name) while nothing changed them, the client's bytes with only the changed
 * turns and tools written again when a stage changed those ({@link EditedBody}), else written from
 * the envelope (a kept conversation put before the input, the gateway's output limit) with every
 * field the client sent.
 */
final class ResponsesRequestWriter {
  private ResponsesRequestWriter() {}

  /** The parts of a Responses request written back as the client wrote them, for {@link EditedBody}. */
  private static final EditedBody.Encoder AS_SENT = new EditedBody.Encoder() {
    @Override
    public void system(JsonGenerator json, Message system) throws IOException {
      json.writeString(system.text());
    }

    @Override
    public void message(JsonGenerator json, Message message) throws IOException {
      for (JsonNode item : ResponsesItems.of(List.of(message))) {
        json.writeTree(item);
      }
    }

    @Override
    public void tool(JsonGenerator json, Tool tool) throws IOException {
      json.writeTree(ResponsesItems.tool(tool, Dialect.OPENAI_RESPONSES));
    }

    /** An item of a turn alone: a function call, or reasoning kept as it came. */
    @Override
    public void block(JsonGenerator json, Block block) throws IOException {
      message(json, new Message(Message.ASSISTANT, List.of(block), false, null));
    }

    @Override
    public String systemMember() {
      return "instructions";
    }

    @Override
    public String messagesMember() {
      return "input";
    }

    @Override
    public boolean joinsTurns() {
      return true;
    }

    /** As the reader builds turns: the model's messages, function calls and reasoning make one. */
    @Override
    public boolean joinsTurn(String type, String role) {
      String kind = type != null ? type : role != null ? "message" : "";
      return kind.equals("message") ? Message.ASSISTANT.equals(role)
          : kind.equals("function_call") || kind.equals("reasoning");
    }
  };

  static Buffer write(Envelope env, String model) {
    byte[] own = OriginalBody.of(env, model);
    if (own != null) {
      return RequestBodies.of(own);
    }
    List<ByteBuffer> edited = env.dialect() == Dialect.OPENAI_RESPONSES ? EditedBody.write(env, model, AS_SENT) : null;
    if (edited != null) {
      return RequestBodies.of(edited);
    }
    ObjectNode root = Json.MAPPER.createObjectNode().put("model", model);
    if (env.system() != null) {
      root.put("instructions", env.system().text());
    }
    root.set("input", ResponsesItems.of(env.messages()));
    if (!env.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (Tool t : env.tools()) {
        tools.add(ResponsesItems.tool(t, env.dialect()));
      }
    }
    if (env.toolChoice() != null) {
      root.set("tool_choice", toolChoice(env.toolChoice()));
    }
    if (env.parallelToolCalls() != null) {
      root.put("parallel_tool_calls", env.parallelToolCalls());
    }
    if (env.stream()) {
      root.put("stream", true);
    }
    if (env.maxOutput() != null) {
      root.put("max_output_tokens", env.maxOutput().tokens());
    }
    for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
      if (!root.has(p.getKey())) {
        root.set(p.getKey(), p.getValue());
      }
    }
    return RequestBodies.of(Json.bytes(root));
  }

  private static JsonNode toolChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> Json.MAPPER.getNodeFactory().textNode("auto");
      case ANY -> Json.MAPPER.getNodeFactory().textNode("required");
      case NONE -> Json.MAPPER.getNodeFactory().textNode("none");
      case TOOL -> Json.MAPPER.createObjectNode().put("type", "function").put("name", choice.name());
      case OTHER -> choice.raw();
    };
  }
}
