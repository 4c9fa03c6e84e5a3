package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The providers table (V3, V12), asked at start whether it holds encrypted secrets; its rows, the
 * admin API's provider changes, are read and written by {@link OverrideRepository}.
 */
public final class ProviderRepository {
  private final DataSource ds;

  public ProviderRepository(DataSource ds) {
    this.ds = ds;
  }

  /** Whether any provider's API key is stored encrypted, which needs the master key to be read. */
  public boolean holdsSecrets() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT 1 FROM providers WHERE api_key_encrypted IS NOT NULL LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      throw new StoreException("looking for stored provider secrets", e);
    }
  }
}
