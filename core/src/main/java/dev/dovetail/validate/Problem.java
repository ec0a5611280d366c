package dev.dovetail.validate;

/**
 * One thing wrong with a manifest.
 *
 * @param file the file as the user named it
 * @param document 1-based index of the YAML document in the file, or 0 for the file as a whole
 * @param path the field path ({@code spec.template.spec.requirements[0].operator}), or empty
 * @param message what is wrong
 */
public record Problem(String file, int document, String path, String message) {

  /** {@code FILE: document N: field.path: message}, leaving out the parts that do not apply. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder(file).append(": ");
    if (document > 0) {
      line.append("document ").append(document).append(": ");
    }
    if (!path.isEmpty()) {
      line.append(path).append(": ");
    }
    return line.append(message).toString();
  }
}
