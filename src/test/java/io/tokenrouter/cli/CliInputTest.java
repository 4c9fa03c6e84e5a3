package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a newcomer types wrong on the command line is answered in words, never with a Java exception name. */
class CliInputTest {
  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(args);
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A configuration whose provider secret is not set in the environment. */
  private String config() throws Exception {
    Path file = dir.resolve("tokenrouter.yaml");
    Files.writeString(file, """
        server: { port: 1 }
        database: { url: "jdbc:h2:file:%s/db" }
        providers:
          - { name: openai-main, type: openai, base_url: https://api.openai.com/v1, api_key: ${NOT_SET_OPENAI_KEY_81} }
        models: [ { name: gpt-4o-mini, targets: [ { provider: openai-main, model: gpt-4o-mini } ] } ]
        """.formatted(dir));
    return file.toString();
  }

  @Test
  void aStartBuildsOnlyTheCommandItRuns() {
    assertThat(Main.commandLine(new String[] {"serve", "--config", "x.yaml"}).getSubcommands()).containsOnlyKeys("serve");
    assertThat(Main.commandLine(new String[] {"demo"}).getSubcommands()).containsOnlyKeys("demo");
  }

  @Test
  void eachCommandIsListedUnderTheNameItsAnnotationGives() {
    for (Main.Named c : Main.COMMANDS) {
      assertThat(c.command().getAnnotation(CommandLine.Command.class).name()).isEqualTo(c.name());
    }
  }

  @Test
  void helpAndAMistypedCommandSeeEveryCommand() {
    List<String> all = List.of("serve", "demo", "users", "keys", "usage", "providers");

    assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands()).containsOnlyKeys(all);
    assertThat(Main.commandLine(new String[0]).getSubcommands()).containsOnlyKeys(all);
    assertThat(Main.commandLine(new String[] {"serv"}).getSubcommands()).containsOnlyKeys(all);
  }

  @Test
  void aBudgetThatIsNotANumberIsExplained() throws Exception {
    Run r = run("keys", "create", "--name", "k", "--daily-budget", "5usd", "--config", config());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --daily-budget: '5usd' is not a number of US dollars, e.g. 5 or 12.50")
        .doesNotContain("Exception", "java.", "BigDecimal");
  }

  @Test
  void aRateThatIsNotAWholeNumberIsExplained() throws Exception {
    Run r = run("users", "create", "--email", "a@example.com", "--rpm", "sixty", "--config", config());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --rpm: 'sixty' is not a whole number, e.g. 60");
  }

  @Test
  void keysAndUsersNeedNoProviderSecrets() throws Exception {
    String config = config();

    Run user = run("users", "create", "--email", "ada@example.com", "--config", config);
    Run key = run("keys", "create", "--name", "k", "--user", "ada@example.com", "--config", config);

    assertThat(user.exit()).as(user.err()).isZero();
    assertThat(key.exit()).as(key.err()).isZero();
    assertThat(run("keys", "list", "--config", config).out()).contains(" k ");
  }

  @Test
  void aMissingConfigurationFileIsNamedWithItsFullPath() {
    Run r = run("keys", "list", "--config", "nowhere.yaml");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains(Path.of("nowhere.yaml").toAbsolutePath() + ": no such file");
  }

  @Test
  void keysCanBeDisabledAndChanged() throws Exception {
    String config = config();
    Run created = run("keys", "create", "--name", "k", "--config", config);
    String id = created.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim();

    Run updated = run("keys", "update", id, "--disable", "--rpm", "5", "--models", "gpt-4o*", "--config", config);

    assertThat(updated.exit()).as(updated.err()).isZero();
    assertThat(updated.out()).contains("updated " + id + " (disabled; rpm=5)");
    assertThat(run("keys", "list", "--state", "disabled", "--config", config).out()).contains(id, "gpt-4o*");
  }

  @Test
  void changesMadeDirectlyAreAuditedAsTheCommandLine() throws Exception {
    String config = config();
    run("users", "create", "--email", "bo@example.com", "--config", config);

    Run moved = run("users", "update", "bo@example.com", "--plan", "pro", "--daily-budget", "3", "--config", config);

    assertThat(moved.exit()).as(moved.err()).isZero();
    assertThat(moved.out()).contains("bo@example.com is now on plan pro (daily$=3) directly in jdbc:h2:file:");
    try (Database db = Database.open(new DatabaseConfig("jdbc:h2:file:" + dir + "/db", null, null, 1));
        Connection c = db.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT actor, action FROM admin_audit WHERE resource = 'user'"
            + " ORDER BY created_at")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2));
      }
      String actor = "cli:" + System.getProperty("user.name");
      assertThat(rows).containsExactly(actor + " create", actor + " update");
    }
  }
}
