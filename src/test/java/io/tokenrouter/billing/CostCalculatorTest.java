package io.tokenrouter.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.provider.openai.OpenAiUsage;
import io.tokenrouter.reply.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Costs of each provider's usage shape against figures worked out by hand (prices per million
 * tokens from the V2 and V5 price lists), compared as exact decimals, scale included.
 */
class CostCalculatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigDecimal FREE = BigDecimal.ONE;
  private static final BigDecimal PRO = new BigDecimal("0.8");

  private static final Price GPT_4O = price("gpt-4o", "2.50", "10.00", "1.25", "0");
  private static final Price GPT_4_1 = price("gpt-4.1", "2.00", "8.00", "0.50", "0");
  private static final Price DEEPSEEK_CHAT = price("deepseek-chat", "0.14", "0.28", "0.014", "0");
  private static final Price CLAUDE_SONNET_4 = price("claude-sonnet-4-20250514", "3.00", "15.00", "0.30", "3.75");

  private static Price price(String model, String input, String output, String cacheRead, String cacheWrite) {
    return new Price(model, new BigDecimal(input), new BigDecimal(output), new BigDecimal(cacheRead),
        new BigDecimal(cacheWrite));
  }

  private static Usage openAi(String usageJson) throws Exception {
    return OpenAiUsage.read(JSON.readTree(usageJson));
  }

  @Test
  void openAiCachedTokensAreInsidePromptTokensAndBilledAtTheCacheReadPrice() throws Exception {
    Usage usage = openAi("""
        {"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
         "prompt_tokens_details":{"cached_tokens":1024}}""");

    Cost cost = CostCalculator.cost(GPT_4O, usage, FREE);

    // (176 x 2.50 + 1024 x 1.25 + 300 x 10.00) / 1e6 = (440 + 1280 + 3000) / 1e6
    assertThat(cost.input()).isEqualByComparingTo("0.00044");
    assertThat(cost.cacheRead()).isEqualByComparingTo("0.00128");
    assertThat(cost.output()).isEqualByComparingTo("0.003");
    assertThat(cost.total()).isEqualTo(new BigDecimal("0.0047200000"));
  }

  @Test
  void openAiCacheWritesCostTheInputPriceWhenTheListHasNoWritePrice() throws Exception {
    Usage usage = openAi("""
        {"prompt_tokens":2000,"completion_tokens":100,
         "prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":1500}}""");

    Cost cost = CostCalculator.cost(GPT_4_1, usage, FREE);

    // (500 x 2.00 + 1500 x 2.00 + 100 x 8.00) / 1e6 = (1000 + 3000 + 800) / 1e6
    assertThat(cost.cacheWrite()).isEqualByComparingTo("0.003");
    assertThat(cost.total()).isEqualTo(new BigDecimal("0.0048000000"));
  }

  @Test
  void deepSeekCacheHitsAreBilledAtTheHitPriceAndMissesAtTheInputPrice() throws Exception {
    Usage usage = openAi("""
        {"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,
         "prompt_cache_hit_tokens":640,"prompt_cache_miss_tokens":360}""");

    Cost cost = CostCalculator.cost(DEEPSEEK_CHAT, usage, FREE);

    // (360 x 0.14 + 640 x 0.014 + 200 x 0.28) / 1e6 = (50.4 + 8.96 + 56) / 1e6
    assertThat(cost.total()).isEqualTo(new BigDecimal("0.0001153600"));
  }

  @Test
  void anthropicCacheWritesAndReadsAreBilledApartFromUncachedInput() {
    // Anthropic's input_tokens 100, cache_creation_input_tokens 2000, cache_read_input_tokens 3000,
    // output_tokens 500, normalised as AnthropicUsage does: prompt = 100 + 2000 + 3000
    Usage usage = new Usage(5100, 500, 3000, 2000, false);

    Cost cost = CostCalculator.cost(CLAUDE_SONNET_4, usage, FREE);

    // (100 x 3.00 + 2000 x 3.75 + 3000 x 0.30 + 500 x 15.00) / 1e6 = (300 + 7500 + 900 + 7500) / 1e6
    assertThat(cost.input()).isEqualByComparingTo("0.0003");
    assertThat(cost.cacheWrite()).isEqualByComparingTo("0.0075");
    assertThat(cost.cacheRead()).isEqualByComparingTo("0.0009");
    assertThat(cost.output()).isEqualByComparingTo("0.0075");
    assertThat(cost.total()).isEqualTo(new BigDecimal("0.0162000000"));
  }

  @Test
  void theProPlanPaysEightTenthsOfTheTotal() throws Exception {
    Usage usage = openAi("""
        {"prompt_tokens":1200,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1024}}""");

    // 0.00472 x 0.8
    assertThat(CostCalculator.cost(GPT_4O, usage, PRO).total()).isEqualTo(new BigDecimal("0.0037760000"));
  }

  @Test
  void cacheSavingsAreTheInputPriceLessTheCacheReadPriceForEachCachedToken() {
    // (2.50 - 1.25) x 1024 x 0.8 / 1e6
    assertThat(Cost.savedByCache(GPT_4O, new Usage(1200, 10, 1024, 0, false), PRO))
        .isEqualTo(new BigDecimal("0.0010240000"));
  }

  @Test
  void cacheWritesBilledAboveTheInputPriceAreTakenOffTheSavings() {
    Price sonnet = price("claude-sonnet-4-5-20250929", "3.00", "15.00", "0.30", "3.75");
    // reads (3.00 - 0.30) x 2000 = 5400; writes (3.75 - 3.00) x 1000 = 750; / 1e6
    assertThat(Cost.savedByCache(sonnet, new Usage(4000, 10, 2000, 1000, false), FREE))
        .isEqualTo(new BigDecimal("0.0046500000"));
    // a write never read back costs money
    assertThat(Cost.savedByCache(sonnet, new Usage(4000, 10, 0, 4000, false), FREE)).isNegative();
  }

  @Test
  void aMillionOneTokenRequestsCostExactlyWhatOneMillionTokenRequestCosts() {
    Price gpt4oMini = price("gpt-4o-mini", "0.15", "0.60", "0.075", "0");
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 1_000_000; i++) {
      sum = sum.add(CostCalculator.cost(gpt4oMini, new Usage(1, 0, 0, 0, false), FREE).total());
    }

    BigDecimal once = CostCalculator.cost(gpt4oMini, new Usage(1_000_000, 0, 0, 0, false), FREE).total();

    assertThat(once).isEqualTo(new BigDecimal("0.1500000000"));
    assertThat(sum).isEqualTo(once);
  }

  @Test
  void aZeroOrMissingCachePriceMeansTheInputPrice() {
    Price noCaching = new Price("m", new BigDecimal("0.55"), new BigDecimal("2.19"), null, BigDecimal.ZERO);

    assertThat(noCaching.cacheRead()).isEqualTo(new BigDecimal("0.55"));
    assertThat(noCaching.cacheWrite()).isEqualTo(new BigDecimal("0.55"));
  }
}
