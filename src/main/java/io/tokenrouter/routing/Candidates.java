package io.tokenrouter.routing;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.provider.Target;

/** The route of a call's model; left on the call by {@link ResolveModel}. */
public record Candidates(Route route) {
  public static final Attachment<Candidates> KEY = Attachment.named("candidates");

  /** The target admission prices and counts the request by: the first of the best priority. */
  public Target first() {
    return route.targets().getFirst();
  }
}
