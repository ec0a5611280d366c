package dev.dovetail.apiserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code labelSelector} query parameter ({@code a=b,c!=d,e in (x,y),f notin (z),g,!h}), as
 * the API server accepts it.
 */
record LabelSelector(List<Requirement> requirements) {
  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  enum Op {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }
  }

  static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      out.add(requirement(p, text));
    }
    return new LabelSelector(List.copyOf(out));
  }

  private static Requirement requirement(String p, String whole) {
    java.util.regex.Matcher set =
        java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
    if (set.matches()) {
      Set<String> values = new java.util.HashSet<>();
      for (String v : set.group(3).split(",")) {
        values.add(v.trim());
      }
      return new Requirement(
          set.group(1), "in".equals(set.group(2)) ? Op.IN : Op.NOT_IN, Set.copyOf(values));
    }
    int ne = p.indexOf("!=");
    if (ne > 0) {
      return new Requirement(
          p.substring(0, ne).trim(), Op.NOT_EQUALS, Set.of(p.substring(ne + 2).trim()));
    }
    int eq = p.indexOf('=');
    if (eq > 0) {
      String value = p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return new Requirement(p.substring(0, eq).trim(), Op.EQUALS, Set.of(value));
    }
    if (p.startsWith("!")) {
      return new Requirement(p.substring(1).trim(), Op.DOES_NOT_EXIST, Set.of());
    }
    if (p.matches("[A-Za-z0-9./_-]+")) {
      return new Requirement(p, Op.EXISTS, Set.of());
    }
    throw ApiException.badRequest(
        "unable to parse requirement '" + p + "' of labelSelector " + whole);
  }

  /** Splits on commas outside parentheses. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  boolean isEverything() {
    return requirements.isEmpty();
  }

  /** An equality requirement the label index can answer, if any. */
  Optional<Requirement> indexable() {
    return requirements.stream()
        .filter(r -> r.op() == Op.EQUALS || (r.op() == Op.IN && r.values().size() == 1))
        .findFirst();
  }
}
