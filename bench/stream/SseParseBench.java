import io.tokenrouter.provider.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The gateway's SSE parser alone, on one stream file fed as a single read (as the benchmark's
 * upstream sends it): nanoseconds per stream, the median of ten one-second rounds after five of
 * warm-up. Run it against two jars to compare parsers; the class it loads is the jar's own:
 *
 * <pre>
 * python3 bench/gen_bodies.py /tmp/bodies
 * java -cp target/tokenrouter.jar bench/stream/SseParseBench.java /tmp/bodies/stream.sse
 * </pre>
 */
public class SseParseBench {
  private static long events;

  public static void main(String[] args) throws Exception {
    byte[] stream = Files.readAllBytes(Path.of(args[0]));
    double[] rounds = new double[15];
    for (int r = 0; r < rounds.length; r++) {
      long n = 0;
      long start = System.nanoTime();
      long until = start + 1_000_000_000L;
      long now;
      do {
        for (int i = 0; i < 1_000; i++) {
          SseParser parser = new SseParser((name, data) -> events += data.length);
          parser.feed(Buffer.buffer(stream));
          parser.end();
        }
        n += 1_000;
      } while ((now = System.nanoTime()) < until);
      rounds[r] = (now - start) / (double) n;
    }
    double[] measured = Arrays.copyOfRange(rounds, 5, rounds.length);
    Arrays.sort(measured);
    System.out.printf("%s: %d bytes, %.0f ns per stream (median of %d rounds; min %.0f, max %.0f)%n",
        args[0], stream.length, (measured[4] + measured[5]) / 2, measured.length, measured[0],
        measured[measured.length - 1]);
    if (events == 42) {
      System.out.println();
    }
  }
}
