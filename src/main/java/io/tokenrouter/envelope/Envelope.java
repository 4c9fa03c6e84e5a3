package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The one internal model of a request, whatever API the client spoke. Deeply immutable: prompt
 * stages and admission build a changed copy with {@link #toBuilder()}; the client's own bytes
 * are never altered.
 *
 * <p>What both OpenAI and Anthropic know is typed, so any provider can be written from it:
 * instructions, messages and their blocks, tools, the tool choice, the output limit, stop
 * sequences. Every other top-level field (sampling parameters, {@code metadata}, fields this
 * gateway has never heard of) stays in {@link #params()} in arrival order and survives the trip.
 *
 * <p>While nothing has changed the request, {@link #original()} holds the client's exact body,
 * so that a provider of the client's own format can be sent it untouched.
 *
 * @param dialect the client API the request arrived in
 * @param system top-level instructions (Anthropic's {@code system}), or null; OpenAI-format
 *     instructions are system or developer messages in {@code messages}, where the client put them
 * @param toolChoice null when the client set none
 * @param parallelToolCalls whether the model may call several tools at once; null when unset
 * @param maxOutput null when the client set no limit
 * @param stopSequences empty when none
 * @param headers client headers a provider of the same family needs (Anthropic's
 *     {@code anthropic-version} and {@code anthropic-beta}), lower-case names
 * @param original the client's body, while unchanged; null once anything was changed
 * @param sent the envelope as the reader made it, with the client's body, kept by every changed
 *     copy so that a writer can copy the client's bytes of what no stage changed
 *     ({@link EditedBody}); null in the reader's own envelope
 */
public record Envelope(
    Dialect dialect,
    Operation operation,
    String model,
    Message system,
    List<Message> messages,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    boolean stream,
    OutputLimit maxOutput,
    List<String> stopSequences,
    Map<String, JsonNode> params,
    Map<String, String> headers,
    byte[] original,
    Envelope sent) {

  public Envelope {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    params = Fields.copy(params);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** An envelope as a reader makes it: nothing has changed it yet. */
  public Envelope(Dialect dialect, Operation operation, String model, Message system, List<Message> messages,
      List<Tool> tools, ToolChoice toolChoice, Boolean parallelToolCalls, boolean stream, OutputLimit maxOutput,
      List<String> stopSequences, Map<String, JsonNode> params, Map<String, String> headers, byte[] original) {
    this(dialect, operation, model, system, messages, tools, toolChoice, parallelToolCalls, stream, maxOutput,
        stopSequences, params, headers, original, null);
  }

  /** The envelope as the client's request was read, before any stage changed it. */
  public Envelope asSent() {
    return sent == null ? this : sent;
  }

  /**
   * The memory of the conversation the client's body belongs to, where its parts may be the very
   * objects of the previous turn and what was made of them is remembered ({@link IdentityMemo});
   * null for a request not read after a previous turn.
   */
  public TurnMemory memory() {
    byte[] body = asSent().original();
    return body == null ? null : JsonBody.memoryOf(body);
  }

  /** The output limit in tokens, or null. */
  public Integer maxOutputTokens() {
    return maxOutput == null ? null : maxOutput.tokens();
  }

  /** Whether the client itself asked for usage at the end of a stream (OpenAI's {@code stream_options}). */
  public boolean clientWantsStreamUsage() {
    JsonNode options = params.get("stream_options");
    return options != null && options.path("include_usage").asBoolean(false);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A changed copy; any change drops {@link #original()}. */
  public static final class Builder {
    private final Envelope from;
    private String model;
    private Message system;
    private List<Message> messages;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private boolean stream;
    private OutputLimit maxOutput;
    private List<String> stopSequences;
    private Map<String, JsonNode> params;
    private Map<String, String> headers;

    private Builder(Envelope e) {
      this.from = e;
      this.model = e.model;
      this.system = e.system;
      this.messages = e.messages;
      this.tools = e.tools;
      this.toolChoice = e.toolChoice;
      this.parallelToolCalls = e.parallelToolCalls;
      this.stream = e.stream;
      this.maxOutput = e.maxOutput;
      this.stopSequences = e.stopSequences;
      this.params = e.params;
      this.headers = e.headers;
    }

    public Builder model(String value) {
      this.model = value;
      return this;
    }

    public Builder system(Message value) {
      this.system = value;
      return this;
    }

    public Builder messages(List<Message> value) {
      this.messages = value;
      return this;
    }

    public Builder tools(List<Tool> value) {
      this.tools = value;
      return this;
    }

    public Builder toolChoice(ToolChoice value) {
      this.toolChoice = value;
      return this;
    }

    public Builder maxOutputTokens(int tokens) {
      this.maxOutput = new OutputLimit(tokens, maxOutput == null ? null : maxOutput.field());
      return this;
    }

    public Builder params(Map<String, JsonNode> value) {
      this.params = value;
      return this;
    }

    public Builder headers(Map<String, String> value) {
      this.headers = value;
      return this;
    }

    public Envelope build() {
      boolean same = model.equals(from.model) && system == from.system && messages == from.messages
          && tools == from.tools && toolChoice == from.toolChoice && parallelToolCalls == from.parallelToolCalls
          && stream == from.stream && maxOutput == from.maxOutput && stopSequences == from.stopSequences
          && params == from.params;
      if (same && headers == from.headers) {
        return from;
      }
      return new Envelope(from.dialect, from.operation, model, system, messages, tools, toolChoice,
          parallelToolCalls, stream, maxOutput, stopSequences, params, headers, same ? from.original : null,
          from.asSent());
    }
  }
}
