package io.tokenrouter.admin;

import io.tokenrouter.store.Transactions;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * What every resource uses: the database, transactions, the audit trail, the request runner, the
 * clock, and who the token's changes are recorded as.
 */
record AdminContext(DataSource ds, Transactions tx, AuditTrail audit, Exchange exchange, Clock clock,
    String actor) {

  /** Who made the change this request asks for, and the request's id. */
  AuditTrail.Origin origin(RoutingContext ctx) {
    return new AuditTrail.Origin(actor, ctx.response().headers().get("X-Request-Id"));
  }
}
