package dev.dovetail.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the CEL rules ({@code x-kubernetes-validations}) of a CRD with cel-java, the way the
 * API server does: {@code self} is the value at the schema node carrying the rule, {@code oldSelf}
 * the stored value on an update. Every rule of every CRD Dovetail and its plugins ship is enforced
 * offline by {@code dovetail validate} and by the embedded API server without a Java twin per rule.
 *
 * <p>The environment is the standard CEL one plus the Kubernetes libraries the shipped rules use:
 * the strings extension ({@code split}, {@code lowerAscii}, ...), the lists extension, and
 * Kubernetes' regex functions {@code find}/{@code findAll} and {@code isQuantity}, bound here.
 *
 * <p>Rules are compiled once and cached by their text; instances are thread-safe.
 */
public final class CelRules {

  /** The result of one rule on one value. */
  public sealed interface Outcome {
    /** The rule held. */
    record Passed() implements Outcome {}

    /** The rule evaluated to false (the API server reports its {@code message}). */
    record Failed() implements Outcome {}

    /**
     * The rule could not be compiled or evaluated (a runtime error such as a failed {@code int()}
     * conversion); the API server rejects the object in that case too.
     */
    record Error(String detail) implements Outcome {}
  }

  private static final Pattern QUANTITY =
      Pattern.compile(
          "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");

  private final Cel cel;
  private final Map<String, Compiled> programs = new ConcurrentHashMap<>();

  private record Compiled(CelRuntime.Program program, String error) {}

  public CelRules() {
    this.cel =
        CelFactory.standardCelBuilder()
            .setOptions(
                CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .enableTimestampEpoch(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists())
            .addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(
                    "find",
                    CelOverloadDecl.newMemberOverload(
                        "string_find_string",
                        SimpleType.STRING,
                        SimpleType.STRING,
                        SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "findAll",
                    CelOverloadDecl.newMemberOverload(
                        "string_find_all_string",
                        ListType.create(SimpleType.STRING),
                        SimpleType.STRING,
                        SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "isQuantity",
                    CelOverloadDecl.newGlobalOverload(
                        "is_quantity_string", SimpleType.BOOL, SimpleType.STRING)))
            .addFunctionBindings(
                CelFunctionBinding.from(
                    "string_find_string", String.class, String.class, CelRules::find),
                CelFunctionBinding.from(
                    "string_find_all_string", String.class, String.class, CelRules::findAll),
                CelFunctionBinding.from(
                    "is_quantity_string", String.class, s -> QUANTITY.matcher(s).matches()))
            .build();
  }

  /** Whether the rule compares with the stored object, so it only applies to updates. */
  public static boolean isTransitionRule(String rule) {
    return rule.contains("oldSelf");
  }

  /** Compiles a rule; the compile error, or empty when it compiles. */
  public Optional<String> compileError(String rule) {
    return Optional.ofNullable(compiled(rule).error());
  }

  /**
   * Evaluates the rule with {@code self} (and {@code oldSelf} for a transition rule; {@code null}
   * when there is no stored object, in which case a transition rule passes, as on a create).
   */
  public Outcome evaluate(String rule, JsonNode self, JsonNode oldSelf) {
    boolean transition = isTransitionRule(rule);
    if (transition && oldSelf == null) {
      return new Outcome.Passed();
    }
    Compiled c = compiled(rule);
    if (c.error() != null) {
      return new Outcome.Error(c.error());
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", toCel(self));
    if (transition) {
      vars.put("oldSelf", toCel(oldSelf));
    }
    try {
      Object result = c.program().eval(vars);
      if (result instanceof Boolean b) {
        return b ? new Outcome.Passed() : new Outcome.Failed();
      }
      return new Outcome.Error("rule did not evaluate to a bool: " + result);
    } catch (CelEvaluationException e) {
      return new Outcome.Error(e.getMessage());
    }
  }

  private Compiled compiled(String rule) {
    return programs.computeIfAbsent(rule, this::compile);
  }

  private Compiled compile(String rule) {
    try {
      CelAbstractSyntaxTree ast = cel.compile(rule).getAst();
      return new Compiled(cel.createProgram(ast), null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Compiled(null, e.getMessage());
    }
  }

  /** JSON as CEL sees it: objects as maps, arrays as lists, integers as int, others as double. */
  static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), toCel(e.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asText();
  }

  /** Kubernetes' {@code string.find(regex)}: the first match, or the empty string. */
  private static String find(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    return m.find() ? m.group() : "";
  }

  private static List<String> findAll(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    List<String> all = new ArrayList<>();
    while (m.find()) {
      all.add(m.group());
    }
    return all;
  }
}
