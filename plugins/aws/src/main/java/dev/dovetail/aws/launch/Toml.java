package dev.dovetail.aws.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TOML needed for Bottlerocket user data: parses tables, dotted and quoted keys, strings,
 * numbers, booleans, arrays and inline tables into nested maps, and writes nested maps back. Not a
 * complete TOML implementation (no dates, no multi-line strings); it refuses what it cannot read
 * rather than guessing.
 */
public final class Toml {
  private Toml() {}

  /** Parses a document into nested {@code Map<String,Object>}s. */
  public static Map<String, Object> parse(String text) {
    Parser p = new Parser(text);
    return p.document();
  }

  /** Writes nested maps as TOML: plain keys first, then one table per nested map. */
  public static String write(Map<String, Object> doc) {
    StringBuilder sb = new StringBuilder();
    writeTable(sb, List.of(), doc);
    return sb.toString();
  }

  /** Deep-merges {@code overlay} into {@code base} (overlay wins on conflicts); returns base. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
    overlay.forEach(
        (k, v) -> {
          Object existing = base.get(k);
          if (existing instanceof Map<?, ?> em && v instanceof Map<?, ?> vm) {
            merge((Map<String, Object>) em, (Map<String, Object>) vm);
          } else {
            base.put(k, v);
          }
        });
    return base;
  }

  @SuppressWarnings("unchecked")
  private static void writeTable(StringBuilder sb, List<String> path, Map<String, Object> table) {
    boolean headerWritten = path.isEmpty();
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (!(e.getValue() instanceof Map)) {
        if (!headerWritten) {
          header(sb, path);
          headerWritten = true;
        }
        sb.append(key(e.getKey())).append(" = ");
        value(sb, e.getValue());
        sb.append('\n');
      }
    }
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        List<String> sub = new ArrayList<>(path);
        sub.add(e.getKey());
        if (m.isEmpty()) {
          header(sb, sub);
        }
        writeTable(sb, sub, (Map<String, Object>) m);
      }
    }
  }

  private static void header(StringBuilder sb, List<String> path) {
    if (sb.length() > 0) {
      sb.append('\n');
    }
    sb.append('[');
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(key(path.get(i)));
    }
    sb.append("]\n");
  }

  private static String key(String k) {
    return k.matches("[A-Za-z0-9_-]+") ? k : quote(k);
  }

  private static void value(StringBuilder sb, Object v) {
    if (v instanceof String s) {
      sb.append(quote(s));
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        value(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(i++ > 0 ? ", " : " ").append(key(String.valueOf(e.getKey()))).append(" = ");
        value(sb, e.getValue());
      }
      sb.append(" }");
    } else {
      sb.append(v);
    }
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> document() {
      Map<String, Object> root = new LinkedHashMap<>();
      Map<String, Object> current = root;
      while (true) {
        skipWsAndNewlines();
        if (i >= s.length()) {
          return root;
        }
        char c = s.charAt(i);
        if (c == '[') {
          boolean array = s.startsWith("[[", i);
          i += array ? 2 : 1;
          List<String> path = keyPath(']');
          expect(']');
          if (array) {
            expect(']');
          }
          current = array ? appendTable(root, path) : table(root, path);
          endOfLine();
        } else {
          List<String> path = keyPath('=');
          expect('=');
          Object v = value();
          put(current, path, v);
          endOfLine();
        }
      }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> table(Map<String, Object> root, List<String> path) {
      Map<String, Object> t = root;
      for (String k : path) {
        Object next = t.get(k);
        if (next == null) {
          next = new LinkedHashMap<String, Object>();
          t.put(k, next);
        } else if (next instanceof List<?> l
            && !l.isEmpty()
            && l.get(l.size() - 1) instanceof Map) {
          next = l.get(l.size() - 1);
        } else if (!(next instanceof Map)) {
          throw error("key " + k + " is not a table");
        }
        t = (Map<String, Object>) next;
      }
      return t;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> appendTable(Map<String, Object> root, List<String> path) {
      Map<String, Object> parent = table(root, path.subList(0, path.size() - 1));
      String last = path.get(path.size() - 1);
      List<Object> list = (List<Object>) parent.computeIfAbsent(last, k -> new ArrayList<>());
      Map<String, Object> t = new LinkedHashMap<>();
      list.add(t);
      return t;
    }

    private void put(Map<String, Object> table, List<String> path, Object v) {
      Map<String, Object> t = table(table, path.subList(0, path.size() - 1));
      String last = path.get(path.size() - 1);
      if (t.containsKey(last)) {
        throw error("duplicate key " + last);
      }
      t.put(last, v);
    }

    private List<String> keyPath(char end) {
      List<String> path = new ArrayList<>();
      while (true) {
        skipWs();
        path.add(singleKey());
        skipWs();
        if (i < s.length() && s.charAt(i) == '.') {
          i++;
          continue;
        }
        if (i < s.length() && s.charAt(i) == end) {
          return path;
        }
        throw error("expected '" + end + "'");
      }
    }

    private String singleKey() {
      char c = peek();
      if (c == '"') {
        return basicString();
      }
      if (c == '\'') {
        return literalString();
      }
      int start = i;
      while (i < s.length()
          && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
        i++;
      }
      if (start == i) {
        throw error("expected a key");
      }
      return s.substring(start, i);
    }

    private Object value() {
      skipWs();
      char c = peek();
      if (c == '"') {
        if (s.startsWith("\"\"\"", i)) {
          throw error("multi-line strings are not supported");
        }
        return basicString();
      }
      if (c == '\'') {
        return literalString();
      }
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        while (true) {
          skipWsAndNewlines();
          if (peek() == ']') {
            i++;
            return list;
          }
          list.add(value());
          skipWsAndNewlines();
          if (peek() == ',') {
            i++;
          } else if (peek() != ']') {
            throw error("expected ',' or ']'");
          }
        }
      }
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipWs();
        if (peek() == '}') {
          i++;
          return m;
        }
        while (true) {
          List<String> path = keyPath('=');
          expect('=');
          put(m, path, value());
          skipWs();
          if (peek() == ',') {
            i++;
          } else if (peek() == '}') {
            i++;
            return m;
          } else {
            throw error("expected ',' or '}'");
          }
        }
      }
      int start = i;
      while (i < s.length() && "\n\r#,]} \t".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String token = s.substring(start, i);
      if (token.equals("true") || token.equals("false")) {
        return Boolean.parseBoolean(token);
      }
      String n = token.replace("_", "");
      try {
        return Long.parseLong(n);
      } catch (NumberFormatException e) {
        try {
          return Double.parseDouble(n);
        } catch (NumberFormatException e2) {
          throw error("unsupported value '" + token + "'");
        }
      }
    }

    private String basicString() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\n') {
          throw error("newline in string");
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u' -> {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> throw error("bad escape \\" + e);
          }
        } else {
          sb.append(c);
        }
      }
    }

    private String literalString() {
      expect('\'');
      int end = s.indexOf('\'', i);
      if (end < 0) {
        throw error("unterminated string");
      }
      String v = s.substring(i, end);
      i = end + 1;
      return v;
    }

    private void endOfLine() {
      skipWs();
      if (i < s.length() && s.charAt(i) == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      }
      if (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
        throw error("expected end of line");
      }
    }

    private void skipWs() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    private void skipWsAndNewlines() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else if (c == '#') {
          while (i < s.length() && s.charAt(i) != '\n') {
            i++;
          }
        } else {
          return;
        }
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(i);
    }

    private void expect(char c) {
      skipWs();
      if (i >= s.length() || s.charAt(i) != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    private IllegalArgumentException error(String what) {
      int line = 1;
      for (int k = 0; k < Math.min(i, s.length()); k++) {
        if (s.charAt(k) == '\n') {
          line++;
        }
      }
      return new IllegalArgumentException("invalid TOML at line " + line + ": " + what);
    }
  }
}
