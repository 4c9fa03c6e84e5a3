package io.tokenrouter.usage;

/**
 * The database answered and refused records themselves (a value it cannot hold, a constraint):
 * writing them again fails the same way, so the refused one is found and set aside.
 */
public final class RecordsRefused extends RuntimeException {
  private final String sqlState;

  /**
   * @param sqlState the database's SQLState
   * @param reason the database's own words for it
   */
  public RecordsRefused(String sqlState, String reason, Throwable cause) {
    super(reason, cause);
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
