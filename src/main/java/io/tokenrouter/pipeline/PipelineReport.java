package io.tokenrouter.pipeline;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the pipeline did to a call, told to the client in one response header for debugging
 * ({@code x-tokenrouter-pipeline: prefix=9f2c41d07be3a5c6; changed=arranger,canonicalizer;
 * breakpoints=+2}). Each step notes its part; a later attempt's note replaces an earlier one's.
 */
public final class PipelineReport {
  public static final String HEADER = "x-tokenrouter-pipeline";
  private static final Attachment<PipelineReport> KEY = Attachment.named("pipeline report");
  private final Map<String, String> parts = new LinkedHashMap<>();

  private PipelineReport() {}

  /** Starts the report of a call whose answers carry the header; calls without one note nothing. */
  static void open(Call call) {
    call.put(KEY, new PipelineReport());
  }

  /** Sets {@code name=value} in the call's header (or removes it, for a null value). */
  public static void note(Call call, String name, String value) {
    PipelineReport report = call.get(KEY);
    if (report == null) {
      return;
    }
    if (value == null) {
      report.parts.remove(name);
    } else {
      report.parts.put(name, value);
    }
    StringBuilder header = new StringBuilder();
    report.parts.forEach((k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
    if (header.isEmpty()) {
      call.responseHeaders().remove(HEADER);
    } else {
      call.responseHeaders().set(HEADER, header.toString());
    }
  }
}
