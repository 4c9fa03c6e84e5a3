package io.tokenrouter.pipeline;

import io.tokenrouter.config.PipelineConfig;
import io.tokenrouter.config.PipelineConfig.Stage;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the pipeline does for one call: the stages on (the configuration's, less those its model
 * mapping and its key turn off) and the history budget.
 *
 * @param historyBudgetTokens conversations longer than this lose their oldest turns; null keeps them
 */
public record PromptSettings(Set<Stage> on, Integer historyBudgetTokens) {
  public PromptSettings {
    on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
  }

  public static final PromptSettings OFF = new PromptSettings(Set.of(), null);

  public boolean on(Stage stage) {
    return on.contains(stage);
  }

  public boolean allOff() {
    return on.isEmpty();
  }

  /** Every stage on, no history budget: the settings of a configuration that changes nothing. */
  public static PromptSettings all() {
    return new PromptSettings(EnumSet.allOf(Stage.class), null);
  }

  /** These settings without {@code stages}; unknown names are ignored (a key may name a stage a newer build dropped). */
  PromptSettings without(Iterable<String> stages) {
    EnumSet<Stage> left = on.isEmpty() ? EnumSet.noneOf(Stage.class) : EnumSet.copyOf(on);
    for (String name : stages) {
      Stage s = PipelineConfig.Stage.parse(name);
      if (s != null) {
        left.remove(s);
      }
    }
    return left.size() == on.size() ? this : new PromptSettings(left, historyBudgetTokens);
  }
}
