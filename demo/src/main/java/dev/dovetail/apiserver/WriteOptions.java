package dev.dovetail.apiserver;

/**
 * The query parameters every write takes: {@code dryRun=All} (validate and answer, store nothing)
 * and {@code fieldValidation} ({@code Ignore}, {@code Warn} or {@code Strict}, the API server's
 * default being {@code Warn}). Anything else is refused as the API server refuses it.
 */
record WriteOptions(boolean dryRun, String fieldValidation) {
  static WriteOptions of(ApiRequest req) {
    String dryRun = req.param("dryRun");
    if (dryRun != null && !dryRun.isEmpty() && !dryRun.equals("All")) {
      throw ApiException.badRequest(
          "Invalid dry run value: " + dryRun + ": supported values: \"All\"");
    }
    String fv = req.param("fieldValidation");
    if (fv == null || fv.isEmpty()) {
      fv = "Warn";
    }
    if (!fv.equals("Ignore") && !fv.equals("Warn") && !fv.equals("Strict")) {
      throw ApiException.badRequest(
          "Invalid field validation directive: "
              + fv
              + ": supported values: \"Ignore\", \"Warn\", \"Strict\"");
    }
    return new WriteOptions(dryRun != null && dryRun.equals("All"), fv);
  }
}
