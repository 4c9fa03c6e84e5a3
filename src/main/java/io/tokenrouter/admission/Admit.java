package io.tokenrouter.admission;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.GatewayError.Kind;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.routing.Candidates;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether this caller may make this call, on every API alike: the model on the key's and its
 * namespace's allowlists, the per-request token caps, then the {@link Admission} checks (rates,
 * quota, budgets), which reserve what the call may use until it is settled by accounting.
 */
public final class Admit implements CallInterceptor {
  /** What the admitted call holds; settled once, when it ends. */
  public static final Attachment<Admission.Admitted> HELD = Attachment.named("admission holds");
  /** The output tokens a streamed answer is cut at, when a cap applies. */
  public static final Attachment<Integer> OUTPUT_CAP = Attachment.named("output cap");
  /** The namespace the call matched, when one did. */
  public static final Attachment<Namespace> NAMESPACE = Attachment.named("namespace");
  /**
   * Output tokens a request without a limit reserves against quotas and TPM. A longer answer is
   * still settled at its real size; only the overshoot of requests in flight is bounded by this
   * guess. Budgets are caps and reserve what they let the request ask for (see SpendCheck).
   */
  static final int DEFAULT_OUTPUT_RESERVATION = 1024;

  private final Namespaces namespaces;
  private final Admission admission;
  private final TokenEstimator estimator;

  public Admit(Namespaces namespaces, Admission admission, TokenEstimator estimator) {
    this.namespaces = namespaces;
    this.admission = admission;
    this.estimator = estimator;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Identity identity = call.identity();
    Envelope request = call.envelope();
    String model = request.model();
    if (!identity.mayUse(model)) {
      return refuse(Kind.PERMISSION, 403, "model_not_allowed", "This key is not allowed to use the model `" + model
          + "`.");
    }
    Namespace namespace = namespaces.isEmpty() ? null : namespaces.match(identity, call.headers(), call.api());
    if (namespace != null && !namespace.models().allows(model)) {
      return refuse(Kind.PERMISSION, 403, "model_not_allowed", "Namespace " + namespace.name()
          + " does not allow the model `" + model + "`.");
    }
    if (namespace != null) {
      call.put(NAMESPACE, namespace);
    }
    Limits nsLimits = namespace == null ? Limits.NONE : namespace.limits();
    Integer outputCap = Limits.tighter(identity.maxOutputTokens(), nsLimits.maxOutputTokens());
    Integer asked = request.maxOutputTokens();
    // only generation has output to cap; any other request keeps its body as sent
    if (outputCap != null && request.operation() == Operation.GENERATE) {
      call.put(OUTPUT_CAP, outputCap);
      if (asked == null || asked > outputCap) {
        call.envelope(request.toBuilder().maxOutputTokens(outputCap).build());
      }
    }
    // counting tokens spends nothing: no rate, quota or budget applies to it
    boolean free = request.operation() == Operation.COUNT_TOKENS;
    if (free || namespace == null && identity.keyLimits().equals(Limits.NONE) && identity.userId() == null) {
      return chain.proceed(call);
    }
    Integer inputCap = Limits.tighter(identity.maxInputTokens(), nsLimits.maxInputTokens());
    String upstreamModel = call.get(Candidates.KEY).first().model();
    CallFacts bare = new CallFacts(identity, namespace, model, upstreamModel, 0, 0,
        call.envelope().maxOutputTokens());
    if (inputCap == null && !admission.needsEstimate(bare)) {
      return admit(call, chain, bare);
    }
    return estimator.countPrompt(call.envelope(), upstreamModel, call.bodySize()).compose(prompt -> {
      if (inputCap != null && prompt > inputCap) {
        return Future.failedFuture(GatewayError.builder(Kind.INVALID_REQUEST, 400, "input_tokens_exceeded",
            "This request's prompt is about " + prompt + " tokens; at most " + inputCap + " are allowed.")
            .param("messages").build());
      }
      return admit(call, chain, facts(bare, call.envelope(), prompt));
    });
  }

  /** The estimates the checks reserve against. */
  private static CallFacts facts(CallFacts bare, Envelope request, int prompt) {
    Integer asked = request.maxOutputTokens();
    // embeddings and relayed requests generate no tokens: only their input is reserved
    int output = request.operation() != Operation.GENERATE ? 0 : asked != null ? asked : DEFAULT_OUTPUT_RESERVATION;
    return new CallFacts(bare.identity(), bare.namespace(), bare.model(), bare.upstreamModel(), prompt, output, asked);
  }

  private Future<Reply> admit(Call call, Chain chain, CallFacts facts) {
    return admission.admit(facts).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(ar.cause() instanceof Refusal r ? toError(r) : ar.cause());
      }
      Admission.Admitted held = ar.result();
      call.put(HELD, held);
      held.headers(call.responseHeaders());
      // a budget pays for no more output than its reservation: the request must not ask for more
      Integer ceiling = held.outputCeiling();
      Integer sent = call.envelope().maxOutputTokens();
      if (ceiling != null && (sent == null || sent > ceiling)) {
        call.envelope(call.envelope().toBuilder().maxOutputTokens(ceiling).build());
      }
      return chain.proceed(call);
    });
  }

  private static Future<Reply> refuse(Kind kind, int status, String code, String message) {
    return Future.failedFuture(GatewayError.builder(kind, status, code, message).param("model").build());
  }

  static GatewayError toError(Refusal r) {
    Kind kind = switch (r.status()) {
      case 429 -> "insufficient_quota".equals(r.type()) ? Kind.QUOTA_EXCEEDED : Kind.RATE_LIMITED;
      case 503 -> Kind.UNAVAILABLE;
      case 403 -> Kind.PERMISSION;
      default -> Kind.INVALID_REQUEST;
    };
    Map<String, String> headers = new LinkedHashMap<>();
    r.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    return GatewayError.builder(kind, r.status(), r.code(), r.getMessage()).retryAfter(r.retryAfter())
        .headers(headers).build();
  }
}
