package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code fieldSelector} ({@code spec.nodeName=n1,status.phase!=Succeeded}). The fields are
 * dotted paths into the object ({@code metadata.name}, {@code metadata.namespace}, {@code
 * spec.nodeName}, {@code status.phase}, {@code involvedObject.name}); a missing field reads as the
 * empty string, as the API server's field sets do.
 */
record FieldSelector(List<Term> terms) {
  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  record Term(String field, boolean equals, String value) {
    boolean matches(JsonNode object) {
      return equals == value.equals(read(object, field));
    }
  }

  static String read(JsonNode object, String field) {
    JsonNode node = object;
    for (String part : field.split("\\.")) {
      node = node.path(part);
    }
    return node.isValueNode() ? node.asText() : "";
  }

  static FieldSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int ne = p.indexOf("!=");
      if (ne > 0) {
        terms.add(new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim()));
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw ApiException.badRequest("invalid field selector: '" + p + "'");
      }
      String value = p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      terms.add(new Term(p.substring(0, eq).trim(), true, value));
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean matches(JsonNode object) {
    for (Term t : terms) {
      if (!t.matches(object)) {
        return false;
      }
    }
    return true;
  }

  boolean isEverything() {
    return terms.isEmpty();
  }

  /** The value of an equality term on {@code field}, which an index can answer. */
  Optional<String> equalityOn(String field) {
    return terms.stream()
        .filter(t -> t.equals() && t.field().equals(field))
        .map(Term::value)
        .findFirst();
  }
}
