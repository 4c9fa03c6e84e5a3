package io.tokenrouter.routing;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.provider.Target;
import java.util.List;

/** The targets that can serve a call's model, best first; left on the call by {@link ResolveModel}. */
public record Candidates(List<Target> targets) {
  public static final Attachment<Candidates> KEY = Attachment.named("candidates");

  public Candidates {
    targets = List.copyOf(targets);
  }

  /** The target admission prices and counts the request by: the first choice. */
  public Target first() {
    return targets.getFirst();
  }
}
