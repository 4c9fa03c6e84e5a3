package io.tokenrouter.call;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path: interceptors in order, the last of which answers (or the call fails with
 * "nothing answered"). An interceptor that throws instead of failing its future is a bug; the
 * client gets a 500 in its own format and the log gets the stack trace.
 */
public final class CallChain {
  private static final Logger log = LoggerFactory.getLogger(CallChain.class);
  private final List<CallInterceptor> interceptors;

  public CallChain(List<CallInterceptor> interceptors) {
    this.interceptors = List.copyOf(interceptors);
  }

  public Future<Reply> run(Call call) {
    return new Link(0).proceed(call);
  }

  private final class Link implements CallInterceptor.Chain {
    private final int index;

    Link(int index) {
      this.index = index;
    }

    @Override
    public Future<Reply> proceed(Call call) {
      if (index == interceptors.size()) {
        return Future.failedFuture(GatewayError.of(GatewayError.Kind.INTERNAL, 500, "internal_error",
            "The gateway has no stage that answers this request."));
      }
      CallInterceptor interceptor = interceptors.get(index);
      try {
        return interceptor.intercept(call, new Link(index + 1));
      } catch (GatewayError e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        log.error("request {}: {} failed", call.id(), interceptor.getClass().getSimpleName(), e);
        return Future.failedFuture(GatewayError.of(GatewayError.Kind.INTERNAL, 500, "internal_error",
            "The gateway failed to handle this request."));
      }
    }
  }
}
