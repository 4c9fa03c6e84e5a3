package io.tokenrouter.store;

import io.tokenrouter.billing.Price;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The model_pricing table. Blocking JDBC: call it from a worker, never from an event loop. */
public final class PricingRepository {
  private final DataSource ds;

  public PricingRepository(DataSource ds) {
    this.ds = ds;
  }

  /** Every listed price, keyed by the provider's model name. */
  public List<Price> all() {
    String sql = "SELECT model, prompt_price, completion_price, cache_read_price, cache_write_price"
        + " FROM model_pricing ORDER BY model";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<Price> prices = new ArrayList<>();
      while (rs.next()) {
        prices.add(new Price(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
            rs.getBigDecimal(5)));
      }
      return prices;
    } catch (SQLException e) {
      throw new StoreException("reading model prices", e);
    }
  }

  /** A row of the price list as the console shows it: which provider lists it and since when. */
  public record Listed(Price price, String provider, Instant effectiveFrom, Instant updatedAt) {}

  /** The whole price list, by model name. */
  public List<Listed> listing() {
    String sql = "SELECT model, prompt_price, completion_price, cache_read_price, cache_write_price, provider,"
        + " effective_from, updated_at FROM model_pricing ORDER BY model";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<Listed> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(new Listed(new Price(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
            rs.getBigDecimal(5)), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()));
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException("reading the price list", e);
    }
  }
}
