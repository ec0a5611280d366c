package dev.dovetail.aws.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MIME multipart user data (cloud-init / nodeadm): read a user's archive, write ours. */
public final class Mime {
  private Mime() {}

  public static final String BOUNDARY = "//";
  public static final String SHELL = "text/x-shellscript; charset=\"us-ascii\"";
  public static final String NODE_CONFIG = "application/node.eks.aws";

  /** One part: its Content-Type and body. */
  public record Part(String contentType, String content) {}

  private static final Pattern BOUNDARY_PARAM =
      Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

  public static boolean isMime(String userData) {
    String t = userData.strip();
    return t.startsWith("MIME-Version:") || t.startsWith("Content-Type:");
  }

  /** The parts of a multipart archive. */
  public static List<Part> parse(String archive) {
    String text = archive.replace("\r\n", "\n");
    int headerEnd = text.indexOf("\n\n");
    if (headerEnd < 0) {
      throw new IllegalArgumentException("MIME user data has no header section");
    }
    String headers = text.substring(0, headerEnd);
    String contentType = header(headers, "Content-Type");
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      throw new IllegalArgumentException("MIME user data is not multipart");
    }
    Matcher m = BOUNDARY_PARAM.matcher(contentType);
    if (!m.find()) {
      throw new IllegalArgumentException("MIME user data has no boundary");
    }
    String delimiter = "--" + m.group(1);
    List<Part> parts = new ArrayList<>();
    String body = text.substring(headerEnd + 2);
    String[] chunks = body.split(Pattern.quote(delimiter), -1);
    for (int k = 1; k < chunks.length; k++) {
      String chunk = chunks[k];
      if (chunk.startsWith("--")) {
        break; // closing delimiter
      }
      chunk = chunk.startsWith("\n") ? chunk.substring(1) : chunk;
      int end = chunk.indexOf("\n\n");
      String partHeaders = end < 0 ? chunk : chunk.substring(0, end);
      String content = end < 0 ? "" : chunk.substring(end + 2);
      if (content.endsWith("\n")) {
        content = content.substring(0, content.length() - 1);
      }
      String ct = header(partHeaders, "Content-Type");
      parts.add(new Part(ct == null ? "text/plain" : ct, content));
    }
    return parts;
  }

  private static String header(String headers, String name) {
    for (String line : headers.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** An archive with the parts in order, as upstream writes it (boundary {@code //}). */
  public static String write(List<Part> parts) {
    StringBuilder sb = new StringBuilder();
    sb.append("MIME-Version: 1.0\n");
    sb.append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\n\n");
    for (Part p : parts) {
      sb.append("--").append(BOUNDARY).append('\n');
      sb.append("Content-Type: ").append(p.contentType()).append("\n\n");
      sb.append(p.content());
      if (!p.content().endsWith("\n")) {
        sb.append('\n');
      }
    }
    sb.append("--").append(BOUNDARY).append("--\n");
    return sb.toString();
  }
}
