package io.tokenrouter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to standard output from one writer thread, in batches: the thread that logs
 * (an event loop, for the access log's line per request) only queues the event, without waking
 * anyone; the writer wakes every {@code lingerMillis}, encodes what came and writes it with one
 * system call. Logback's AsyncAppender with a ConsoleAppender cost a wake-up of its worker per
 * line on the logging thread and a flushed write per line on the worker.
 *
 * <p>After {@link #IDLE_ROUNDS} wake-ups in a row that found nothing, the writer sleeps until a
 * line comes, and the thread that queues that line wakes it: an idle gateway's writer woke a
 * hundred times a second for nothing, each wake-up on a cold core about 46 µs (bench/RESULTS.md).
 * Under traffic the writer never gets that far, and the logging thread wakes no one.
 *
 * <p>Stopping (the serve command's shutdown hook stops the logger context) writes everything
 * still queued; so does the JVM's exit, without stopping, for the commands that exit without
 * stopping Logback (a line logged just before {@code System.exit} must not be lost). A queue
 * past {@code capacity} lines means the writer cannot keep up: further lines are counted and
 * dropped rather than stall an event loop, and a warning says how many.
 */
public final class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** A batch is written when it reaches this size, so a burst does not grow one array without bound. */
  private static final int WRITE_AT_BYTES = 64 * 1024;
  /** How long the JVM's exit waits for the queued lines to be written. */
  private static final long EXIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Empty wake-ups in a row before the writer sleeps until woken: 500 ms at the default linger. */
  static final int IDLE_ROUNDS = 10;
  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  /** Lines accepted and not yet written. */
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(WRITE_AT_BYTES);
  private final OutputStream out;
  private Encoder<ILoggingEvent> encoder;
  private int capacity = 65_536;
  /**
   * How long the writer gathers lines before it writes them. Below saturation it wakes this often
   * whatever the rate: at about 1,000 requests a second, 10 ms cost the access log 18-22 µs of CPU
   * a request, 50 ms 8-9 (bench/RESULTS.md, twelfth session). A line shows up at most this much
   * later, and stopping still writes every queued line.
   */
  private long lingerMillis = 50;
  private Thread writer;
  private Thread atExit;
  private volatile boolean stopping;
  /**
   * Set by the writer before it sleeps without a timeout and checks the queue once more; read by
   * {@link #append} after it queued. Each writes before it reads, so at least one of them sees the
   * other's write: the writer finds the line, or the appender wakes the writer.
   */
  private volatile boolean asleep;

  public BatchingStdoutAppender() {
    // System.out rather than the file descriptor: where a test runner or an embedding program
    // has replaced it, the lines go where that program reads them, not around it
    this(System.out);
  }

  BatchingStdoutAppender(OutputStream out) {
    this.out = out;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setCapacity(int capacity) {
    this.capacity = capacity;
  }

  public void setLingerMillis(long lingerMillis) {
    this.lingerMillis = lingerMillis;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for appender " + name);
      return;
    }
    stopping = false;
    writer = Thread.ofPlatform().daemon().name("log-writer").unstarted(this::write);
    atExit = Thread.ofPlatform().name("log-writer-exit").unstarted(this::writeQueued);
    super.start();
    writer.start();
    Runtime.getRuntime().addShutdownHook(atExit);
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(atExit);
    } catch (IllegalStateException exiting) {
      // the JVM is exiting: the hook runs, and finds nothing queued
    }
    super.stop();
  }

  /** At the JVM's exit: wakes the writer and waits (a bounded time) until what is queued is written. */
  void writeQueued() {
    long deadline = System.nanoTime() + EXIT_WAIT_NANOS;
    while (queued.get() > 0 && writer.isAlive() && System.nanoTime() - deadline < 0) {
      LockSupport.unpark(writer);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    // what the event refers to (its message arguments, the thread's name and MDC) is fixed now
    event.prepareForDeferredProcessing();
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.offer(event);
    if (asleep) {
      LockSupport.unpark(writer);
    }
  }

  private void write() {
    long lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
    int idle = 0;
    while (true) {
      LockSupport.parkNanos(this, lingerNanos);
      boolean last = stopping;
      idle = drain() ? 0 : idle + 1;
      if (last) {
        return;
      }
      if (idle >= IDLE_ROUNDS) {
        sleepUntilALine();
        idle = 0;
      }
    }
  }

  private void sleepUntilALine() {
    asleep = true;
    while (queue.isEmpty() && !stopping) {
      LockSupport.park(this);
    }
    asleep = false;
  }

  /** Whether the writer sleeps until a line comes (it found nothing for {@link #IDLE_ROUNDS} wake-ups). */
  boolean asleep() {
    return asleep;
  }

  /** Writes what is queued; whether there was anything. */
  private boolean drain() {
    ILoggingEvent event;
    int taken = 0;
    while ((event = queue.poll()) != null) {
      taken++;
      encode(event);
    }
    long lost = dropped.sumThenReset();
    if (lost > 0) {
      encode(droppedWarning(lost));
    }
    flush();
    queued.addAndGet(-taken);
    return taken > 0 || lost > 0;
  }

  private void encode(ILoggingEvent event) {
    try {
      batch.writeBytes(encoder.encode(event));
    } catch (RuntimeException e) {
      addError("a log event could not be encoded", e);
    }
    if (batch.size() >= WRITE_AT_BYTES) {
      flush();
    }
  }

  private void flush() {
    if (batch.size() == 0) {
      return;
    }
    try {
      batch.writeTo(out);
      out.flush();
    } catch (IOException e) {
      addError("standard output could not be written", e);
    }
    batch.reset();
  }

  private ILoggingEvent droppedWarning(long lost) {
    Logger logger = ((LoggerContext) getContext()).getLogger(BatchingStdoutAppender.class);
    return new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "{} log lines dropped: the log writer could"
        + " not keep up with {} queued lines", null, new Object[] {lost, capacity});
  }
}
