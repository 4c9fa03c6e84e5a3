package io.tokenrouter.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which listed price a provider's model name resolves to. */
class PriceTableTest {
  private static Price price(String model) {
    return new Price(model, BigDecimal.ONE, BigDecimal.TWO, null, null);
  }

  private final PriceTable table = PriceTable.of(List.of(price("gpt-4o"), price("gpt-4o-mini"), price("gpt-4.1"),
      price("o3"), price("gpt-5"), price("claude-sonnet-4-20250514")));

  private Optional<String> resolve(String model) {
    return table.find(model).map(Price::model);
  }

  @Test
  void anExactNameWins() {
    assertThat(resolve("gpt-4o-mini")).contains("gpt-4o-mini");
    assertThat(resolve("claude-sonnet-4-20250514")).contains("claude-sonnet-4-20250514");
  }

  @Test
  void aDatedSnapshotPricesAsTheLongestListedNameItExtends() {
    assertThat(resolve("gpt-4o-mini-2024-07-18")).contains("gpt-4o-mini");
    assertThat(resolve("gpt-4o-2024-08-06")).contains("gpt-4o");
    assertThat(resolve("gpt-4.1-2025-04-14")).contains("gpt-4.1");
  }

  @Test
  void anotherModelSharingTheNamesStartIsNotPricedAsIt() {
    assertThat(resolve("o3-mini")).isEmpty();
    assertThat(resolve("gpt-5-nano-2025-08-07")).isEmpty();
    assertThat(resolve("gpt-4o-")).isEmpty();
    assertThat(resolve("unknown")).isEmpty();
    assertThat(resolve(null)).isEmpty();
  }
}
