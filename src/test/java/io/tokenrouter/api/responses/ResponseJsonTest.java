package io.tokenrouter.api.responses;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ids the gateway gives Responses API objects. */
class ResponseJsonTest {
  @Test
  void anIdHasOpenAisShapeAndBeginsWithItsTime() {
    long millis = 1_764_583_200_123L;

    assertThat(ResponseJson.id("resp", millis)).matches("resp_019ad95ad57b[0-9a-f]{36}");
    assertThat(ResponseJson.id("msg")).matches("msg_[0-9a-f]{48}");
  }

  @Test
  void idsMadeLaterSortLater() {
    long millis = System.currentTimeMillis();

    assertThat(ResponseJson.id("resp", millis)).isLessThan(ResponseJson.id("resp", millis + 1));
    assertThat(ResponseJson.id("resp", millis)).isLessThan(ResponseJson.id("resp", millis + 86_400_000L));
  }
}
