package dev.dovetail.cli;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.validate.CrdCatalog;
import dev.dovetail.validate.ManifestValidator;
import dev.dovetail.validate.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dovetail validate -f FILE...}: checks NodePool, NodeClaim and NodeClass manifests offline,
 * printing one line per problem ({@code FILE: document N: field.path: message}) on stderr. Exit
 * status 0 when every document is valid, 1 when any is not, 2 on a usage error (picocli's).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check NodePool, NodeClaim and NodeClass manifests against the CRDs, offline.",
      "NodeClass kinds are known when their provider plugin is installed.",
      "Exit status: 0 all documents valid, 1 some document invalid."
    })
public class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description =
          "A manifest file (multi-document YAML or JSON), a directory of *.yaml/*.yml/*.json"
              + " files, or - for standard input; repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--crd",
      paramLabel = "FILE",
      description =
          "Also know the kinds of this CRD file (e.g. a NodeClass whose plugin is not installed);"
              + " repeatable.")
  List<Path> extraCrds = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing when all documents are valid.")
  boolean quiet;

  private Supplier<List<NodeClassKind>> nodeClassKinds = ValidateCommand::serviceLoaderKinds;
  private Supplier<java.io.InputStream> stdin = () -> System.in;

  public ValidateCommand() {}

  /** With the NodeClass kinds of the installed plugins (the launcher wires the plugin loader). */
  public ValidateCommand(Supplier<List<NodeClassKind>> nodeClassKinds) {
    this.nodeClassKinds = nodeClassKinds;
  }

  public void setNodeClassKinds(Supplier<List<NodeClassKind>> nodeClassKinds) {
    this.nodeClassKinds = nodeClassKinds;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestValidator validator;
    try {
      validator =
          new ManifestValidator(CrdCatalog.of(nodeClassKinds.get()).withCrdFiles(extraCrds));
    } catch (RuntimeException e) {
      // never a stack trace: a broken plugin or CRD file is reported as one line
      err.println("error: cannot load the schemas to validate against: " + e.getMessage());
      err.flush();
      return 1;
    }
    int bad = 0;
    int checked = 0;
    for (Path file : expand(files, err)) {
      checked++;
      List<Problem> problems;
      try {
        problems =
            file.toString().equals("-")
                ? validator.validate("<stdin>", readStdin())
                : validator.validate(file);
      } catch (IOException | RuntimeException e) {
        problems = List.of(new Problem(file.toString(), 0, "", "internal error: " + e));
      }
      problems.forEach(p -> err.println(p));
      if (!problems.isEmpty()) {
        bad++;
      }
    }
    err.flush();
    if (checked == 0) {
      err.println("error: no manifest files found");
      err.flush();
      return 1;
    }
    if (bad > 0) {
      return 1;
    }
    if (!quiet) {
      out.println(checked == 1 ? "1 file valid" : checked + " files valid");
      out.flush();
    }
    return 0;
  }

  private String readStdin() throws IOException {
    return new String(stdin.get().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Where {@code -f -} reads from; replaceable in tests. */
  void setStdin(Supplier<java.io.InputStream> stdin) {
    this.stdin = stdin;
  }

  /** Files as given; directories expanded to their manifest files (not recursively), sorted. */
  private static List<Path> expand(List<Path> paths, PrintWriter err) {
    List<Path> result = new ArrayList<>();
    for (Path path : paths) {
      if (path.toString().equals("-") || !Files.isDirectory(path)) {
        result.add(path);
        continue;
      }
      try (Stream<Path> entries = Files.list(path)) {
        entries
            .filter(Files::isRegularFile)
            .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
            .sorted()
            .forEach(result::add);
      } catch (IOException e) {
        err.println(path + ": cannot list directory: " + e.getMessage());
      }
    }
    return result;
  }

  /** Without a plugin loader: NodeClass kinds of providers visible to java.util.ServiceLoader. */
  private static List<NodeClassKind> serviceLoaderKinds() {
    List<NodeClassKind> kinds = new ArrayList<>();
    for (CloudProvider provider : ServiceLoader.load(CloudProvider.class)) {
      kinds.addAll(provider.supportedNodeClasses());
    }
    return kinds;
  }
}
