package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start on a database that already has this build's schema skips Flyway; any other goes through it. */
class SchemaHistoryTest {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

  @TempDir
  Path dir;

  @Test
  void latestIsTheNewestMigrationInTheJar() throws IOException, URISyntaxException {
    Path migrations = Path.of(SchemaHistory.class.getResource("/db/migration").toURI());
    int newest;
    try (Stream<Path> files = Files.list(migrations)) {
      newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
    }

    assertThat(SchemaHistory.LATEST).isEqualTo(Integer.toString(newest));
  }

  @Test
  void aNewDatabaseIsNotCurrent() {
    JdbcDataSource empty = new JdbcDataSource();
    empty.setURL("jdbc:h2:file:" + dir.resolve("empty"));

    assertThat(SchemaHistory.current(empty)).isFalse();
  }

  @Test
  void aMigratedDatabaseIsCurrent() {
    try (Database db = Database.open(config("migrated"))) {
      assertThat(SchemaHistory.current(db.dataSource())).isTrue();
    }
  }

  @Test
  void aMigratedPostgresSchemaIsCurrent() {
    TestDatabase postgres = TestDatabases.postgres();
    try {
      assertThat(SchemaHistory.current(postgres.dataSource())).isTrue();
    } finally {
      postgres.drop();
    }
  }

  @Test
  void aDatabaseReopenedKeepsItsRows() throws SQLException {
    try (Database db = Database.open(config("reopened"))) {
      execute(db, "INSERT INTO model_overrides (name, definition) VALUES ('kept', '{}')");
    }

    try (Database db = Database.open(config("reopened")); Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT name FROM model_overrides")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("kept");
    }
  }

  @Test
  void aDatabaseWhoseLastMigrationFailedIsLeftToFlywayWhichRefusesIt() throws SQLException {
    try (Database db = Database.open(config("failed"))) {
      execute(db, "UPDATE flyway_schema_history SET success = FALSE WHERE version = '" + SchemaHistory.LATEST + "'");
    }

    assertThatThrownBy(() -> Database.open(config("failed"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("migrating").hasMessageContaining("failed");
  }

  @Test
  void aDatabaseWithoutTheNewestMigrationIsNotCurrent() throws SQLException {
    try (Database db = Database.open(config("older"))) {
      execute(db, "DELETE FROM flyway_schema_history WHERE version = '" + SchemaHistory.LATEST + "'");

      assertThat(SchemaHistory.current(db.dataSource())).isFalse();
    }
  }

  @Test
  void aDatabaseOfANewerBuildIsNotCurrent() throws SQLException {
    try (Database db = Database.open(config("newer"))) {
      execute(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
          + " checksum, installed_by, execution_time, success) VALUES (1000, '999', 'from a newer build', 'SQL',"
          + " 'V999__from_a_newer_build.sql', 0, 'test', 0, TRUE)");

      assertThat(SchemaHistory.current(db.dataSource())).isFalse();
    }
  }

  private DatabaseConfig config(String name) {
    return new DatabaseConfig("jdbc:h2:file:" + dir.resolve(name), null, null, 2);
  }

  private static void execute(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
