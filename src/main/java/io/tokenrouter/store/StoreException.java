package io.tokenrouter.store;

import java.sql.SQLException;

/** A database operation failed; the cause is the driver's exception. */
public final class StoreException extends RuntimeException {
  public StoreException(String what, Throwable cause) {
    super(what + " failed: " + cause.getMessage(), cause);
  }

  /**
   * True when the database answered and refused the data itself: an SQLState of class 22 (data
   * exception: a value out of range, a character the encoding cannot hold) or 23 (a constraint).
   * Writing the same data again fails the same way, so it must be set apart rather than retried.
   * Anything else (no connection, a timeout, a cancelled statement) is the database being away.
   */
  public boolean dataRefused() {
    String state = sqlState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /** The SQLState the database answered with, or null when it did not answer. */
  public String sqlState() {
    SQLException answer = answer();
    return answer == null ? null : answer.getSQLState();
  }

  /** The database's own words for the failure (for a batch, those about the failing entry). */
  public String reason() {
    SQLException answer = answer();
    return answer == null ? getCause().getMessage() : answer.getMessage();
  }

  /**
   * The innermost exception carrying an SQLState: drivers wrap a batch's failure in a
   * BatchUpdateException whose message repeats the statement, and chain the database's error to it.
   */
  private SQLException answer() {
    for (Throwable t = getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        SQLException answer = null;
        for (SQLException e = sql; e != null; e = e.getNextException()) {
          if (e.getSQLState() != null) {
            answer = e;
          }
        }
        if (answer != null) {
          return answer;
        }
      }
    }
    return null;
  }
}
