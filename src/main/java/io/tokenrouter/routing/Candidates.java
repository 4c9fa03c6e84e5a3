package io.tokenrouter.routing;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.provider.Target;
import java.util.List;

/** The route of a call's model; left on the call by {@link ResolveModel}. */
public record Candidates(Route route) {
  public static final Attachment<Candidates> KEY = Attachment.named("candidates");

  /** The targets that can serve the call, best priority first. */
  public List<Target> targets() {
    return route.targets();
  }

  /** The target admission prices and counts the request by: the first of the best priority. */
  public Target first() {
    return route.targets().getFirst();
  }
}
