package io.tokenrouter.call;

/**
 * A typed key for what a stage leaves on a {@link Call} for later stages (the admission holds,
 * the matched namespace). The stage that owns the value declares the key.
 */
public final class Attachment<T> {
  private final String name;

  private Attachment(String name) {
    this.name = name;
  }

  public static <T> Attachment<T> named(String name) {
    return new Attachment<>(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
