package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs several repository calls in one transaction, so a change and its audit row land together
 * or not at all. Blocking JDBC: call it from a worker, never from an event loop.
 */
public final class Transactions {
  /** SQLSTATE of a unique constraint violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";
  private final DataSource ds;

  public Transactions(DataSource ds) {
    this.ds = ds;
  }

  /** Work done on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Commits what {@code work} did, or rolls it back when it throws.
   *
   * @param what names the work for error messages ("creating key x")
   * @throws ConflictException when a unique value would be duplicated
   * @throws StoreException when the database fails
   */
  public <T> T run(String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new ConflictException(what, e);
      }
      throw new StoreException(what, e);
    }
  }
}
