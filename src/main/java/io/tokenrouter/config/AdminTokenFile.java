package io.tokenrouter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The admin token of a dev gateway on the embedded database when none is configured: generated on
 * first start and kept next to the database file ({@code data/tokenrouter.admin-token}), readable
 * by its owner only, so the command line of the same user finds it and nobody else does.
 * Production never uses it: there the token must be configured ({@link ProductionSafety}).
 */
public final class AdminTokenFile {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path path;

  private AdminTokenFile(Path path) {
    this.path = path;
  }

  /** The token file of an H2 file database; empty for PostgreSQL and in-memory databases. */
  public static Optional<AdminTokenFile> of(DatabaseConfig database) {
    return database.h2File().map(f -> new AdminTokenFile(f.resolveSibling(f.getFileName() + ".admin-token")));
  }

  public Path path() {
    return path;
  }

  public Optional<String> read() {
    try {
      String token = Files.readString(path, StandardCharsets.UTF_8).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The stored token, or a new one written with owner-only permissions. */
  public String readOrCreate() {
    Optional<String> existing = read();
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "tra-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      try {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(path);
      }
      Files.writeString(path, token + "\n", StandardCharsets.UTF_8);
      return token;
    } catch (FileAlreadyExistsException raced) {
      return read().orElseThrow(() -> new ConfigException("admin token file " + path + " exists but is empty"));
    } catch (IOException e) {
      throw new ConfigException("admin.token: not set, and the dev token file " + path + " cannot be written: "
          + e.getMessage());
    }
  }
}
