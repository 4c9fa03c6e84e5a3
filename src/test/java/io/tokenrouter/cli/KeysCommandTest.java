package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tokenrouter keys ...} against a real embedded database file. */
class KeysCommandTest {
  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String config() throws Exception {
    Path file = dir.resolve("tokenrouter.yaml");
    Files.writeString(file, """
        database: { url: "jdbc:h2:file:%s/db" }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: m, targets: [ { provider: mock, model: m } ] } ]
        """.formatted(dir.toString().replace('\\', '/')));
    return file.toString();
  }

  @Test
  void createPrintsTheKeyOnceAndStoresOnlyItsHash() throws Exception {
    String config = config();

    Run created = run("keys", "create", "--name", "ci", "--models", "m,n", "--expires", "2099-01-31", "--config", config);
    Run listed = run("keys", "list", "--config", config);

    assertThat(created.exit()).isZero();
    String key = created.out().lines().filter(l -> l.startsWith("key:")).findFirst().orElseThrow().substring(4).trim();
    assertThat(key).startsWith("tr-").hasSizeGreaterThan(40);
    assertThat(listed.out()).contains("ci", key.substring(0, 10) + "...", "active", "m,n", "2099-02-01")
        .doesNotContain(key);
  }

  @Test
  void limitsAreStoredAndListed() throws Exception {
    String config = config();

    Run created = run("keys", "create", "--name", "limited", "--rpm", "60", "--tpm", "10000",
        "--max-output-tokens", "500", "--daily-budget", "2.50", "--project", "search", "--config", config);

    assertThat(created.exit()).isZero();
    assertThat(created.out()).contains("limits:  rpm=60 tpm=10000 out=500 daily$=2.5");
    assertThat(run("keys", "list", "--config", config).out().lines().filter(l -> l.contains("limited")))
        .singleElement().asString().contains("search", "rpm=60 tpm=10000 out=500 daily$=2.5");
  }

  @Test
  void nonPositiveLimitIsRefusedNamingTheOption() throws Exception {
    Run r = run("keys", "create", "--name", "bad", "--rpm", "0", "--config", config());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--rpm: '0' is not a whole number between 1 and");
  }

  @Test
  void keyOfAUserIsCreatedByTheUsersEmail() throws Exception {
    String config = config();
    Run user = run("users", "create", "--email", "ada@example.com", "--plan", "pro", "--config", config);

    Run created = run("keys", "create", "--name", "ada-key", "--user", "ada@example.com", "--config", config);

    assertThat(user.exit()).isZero();
    assertThat(created.exit()).isZero();
    String userId = user.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim();
    assertThat(created.out()).contains("user:    " + userId);
    assertThat(run("users", "list", "--config", config).out()).contains("ada@example.com", "pro");
  }

  @Test
  void keyOfAnUnknownUserIsRefused() throws Exception {
    Run r = run("keys", "create", "--name", "x", "--user", "nobody@example.com", "--config", config());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--user: No user has the email or id 'nobody@example.com'.");
  }

  @Test
  void userOnAnUnknownPlanIsRefused() throws Exception {
    Run r = run("users", "create", "--email", "x@example.com", "--plan", "platinum", "--config", config());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--plan: There is no plan named 'platinum'. Plans: enterprise, free, pro.");
  }

  @Test
  void setPlanMovesTheUser() throws Exception {
    String config = config();
    run("users", "create", "--email", "bo@example.com", "--config", config);

    Run moved = run("users", "set-plan", "bo@example.com", "enterprise", "--config", config);

    assertThat(moved.exit()).isZero();
    assertThat(run("users", "list", "--config", config).out().lines().filter(l -> l.contains("bo@example.com")))
        .singleElement().asString().contains("enterprise");
  }

  @Test
  void revokeMarksTheKeyRevoked() throws Exception {
    String config = config();
    Run created = run("keys", "create", "--name", "gone", "--config", config);
    String id = created.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim();

    Run revoked = run("keys", "revoke", id, "--config", config);

    assertThat(revoked.exit()).isZero();
    assertThat(run("keys", "list", "--config", config).out()).contains("revoked");
  }

  @Test
  void revokingAnUnknownIdFails() throws Exception {
    Run r = run("keys", "revoke", "00000000-0000-0000-0000-000000000000", "--config", config());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("No key has the id 00000000-0000-0000-0000-000000000000.");
  }

  @Test
  void badConfigurationFailsWithTheFieldNamed() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "server: { port: nope }\n");

    Run r = run("keys", "list", "--config", bad.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("server.port");
  }
}
