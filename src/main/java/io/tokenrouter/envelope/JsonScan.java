package io.tokenrouter.envelope;

import java.nio.charset.StandardCharsets;

/**
 * Finds where values end in a JSON text the gateway has already parsed, without decoding any of
 * it: what a writer needs to copy a client's bytes part by part. Strings are most of an agent's
 * request, so their closing quote is searched for eight bytes at a time ({@link Words}); a parser's skip decodes
 * and checks every byte, which the parse before has done once already.
 *
 * <p>Positions are byte offsets. A position past the end, or a byte where JSON allows none, is
 * answered with {@code -1}, never an exception: callers then write the body whole.
 */
final class JsonScan {
  private static final long QUOTES = Words.repeated('"');
  private static final long BACKSLASHES = Words.repeated('\\');

  private final byte[] json;

  JsonScan(byte[] json) {
    this.json = json;
  }

  /** The byte at {@code i}, or 0 past the end. */
  int at(int i) {
    return i >= 0 && i < json.length ? json[i] : 0;
  }

  /** The first position from {@code i} that is not JSON whitespace. */
  int skipSpace(int i) {
    while (i >= 0 && i < json.length) {
      byte b = json[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return i;
      }
      i++;
    }
    return i;
  }

  /** Just past the value that starts at {@code i}; -1 when none does. */
  int valueEnd(int i) {
    return switch (at(i)) {
      case '"' -> stringEnd(i);
      case '{', '[' -> containerEnd(i);
      case 0, ',', ':', '}', ']' -> -1;
      default -> scalarEnd(i);
    };
  }

  /** Just past the string whose opening quote is at {@code i}; -1 when it does not close. */
  int stringEnd(int i) {
    int p = i + 1;
    while (p + Words.SIZE <= json.length) {
      long word = Words.at(json, p);
      long found = Words.zeroBytes(word ^ QUOTES) | Words.zeroBytes(word ^ BACKSLASHES);
      if (found == 0) {
        p += Words.SIZE;
        continue;
      }
      p += Words.lowest(found);
      if (json[p] == '"') {
        return p + 1;
      }
      p += 2;
    }
    while (p < json.length) {
      byte b = json[p];
      if (b == '"') {
        return p + 1;
      }
      p += b == '\\' ? 2 : 1;
    }
    return -1;
  }

  /**
   * Whether the string token {@code [start, end)} is {@code name} spelled without escapes (a name
   * spelled with them is not recognised, and the caller writes the body whole).
   */
  boolean nameIs(int start, int end, String name) {
    if (end - start != name.length() + 2) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      if (json[start + 1 + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The text of the string token {@code [start, end)} when it is a short one spelled without
   * escapes (a type or a role); null otherwise.
   */
  String plainString(int start, int end) {
    if (end < 0 || at(start) != '"' || end - start > 66 || escaped(start, end)) {
      return null;
    }
    return new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8);
  }

  /** Whether the string token {@code [start, end)} has an escape in it. */
  boolean escaped(int start, int end) {
    for (int k = start + 1; k < end - 1; k++) {
      if (json[k] == '\\') {
        return true;
      }
    }
    return false;
  }

  /** A cursor over the members of the object whose opening brace is at {@code start}. */
  Members members(int start) {
    return new Members(start);
  }

  /** A cursor over the elements of the array whose opening bracket is at {@code start}. */
  Elements elements(int start) {
    return new Elements(start);
  }

  /**
   * The values of an object or an array, one {@link #next()} at a time. A value's end is found
   * when asked for, or told by a caller that read into the value itself, so that every byte of a
   * nested value is scanned once.
   */
  abstract class Cursor {
    private final byte close;
    /** Where the next separator or closing bracket is looked for, once the current value's end is known. */
    private int position;
    private boolean failed;
    private boolean done;
    private int closedAt = -1;
    int valueStart = -1;
    private int valueEnd = -1;

    Cursor(int open, byte opening, byte close) {
      this.close = close;
      int first = at(open) == opening ? skipSpace(open + 1) : -1;
      if (first < 0) {
        failed = done = true;
      } else if (at(first) == close) {
        done = true;
        closedAt = first + 1;
      } else {
        position = first;
      }
    }

    /** Moves to the next value; false at the end, or when the JSON is not as expected. */
    final boolean next() {
      if (done) {
        return false;
      }
      int at = position;
      if (valueStart >= 0) {
        int after = skipSpace(valueEnd());
        if (at(after) == close) {
          done = true;
          closedAt = after + 1;
          return false;
        }
        if (at(after) != ',') {
          return fail();
        }
        at = skipSpace(after + 1);
      }
      valueStart = start(at);
      valueEnd = -1;
      return valueStart >= 0 || fail();
    }

    /** Reads what comes before a value from {@code at}; the value's first position, or -1. */
    abstract int start(int at);

    /** Just past the current value (found now, unless a caller said). */
    final int valueEnd() {
      if (valueEnd < 0) {
        valueEnd = valueStart < 0 ? -1 : JsonScan.this.valueEnd(valueStart);
      }
      return valueEnd;
    }

    /** Tells where the current value ends, found by a caller that read into it. */
    final void valueEndsAt(int end) {
      valueEnd = end;
    }

    /** Just past the closing bracket, once {@link #next()} returned false without failing; -1 before. */
    final int closedAt() {
      return closedAt;
    }

    /** Whether the JSON was not as expected; then the values seen are not all of them. */
    final boolean failed() {
      return failed;
    }

    private boolean fail() {
      failed = done = true;
      return false;
    }
  }

  /** The members of an object. */
  final class Members extends Cursor {
    int nameStart;
    int nameEnd;

    private Members(int open) {
      super(open, (byte) '{', (byte) '}');
    }

    @Override
    int start(int at) {
      nameStart = at;
      nameEnd = at(at) == '"' ? stringEnd(at) : -1;
      int colon = skipSpace(nameEnd);
      return nameEnd < 0 || at(colon) != ':' ? -1 : valueAt(skipSpace(colon + 1));
    }

    boolean nameIs(String name) {
      return JsonScan.this.nameIs(nameStart, nameEnd, name);
    }
  }

  /** The elements of an array. */
  final class Elements extends Cursor {
    private Elements(int open) {
      super(open, (byte) '[', (byte) ']');
    }

    @Override
    int start(int at) {
      return valueAt(at);
    }
  }

  /** {@code i} when a value may start there, else -1. */
  private int valueAt(int i) {
    return switch (at(i)) {
      case 0, ',', ':', '}', ']' -> -1;
      default -> i;
    };
  }

  private int containerEnd(int i) {
    int depth = 0;
    int p = i;
    while (p < json.length) {
      switch (json[p]) {
        case '"' -> {
          p = stringEnd(p);
          if (p < 0) {
            return -1;
          }
          continue;
        }
        case '{', '[' -> depth++;
        case '}', ']' -> {
          if (--depth == 0) {
            return p + 1;
          }
        }
        default -> { }
      }
      p++;
    }
    return -1;
  }

  private int scalarEnd(int i) {
    int p = i;
    while (p < json.length) {
      byte b = json[p];
      if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        break;
      }
      p++;
    }
    return p;
  }
}
