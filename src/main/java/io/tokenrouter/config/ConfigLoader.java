package io.tokenrouter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML file, applies environment overrides and {@code ${VAR}} substitution, binds it
 * to {@link GatewayConfig} and validates it. Every problem is reported by its YAML path, in the
 * user's words: the valid choices and the closest one for a mistyped name, never a Java type.
 *
 * <p>Overrides: {@code TOKENROUTER_SERVER_PORT=9090} sets {@code server.port}. The settings an
 * override may name are read from the configuration records themselves, so keys that contain
 * underscores ({@code max_body_bytes}) work, and a variable with the prefix that names no setting
 * is reported rather than silently ignored.
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "TOKENROUTER_";
  /**
   * Variables with the prefix that are not overrides: read elsewhere (the log level, the secrets
   * master key), or set by Kubernetes for a Service named tokenrouter (service links).
   */
  private static final Pattern NOT_OVERRIDES = Pattern.compile(
      "TOKENROUTER_(LOG_LEVEL|MASTER_KEY|SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\w+)?)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final String PLACEHOLDER = "__tokenrouter_var_";
  private static final Pattern PLACEHOLDER_PATTERN = Pattern.compile(PLACEHOLDER + "(\\d+)__");

  private final Map<String, String> env;
  private final boolean providerSecretsOptional;
  private final ObjectMapper mapper;

  public ConfigLoader(Map<String, String> env) {
    this(env, false);
  }

  private ConfigLoader(Map<String, String> env, boolean providerSecretsOptional) {
    this.env = env;
    this.providerSecretsOptional = providerSecretsOptional;
    SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper = YAMLMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(durations)
        .build();
  }

  /**
   * A loader for commands that never call a provider (keys, users, usage): an unset variable
   * under {@code providers} becomes empty instead of failing the command.
   */
  public ConfigLoader withoutProviderSecrets() {
    return new ConfigLoader(env, true);
  }

  public GatewayConfig load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException("cannot read " + file.toAbsolutePath() + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /** The built-in demo configuration (mock provider, its own embedded database). */
  public GatewayConfig loadDemo() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/demo.yaml")) {
      return load(in);
    } catch (IOException e) {
      throw new ConfigException("cannot read the built-in demo configuration: " + e.getMessage());
    }
  }

  public GatewayConfig load(InputStream yaml) {
    String text;
    try {
      text = new String(yaml.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration: " + e.getMessage());
    }
    // ${VAR} may sit inside a YAML flow mapping ({ api_key: ${KEY} }), where braces are syntax:
    // swap each reference for an inert token, parse, then resolve the tokens in the tree, which
    // also keeps any YAML-special characters in the values out of the parser.
    List<Matcher> references = new ArrayList<>();
    Set<String> referenced = new HashSet<>();
    Matcher m = VARIABLE.matcher(text);
    StringBuilder tokenized = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(tokenized, PLACEHOLDER + references.size() + "__");
      references.add(VARIABLE.matcher(m.group()));
      referenced.add(m.group(1));
    }
    m.appendTail(tokenized);
    JsonNode tree;
    try {
      tree = mapper.readTree(tokenized.toString());
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException("not valid YAML" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
          + at.getColumnNr()) + ": " + e.getOriginalMessage());
    }
    ObjectNode root = tree instanceof ObjectNode o ? o : mapper.createObjectNode();
    List<String> problems = new ArrayList<>();
    Map<String, String> overridden = applyOverrides(root, referenced, problems);
    substitute(root, "", references, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    GatewayConfig config;
    try {
      config = mapper.treeToValue(root, GatewayConfig.class);
    } catch (JsonMappingException e) {
      String path = pathOf(e);
      throw new ConfigException(path + ": " + describe(e) + setBy(path, overridden));
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    try {
      ConfigValidator.validate(config);
    } catch (ConfigException e) {
      throw new ConfigException(e.problems().stream()
          .map(p -> p.contains(":") ? p + setBy(p.substring(0, p.indexOf(':')), overridden) : p).toList());
    }
    return config;
  }

  /**
   * Checks a configuration made other than by loading a file (the file's with the admin API's
   * changes laid over it) exactly as a loaded file is checked.
   *
   * @throws ConfigException listing every problem, by YAML path
   */
  public static void validate(GatewayConfig config) {
    ConfigValidator.validate(config);
  }

  /**
   * Applies every TOKENROUTER_* variable to the tree; returns the paths set this way with the
   * variable that set each, and reports variables that name no setting.
   */
  private Map<String, String> applyOverrides(ObjectNode root, Set<String> referenced, List<String> problems) {
    Map<String, Setting> settings = OverridableSettings.all();
    Map<String, String> overridden = new LinkedHashMap<>();
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          Setting setting = settings.get(e.getKey());
          if (setting == null) {
            if (!NOT_OVERRIDES.matcher(e.getKey()).matches() && !referenced.contains(e.getKey())) {
              problems.add(e.getKey() + ": this environment variable names no setting."
                  + Suggestions.didYouMean(e.getKey(), settings.keySet())
                  + " Overrides are TOKENROUTER_<SECTION>_<SETTING>, e.g. TOKENROUTER_SERVER_PORT for server.port.");
            }
            return;
          }
          ObjectNode target = root;
          if (setting.section() != null) {
            JsonNode node = root.get(setting.section());
            target = node instanceof ObjectNode o ? o : root.putObject(setting.section());
          }
          if (setting.list()) {
            ArrayNode items = target.putArray(setting.key());
            for (String item : e.getValue().split(",")) {
              if (!item.isBlank()) {
                items.add(item.trim());
              }
            }
          } else {
            target.put(setting.key(), e.getValue());
          }
          overridden.put(setting.path(), e.getKey());
        });
    return overridden;
  }

  private static String setBy(String path, Map<String, String> overridden) {
    String variable = overridden.get(path);
    return variable == null ? "" : " (set by environment variable " + variable + ")";
  }

  private void substitute(JsonNode node, String path, List<Matcher> refs, List<String> problems) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (field.getValue() instanceof TextNode text) {
          field.setValue(new TextNode(resolve(text.asText(), fieldPath, refs, problems)));
        } else {
          substitute(field.getValue(), fieldPath, refs, problems);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String itemPath = path + "[" + i + "]";
        if (array.get(i) instanceof TextNode text) {
          array.set(i, new TextNode(resolve(text.asText(), itemPath, refs, problems)));
        } else {
          substitute(array.get(i), itemPath, refs, problems);
        }
      }
    }
  }

  private String resolve(String value, String path, List<Matcher> refs, List<String> problems) {
    Matcher m = PLACEHOLDER_PATTERN.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Matcher ref = refs.get(Integer.parseInt(m.group(1)));
      ref.reset().matches();
      String replacement = env.get(ref.group(1));
      if (replacement == null) {
        if (ref.group(2) != null) {
          replacement = ref.group(3);
        } else {
          if (!(providerSecretsOptional && path.startsWith("providers["))) {
            problems.add(path + ": environment variable " + ref.group(1) + " is not set"
                + " (write ${" + ref.group(1) + ":-} to allow it to be empty)");
          }
          replacement = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** What went wrong binding a value, in the words of someone editing YAML. */
  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = known(u.getKnownPropertyIds());
      return "unknown setting '" + u.getPropertyName() + "'." + Suggestions.didYouMean(u.getPropertyName(), known)
          + (known.isEmpty() ? "" : " Valid here: " + String.join(", ", known) + ".");
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
      return cause.getMessage();
    }
    if (e instanceof InvalidFormatException f) {
      return "'" + f.getValue() + "' is not " + kind(f.getTargetType()) + ".";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + kind(m.getTargetType()) + ".";
    }
    return e.getOriginalMessage().replaceAll("`?\\b(java|io\\.tokenrouter)(\\.\\w+)+`?", "a value");
  }

  private static List<String> known(Collection<Object> ids) {
    return ids == null ? List.of() : ids.stream().map(String::valueOf).sorted().toList();
  }

  /** A Java type as a YAML author knows it. */
  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class || type == BigDecimal.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 500ms, 30s, 5m or 1h";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", enumNames(type));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of names to values";
    }
    return "a section of settings (name: value pairs)";
  }

  private static List<String> enumNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object c : type.getEnumConstants()) {
      names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      }
    }
    return path.isEmpty() ? "(top level)" : path.toString();
  }

  /** A setting an environment variable may set: {@code section.key}, or a top-level {@code key}. */
  record Setting(String section, String key, boolean list) {
    String path() {
      return section == null ? key : section + "." + key;
    }
  }

  /** Accepts 500ms, 30s, 5m, 1h, or an ISO-8601 duration. */
  static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        return (Duration) ctx.handleWeirdStringValue(Duration.class, text,
            "expected a duration such as 500ms, 30s, 5m or 1h");
      }
    }
  }
}
