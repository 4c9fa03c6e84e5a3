package io.tokenrouter.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The usage records the database refused outright, set aside so that they block nothing: one
 * JSON line per record in {@code usage.dead-letter} next to the spool, with the database's
 * reason, for an operator to inspect and, once fixed, load by hand. Appended and fsync'd; never
 * read by the gateway. Used by the recorder's writer thread only.
 */
final class DeadLetters {
  static final String FILE_NAME = "usage.dead-letter";
  private final Path file;

  DeadLetters(Path dir) {
    this.file = dir.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  /** Appends {@code record} with why it was refused; when this returns the line is on disk. */
  void append(UsageRecord record, String sqlState, String reason) throws IOException {
    ObjectNode line = UsageSpool.JSON.createObjectNode();
    line.put("set_aside_at", Instant.now().toString());
    line.put("sql_state", sqlState);
    line.put("reason", reason);
    line.set("record", UsageSpool.JSON.valueToTree(record));
    byte[] bytes = (UsageSpool.JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }
}
