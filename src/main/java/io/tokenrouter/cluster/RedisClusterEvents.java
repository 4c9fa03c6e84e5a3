package io.tokenrouter.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events over Redis pub/sub on channel {@code tokenrouter:events}. The subscription holds one
 * dedicated connection; when it drops, it is re-established with backoff (and while it is down,
 * caches fall back to their TTL).
 */
public final class RedisClusterEvents implements ClusterEvents {
  static final String CHANNEL = "tokenrouter:events";
  private static final Logger log = LoggerFactory.getLogger(RedisClusterEvents.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final Redis commands;
  private final Redis subscriber;
  private final List<Consumer<ClusterEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private volatile RedisConnection connection;

  public RedisClusterEvents(Vertx vertx, Redis commands, Redis subscriber) {
    this.vertx = vertx;
    this.commands = commands;
    this.subscriber = subscriber;
  }

  /** Completes when the first subscription is in place (or failed; it keeps retrying). */
  public Future<Void> start() {
    return connect(100).otherwiseEmpty();
  }

  private Future<Void> connect(long backoffMs) {
    if (closed) {
      return Future.succeededFuture();
    }
    return subscriber.connect().compose(conn -> {
      connection = conn;
      conn.handler(this::onMessage);
      conn.exceptionHandler(err -> log.warn("event subscription error: {}", err.getMessage()));
      conn.endHandler(v -> reconnect(100));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).<Void>mapEmpty();
    }).onFailure(err -> {
      log.warn("cannot subscribe to {} ({}); retrying in {} ms", CHANNEL, err.getMessage(), backoffMs);
      reconnect(backoffMs);
    });
  }

  private void reconnect(long backoffMs) {
    if (!closed) {
      vertx.setTimer(backoffMs, id -> connect(Math.min(backoffMs * 2, MAX_BACKOFF_MS)));
    }
  }

  private void onMessage(Response push) {
    // RESP3 delivers messages as PUSH, RESP2 as a plain array: both are [message, channel, payload].
    if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI || push.size() < 3
        || !"message".equals(push.get(0).toString())) {
      return;
    }
    ClusterEvent event = ClusterEvent.decode(push.get(2).toString());
    if (event != null) {
      listeners.forEach(l -> l.accept(event));
    }
  }

  @Override
  public Future<Void> publish(ClusterEvent event) {
    return commands.send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(event.encode())).mapEmpty();
  }

  @Override
  public void subscribe(Consumer<ClusterEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    RedisConnection c = connection;
    return (c == null ? Future.<Void>succeededFuture() : c.close()).eventually(subscriber::close);
  }
}
