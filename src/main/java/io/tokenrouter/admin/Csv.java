package io.tokenrouter.admin;

import java.util.List;

/**
 * RFC 4180 text: a header line, then one line per row; fields quoted when they need it, and text
 * a spreadsheet would take for a formula (a key named "=HYPERLINK(...)") quoted with a leading '.
 */
final class Csv {
  private final StringBuilder out = new StringBuilder();

  Csv(List<String> header) {
    row(header.toArray());
  }

  Csv row(Object... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      String v = fields[i] == null ? "" : fields[i].toString();
      if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) {
        v = "'" + v; // a spreadsheet would run it as a formula
      }
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
        out.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        out.append(v);
      }
    }
    out.append("\r\n");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
