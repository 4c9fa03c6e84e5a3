package io.tokenrouter.usage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tokenrouter.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of usage records the database could not take, one JSON object per line,
 * read back in order by the replayer. Used by one thread only (the recorder's writer).
 *
 * <p>Durability: {@link #append} returns only after the lines are fsync'd, so the caller may
 * then release the records' queue slots. The file is cut back to empty only once everything
 * before the read position has been committed to the database; a crash before that replays
 * records that are already stored, which the idempotent insert turns into no-ops.
 *
 * <p>A crash in the middle of an append leaves an unterminated line at the end. It cannot be a
 * record that was acknowledged (acknowledgement follows the fsync of the whole line), so it is
 * skipped; the next append starts on a fresh line so the fragment never swallows a good record.
 * Any other line that does not parse is skipped too, with a warning, rather than blocking
 * everything behind it.
 */
final class UsageSpool implements AutoCloseable {
  static final String FILE_NAME = "usage.spool";
  private static final Logger log = LoggerFactory.getLogger(UsageSpool.class);
  /** The JSON form of a record, also used by {@link DeadLetters}. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final int READ_BUFFER = 64 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private long readPosition;
  private boolean startOnNewLine;

  private UsageSpool(Path file, FileChannel channel, FileLock lock, boolean startOnNewLine) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.startOnNewLine = startOnNewLine;
  }

  /**
   * Opens (creating if needed) the spool in {@code dir} and locks it: two processes sharing a
   * spool would replay and truncate each other's records.
   */
  static UsageSpool open(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new OverlappingFileLockException();
      }
      long size = channel.size();
      boolean torn = size > 0 && lastByte(channel, size) != '\n';
      UsageSpool spool = new UsageSpool(file, channel, lock, torn);
      if (size > 0) {
        log.info("usage spool {} holds {} bytes from an earlier run; replaying them once the database answers",
            file, size);
      }
      return spool;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new ConfigException("usage.spool_dir: " + file + " is in use by another gateway process;"
          + " give each process its own spool_dir");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException("usage.spool_dir: cannot open " + file + ": " + e.getMessage());
    }
  }

  Path file() {
    return file;
  }

  /** Appends the records and forces them to disk; when this returns they survive a crash. */
  void append(List<UsageRecord> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 400);
    if (startOnNewLine) {
      out.write('\n');
    }
    for (UsageRecord r : records) {
      JSON.writeValue(out, r);
      out.write('\n');
    }
    long end = channel.size();
    ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
    try {
      while (bytes.hasRemaining()) {
        end += channel.write(bytes, end);
      }
      channel.force(true);
      startOnNewLine = false;
    } catch (IOException e) {
      // Part of the batch may be on disk without its line end; the caller keeps the batch.
      startOnNewLine = true;
      throw e;
    }
  }

  /** False while anything remains that has not been handed to {@link #consumed}. */
  boolean isEmpty() {
    try {
      return readPosition >= channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next records after the read position, at most {@code max}; nothing is consumed yet. */
  Chunk read(int max) throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    long size = channel.size();
    long scanned = readPosition;
    long consumed = readPosition;
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    while (records.size() < max && scanned < size) {
      buffer.clear();
      int n = channel.read(buffer, scanned);
      if (n <= 0) {
        break;
      }
      scanned += n;
      buffer.flip();
      while (buffer.hasRemaining() && records.size() < max) {
        byte b = buffer.get();
        if (b != '\n') {
          line.write(b);
          continue;
        }
        consumed += line.size() + 1;
        parse(line, consumed).ifPresent(records::add);
        line.reset();
      }
    }
    if (records.size() < max && scanned >= size && line.size() > 0) {
      log.warn("usage spool {}: skipping an unterminated last line of {} bytes (a write cut short)",
          file, line.size());
      consumed += line.size();
    }
    return new Chunk(records, consumed);
  }

  /**
   * Marks a chunk as stored in the database. Once everything read is stored, the file is cut
   * back to empty so it does not grow across outages.
   */
  void consumed(Chunk chunk) throws IOException {
    readPosition = chunk.end();
    if (readPosition >= channel.size()) {
      channel.truncate(0);
      channel.force(true);
      readPosition = 0;
    }
  }

  private Optional<UsageRecord> parse(ByteArrayOutputStream line, long endOffset) {
    if (line.size() == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(line.toByteArray(), UsageRecord.class));
    } catch (IOException e) {
      log.warn("usage spool {}: skipping a line that is not a usage record (ending at byte {}): {}",
          file, endOffset, e.getMessage());
      return Optional.empty();
    }
  }

  private static byte lastByte(FileChannel channel, long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, size - 1);
    return one.get(0);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing with a better message
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      log.warn("closing usage spool {}: {}", file, e.getMessage());
    }
  }

  /** Records read from the spool and the file offset just after the last line they came from. */
  record Chunk(List<UsageRecord> records, long end) {}
}
