package io.tokenrouter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML file, applies environment overrides and {@code ${VAR}} substitution, binds it
 * to {@link GatewayConfig} and validates it. Every problem is reported by its YAML path.
 *
 * <p>Overrides: {@code TOKENROUTER_SERVER_PORT=9090} sets {@code server.port}; the variable name
 * is matched against the keys present in the file or known to the schema, so keys that contain
 * underscores ({@code max_body_bytes}) work too.
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "TOKENROUTER_";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final String PLACEHOLDER = "__tokenrouter_var_";
  private static final Pattern PLACEHOLDER_PATTERN = Pattern.compile(PLACEHOLDER + "(\\d+)__");
  /** Keys an override may create even when the file does not mention them. */
  private static final Map<String, List<String>> KNOWN_SECTIONS = Map.of(
      "server", List.of("host", "port", "max_body_bytes", "event_loops"),
      "database", List.of("url", "username", "password", "pool_size", "connection_timeout"),
      "redis", List.of("url", "fail_mode", "timeout", "pool_size"),
      "auth", List.of("cache_ttl", "cache_size"),
      "admin", List.of("token"),
      "usage", List.of("queue_capacity", "batch_size", "flush_interval", "spool_dir"),
      "responses", List.of("retention"));

  private final Map<String, String> env;
  private final ObjectMapper mapper;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
    SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper = YAMLMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(durations)
        .build();
  }

  public GatewayConfig load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The built-in demo configuration (mock provider, embedded database). */
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
    Matcher m = VARIABLE.matcher(text);
    StringBuilder tokenized = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(tokenized, PLACEHOLDER + references.size() + "__");
      references.add(VARIABLE.matcher(m.group()));
    }
    m.appendTail(tokenized);
    JsonNode tree;
    try {
      tree = mapper.readTree(tokenized.toString());
    } catch (JacksonException e) {
      throw new ConfigException("not valid YAML: " + e.getOriginalMessage());
    }
    ObjectNode root = tree instanceof ObjectNode o ? o : mapper.createObjectNode();
    applyOverrides(root);
    List<String> problems = new ArrayList<>();
    substitute(root, "", references, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    GatewayConfig config;
    try {
      config = mapper.treeToValue(root, GatewayConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(pathOf(e) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    ConfigValidator.validate(config);
    return config;
  }

  private void applyOverrides(ObjectNode root) {
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          String rest = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
          for (Map.Entry<String, List<String>> section : KNOWN_SECTIONS.entrySet()) {
            String prefix = section.getKey() + "_";
            if (!rest.startsWith(prefix)) {
              continue;
            }
            String key = rest.substring(prefix.length());
            if (section.getValue().contains(key)) {
              JsonNode node = root.get(section.getKey());
              ObjectNode target = node instanceof ObjectNode o ? o : root.putObject(section.getKey());
              target.put(key, e.getValue());
            }
          }
        });
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
          problems.add(path + ": environment variable " + ref.group(1) + " is not set"
              + " (write ${" + ref.group(1) + ":-} to allow it to be empty)");
          replacement = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
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
    return path.isEmpty() ? "(root)" : path.toString();
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
