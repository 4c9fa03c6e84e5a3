package io.tokenrouter.store;

import io.tokenrouter.billing.Price;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

  /** One model's price, or empty when it has none. */
  public Optional<Listed> find(Connection c, String model) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT model, prompt_price, completion_price, cache_read_price,"
        + " cache_write_price, provider, effective_from, updated_at FROM model_pricing WHERE model = ?")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(listed(rs)) : Optional.empty();
      }
    }
  }

  /** Sets a model's price, from {@code at} on: the price of its row is replaced, or a row added. */
  public void save(Connection c, Price price, String provider, Instant at) throws SQLException {
    int updated;
    try (PreparedStatement ps = c.prepareStatement("UPDATE model_pricing SET prompt_price = ?, completion_price = ?,"
        + " cache_read_price = ?, cache_write_price = ?, provider = ?, effective_from = ?, updated_at = ?"
        + " WHERE model = ?")) {
      int i = priceValues(ps, price, provider, at);
      ps.setString(i, price.model());
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_pricing (prompt_price, completion_price,"
          + " cache_read_price, cache_write_price, provider, effective_from, updated_at, model, id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = priceValues(ps, price, provider, at);
        ps.setString(i++, price.model());
        ps.setObject(i, UUID.randomUUID());
        ps.executeUpdate();
      }
    }
  }

  /** Removes a model's price (its requests then cost nothing); whether it had one. */
  public boolean delete(Connection c, String model) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_pricing WHERE model = ?")) {
      ps.setString(1, model);
      return ps.executeUpdate() > 0;
    }
  }

  private static int priceValues(PreparedStatement ps, Price price, String provider, Instant at) throws SQLException {
    ps.setBigDecimal(1, price.input());
    ps.setBigDecimal(2, price.output());
    ps.setBigDecimal(3, undiscounted(price.cacheRead(), price.input()));
    ps.setBigDecimal(4, undiscounted(price.cacheWrite(), price.input()));
    ps.setString(5, provider);
    ps.setTimestamp(6, Timestamp.from(at));
    ps.setTimestamp(7, Timestamp.from(at));
    return 8;
  }

  /** The table keeps 0 for a cache price that is the input price, so it follows a new input price. */
  private static BigDecimal undiscounted(BigDecimal cache, BigDecimal input) {
    return cache.compareTo(input) == 0 ? BigDecimal.ZERO : cache;
  }

  private static Listed listed(ResultSet rs) throws SQLException {
    return new Listed(new Price(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
        rs.getBigDecimal(5)), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant());
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
        rows.add(listed(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException("reading the price list", e);
    }
  }
}
