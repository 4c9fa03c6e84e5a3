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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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
    AtomicReference<Boolean> doneAtOnce = new AtomicReference<>();
    AtomicReference<Thread> asked = new AtomicReference<>();
    AtomicReference<Thread> answered = new AtomicReference<>();

    Future<Integer> count = onEventLoop(() -> {
      asked.set(Thread.currentThread());
      Future<Integer> f = tokens.countPrompt(prompt, "gpt-4o", 200);
      doneAtOnce.set(f.isComplete());
      return f.onComplete(ar -> answered.set(Thread.currentThread()));
    });

    assertThat(count.await(30, TimeUnit.SECONDS)).isEqualTo(loaded().countPrompt(prompt, "gpt-4o"));
    assertThat(doneAtOnce.get()).as("completed before the event loop's call returned").isFalse();
    assertThat(answered.get()).as("the thread the count is answered on").isSameAs(asked.get());
  }

  @Test
  void aSmallPromptIsCountedOnTheEventLoopOnceLoaded() throws Exception {
    TokenEstimator tokens = loaded();
    Envelope prompt = chat("gpt-4o", TEXT);
    AtomicReference<Boolean> doneAtOnce = new AtomicReference<>();

    Future<Integer> count = onEventLoop(() -> {
      Future<Integer> f = tokens.countPrompt(prompt, "gpt-4o", 200);
      doneAtOnce.set(f.isComplete());
      return f;
    });

    assertThat(count.await(30, TimeUnit.SECONDS)).isEqualTo(tokens.countPrompt(prompt, "gpt-4o"));
    assertThat(doneAtOnce.get()).isTrue();
  }

  @Test
  void aLargePromptIsCountedOnAWorkerThread() throws Exception {
    TokenEstimator tokens = loaded();
    Envelope prompt = chat("claude-sonnet-4-5", TEXT.repeat(400));
    AtomicReference<Boolean> doneAtOnce = new AtomicReference<>();

    Future<Integer> count = onEventLoop(() -> {
      Future<Integer> f = tokens.countPrompt(prompt, "claude-sonnet-4-5", 30_000);
      doneAtOnce.set(f.isComplete());
      return f;
    });

    assertThat(count.await(30, TimeUnit.SECONDS)).isEqualTo(tokens.countPrompt(prompt, "claude-sonnet-4-5"));
    assertThat(doneAtOnce.get()).isFalse();
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

  private static <T> Future<T> onEventLoop(Supplier<Future<T>> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }

  private static Envelope chat(String model, String text) {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    return new ChatCompletionsApi().read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
  }
}
