import io.tokenrouter.provider.JsonTaps;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading the usage of a whole reply relayed as it is (a JSON body from the provider): what the
 * raw decoders do on the event loop for every non-streamed answer. On a jar that has
 * {@code JsonTaps.rootField} it measures that; on an older jar, {@code JsonTaps.topLevelField},
 * which reads the body token by token as those decoders then did. Nanoseconds per body, the
 * median of ten one-second rounds after five of warm-up:
 *
 * <pre>
 * python3 bench/gen_bodies.py /tmp/bodies
 * java -cp target/tokenrouter.jar bench/stream/BodyUsageBench.java /tmp/bodies/www/static/embedding.json
 * </pre>
 */
public class BodyUsageBench {
  private static long found;

  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[0]));
    Method read;
    boolean root;
    try {
      read = JsonTaps.class.getMethod("rootField", byte[].class, String.class, String.class);
      root = true;
    } catch (NoSuchMethodException older) {
      read = JsonTaps.class.getMethod("topLevelField", byte[].class, String.class);
      root = false;
    }
    double[] rounds = new double[15];
    for (int r = 0; r < rounds.length; r++) {
      long n = 0;
      long start = System.nanoTime();
      long until = start + 1_000_000_000L;
      long now;
      do {
        for (int i = 0; i < 100; i++) {
          Object usage = root ? read.invoke(null, body, "usage", "bench") : read.invoke(null, body, "usage");
          found += usage == null ? 0 : 1;
        }
        n += 100;
      } while ((now = System.nanoTime()) < until);
      rounds[r] = (now - start) / (double) n;
    }
    double[] measured = Arrays.copyOfRange(rounds, 5, rounds.length);
    Arrays.sort(measured);
    System.out.printf("%s (%s): %d bytes, %.0f ns per body (median of %d rounds; min %.0f, max %.0f), usage found %s%n",
        args[0], read.getName(), body.length, measured[measured.length / 2], measured.length, measured[0],
        measured[measured.length - 1], found > 0);
  }
}
