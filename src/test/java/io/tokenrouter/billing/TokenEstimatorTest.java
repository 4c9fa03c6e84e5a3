package io.tokenrouter.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final String TEXT = "Summarise the attached quarterly report in three bullet points, please.";
  private static final EncodingRegistry JTOKKIT = Encodings.newDefaultEncodingRegistry();
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void countsOpenAisNewerModelsWithO200kAndEveryOtherModelWithCl100k() {
    TokenEstimator tokens = new TokenEstimator();

    assertThat(tokens.countText("gpt-4o-mini", TEXT))
        .isEqualTo(JTOKKIT.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(TEXT));
    assertThat(tokens.countText("claude-sonnet-4-5", TEXT))
        .isEqualTo(JTOKKIT.getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(TEXT));
  }

  @Test
  void loadsNothingUntilTheGatewayAsksForIt() throws Exception {
    TokenEstimator tokens = new TokenEstimator();

    assertThat(tokens.loaded()).isFalse();
    tokens.loadInBackground();
    tokens.ready().await(30, TimeUnit.SECONDS);
    assertThat(tokens.loaded()).isTrue();
  }

  @Test
  void aCountAskedOnAnEventLoopWhileTheEncodingsLoadWaitsForThemWithoutHoldingTheLoop() throws Exception {
    TokenEstimator tokens = new TokenEstimator();
    Envelope prompt = chat("gpt-4o", TEXT);

    Asked count = askOnEventLoop(tokens, prompt, "gpt-4o", 200);

    assertThat(count.result()).isEqualTo(loaded().countPrompt(prompt, "gpt-4o"));
    assertThat(count.doneAtOnce()).as("completed before the event loop's call returned").isFalse();
    assertThat(count.answeredOn()).as("the thread the count is answered on").isSameAs(count.askedOn());
  }

  @Test
  void aSmallPromptIsCountedOnTheEventLoopOnceLoaded() throws Exception {
    TokenEstimator tokens = loaded();
    Envelope prompt = chat("gpt-4o", TEXT);

    Asked count = askOnEventLoop(tokens, prompt, "gpt-4o", 200);

    assertThat(count.result()).isEqualTo(tokens.countPrompt(prompt, "gpt-4o"));
    assertThat(count.doneAtOnce()).isTrue();
  }

  @Test
  void aLargePromptIsCountedOnAWorkerThread() throws Exception {
    TokenEstimator tokens = loaded();
    Envelope prompt = chat("claude-sonnet-4-5", TEXT.repeat(400));

    Asked count = askOnEventLoop(tokens, prompt, "claude-sonnet-4-5", 30_000);

    assertThat(count.result()).isEqualTo(tokens.countPrompt(prompt, "claude-sonnet-4-5"));
    assertThat(count.doneAtOnce()).isFalse();
  }

  @Test
  void anEstimateThatCannotWaitIsTheBodysSizeWhileTheEncodingsLoad() {
    TokenEstimator tokens = new TokenEstimator();
    Envelope prompt = chat("gpt-4o", TEXT);

    assertThat(tokens.estimatePrompt(prompt, "gpt-4o", 400)).isEqualTo(100);
    assertThat(tokens.loaded()).as("an estimate starts no load").isFalse();
  }

  @Test
  void anEstimateOfASmallPromptIsItsCountOnceLoaded() throws Exception {
    TokenEstimator tokens = loaded();
    Envelope prompt = chat("gpt-4o", TEXT);

    assertThat(tokens.estimatePrompt(prompt, "gpt-4o", 400)).isEqualTo(tokens.countPrompt(prompt, "gpt-4o"));
    assertThat(tokens.estimatePrompt(prompt, "gpt-4o", 40_000)).isEqualTo(10_000);
  }

  private static TokenEstimator loaded() throws Exception {
    TokenEstimator tokens = new TokenEstimator();
    tokens.loadInBackground();
    tokens.ready().await(30, TimeUnit.SECONDS);
    return tokens;
  }

  /**
   * A count asked for on an event loop, once answered: whether it was complete when the call
   * returned, and the threads it was asked and answered on.
   */
  private record Asked(int result, boolean doneAtOnce, Thread askedOn, Thread answeredOn) {}

  private static Asked askOnEventLoop(TokenEstimator tokens, Envelope prompt, String model, int bodySize)
      throws Exception {
    Context context = vertx.getOrCreateContext();
    AtomicBoolean doneAtOnce = new AtomicBoolean();
    AtomicReference<Thread> askedOn = new AtomicReference<>();
    AtomicReference<Thread> answeredOn = new AtomicReference<>();
    Promise<Integer> result = Promise.promise();
    context.runOnContext(v -> {
      askedOn.set(Thread.currentThread());
      Future<Integer> count = tokens.countPrompt(prompt, model, bodySize);
      doneAtOnce.set(count.isComplete());
      count.onComplete(ar -> answeredOn.set(Thread.currentThread())).onComplete(result);
    });
    int answer = result.future().await(30, TimeUnit.SECONDS);
    return new Asked(answer, doneAtOnce.get(), askedOn.get(), answeredOn.get());
  }

  private static Envelope chat(String model, String text) {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    return new ChatCompletionsApi().read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
  }
}
