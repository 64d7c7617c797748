package org.trustatlas.generate;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.trustatlas.config.ConfigException;
import org.trustatlas.reference.Csv;

/**
 * The model registry as the generator sees it: lineage to the root(s) through {@code base_model}, a
 * popularity per model, the files a download can fetch, and per-date samplers.
 */
final class ModelCatalog {
  /** The root whose derivative multiplier is calibrated (figures.md 7d). */
  static final String R1 = "deepseek-ai/DeepSeek-R1";

  /** Target: downloads of R1's derivatives / downloads of R1 itself. */
  static final double R1_RATIO = 5.0;

  private static final String R1_GROUP = "DeepSeek-R1 (original)";

  /** Relative download weight of each root family (before country tilts). */
  private static final Map<String, Double> GROUP_WEIGHT =
      Map.ofEntries(
          Map.entry(R1_GROUP, 0.10),
          Map.entry("DeepSeek-R1", 0.05),
          Map.entry("DeepSeek-V3", 0.03),
          Map.entry("Qwen2.5", 0.17),
          Map.entry("QwQ", 0.03),
          Map.entry("Qwen3", 0.12),
          Map.entry("Llama-3", 0.04),
          Map.entry("Llama-3.1", 0.17),
          Map.entry("Llama-3.2", 0.10),
          Map.entry("Llama-3.3", 0.05),
          Map.entry("Gemma-2", 0.05),
          Map.entry("Gemma-3", 0.07),
          Map.entry("gpt-oss", 0.08),
          Map.entry("Mistral-7B", 0.06),
          Map.entry("Mixtral", 0.02),
          Map.entry("Mistral-Small", 0.03),
          Map.entry("Mistral-NeMo", 0.03),
          Map.entry("Kimi-K2", 0.02));

  private static final double DEFAULT_GROUP_WEIGHT = 0.02;

  /** Probability that a download in a family fetches one of its roots (not a derivative). */
  static final double P_ROOT = 0.30;

  /** Relative request weight of API models (closed ids and DeepSeek's hosted endpoints). */
  private static final Map<String, Double> API_WEIGHT =
      Map.ofEntries(
          Map.entry("openai/gpt-4o", 0.30),
          Map.entry("openai/o1", 0.06),
          Map.entry("anthropic/claude-3.5-sonnet", 0.12),
          Map.entry("anthropic/claude-3.7-sonnet", 0.10),
          Map.entry("google/gemini-1.5-pro", 0.05),
          Map.entry("google/gemini-2.0-flash", 0.08),
          Map.entry("deepseek-ai/deepseek-chat", 0.10),
          Map.entry("deepseek-ai/deepseek-reasoner", 0.07),
          Map.entry(R1, 0.02),
          Map.entry("deepseek-ai/DeepSeek-V3", 0.02));

  /**
   * One registry row with its lineage.
   *
   * @param credit root id → share of one download credited to it (1/k per merge of k parents)
   * @param ggufStem file-name stem of a GGUF repo's quant files (null when not GGUF)
   * @param shards safetensors shards of a full checkpoint (0 for GGUF repos and adapters)
   */
  record Model(
      int index,
      String id,
      String family,
      String developer,
      String developerCountry,
      boolean open,
      LocalDate release,
      List<String> parents,
      String relation,
      double paramsB,
      List<String> roots,
      Map<String, Double> credit,
      String origin,
      String group,
      double popularity,
      boolean gguf,
      String ggufStem,
      int shards) {

    boolean root() {
      return parents.isEmpty();
    }

    double r1Credit() {
      return credit.getOrDefault(R1, 0.0);
    }

    boolean deepseek() {
      return roots.stream().anyMatch(r -> r.startsWith("deepseek-ai/"));
    }
  }

  private final List<Model> models;
  private final Map<String, Model> byId;

  private ModelCatalog(List<Model> models) {
    this.models = models;
    this.byId = new LinkedHashMap<>();
    models.forEach(m -> byId.put(m.id(), m));
  }

  List<Model> all() {
    return models;
  }

  Model get(int index) {
    return models.get(index);
  }

  Model byId(String id) {
    return byId.get(id);
  }

  static ModelCatalog load(Path registry) {
    if (!Files.isRegularFile(registry)) {
      throw new ConfigException(
          "--registry: model registry not found: "
              + registry
              + " (run from the repository root, or pass --registry"
              + " data-samples/reference/models.csv)");
    }
    List<Csv.Record> recs;
    try (Reader in = Files.newBufferedReader(registry, StandardCharsets.UTF_8)) {
      recs = Csv.read(in, ',');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (recs.isEmpty()) {
      throw new ConfigException("--registry " + registry + ": empty file");
    }
    List<String> header = recs.get(0).fields();
    for (String col :
        List.of(
            "model_id",
            "family",
            "developer",
            "developer_country",
            "open_weights",
            "release_date",
            "base_model",
            "relation",
            "parameters_b")) {
      if (!header.contains(col)) {
        throw new ConfigException(
            "--registry "
                + registry
                + ": missing column '"
                + col
                + "' (see data-samples/reference/README.md)");
      }
    }
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (Csv.Record r : recs.subList(1, recs.size())) {
      if (Csv.isBlank(r)) {
        continue;
      }
      Map<String, String> m = new TreeMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), i < r.fields().size() ? r.fields().get(i).strip() : "");
      }
      String id = m.get("model_id");
      if (id.isEmpty() || rows.put(id, m) != null) {
        throw new ConfigException(
            "--registry "
                + registry
                + " line "
                + r.line()
                + ": empty or repeated model_id '"
                + id
                + "'");
      }
    }
    Map<String, Map<String, Double>> credit = new LinkedHashMap<>();
    Map<String, List<String>> roots = new LinkedHashMap<>();
    for (String id : rows.keySet()) {
      lineage(id, rows, credit, roots, new HashSet<>(), registry);
    }
    List<Model> models = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : rows.entrySet()) {
      String id = e.getKey();
      Map<String, String> r = e.getValue();
      List<String> parents = parents(r);
      List<String> rs = roots.get(id);
      Map<String, Double> cr = credit.get(id);
      Map<String, String> firstRoot = rows.get(rs.get(0));
      String group;
      if (parents.isEmpty()) {
        group = id.equals(R1) ? R1_GROUP : familyOf(id, r);
      } else if (cr.containsKey(R1)) {
        group = R1_GROUP;
      } else {
        group = firstRoot.get("model_id").equals(R1) ? R1_GROUP : familyOf(rs.get(0), firstRoot);
      }
      LocalDate release;
      try {
        release = LocalDate.parse(r.get("release_date"));
      } catch (DateTimeParseException ex) {
        throw new ConfigException(
            "--registry "
                + registry
                + ": model "
                + id
                + " has release_date '"
                + r.get("release_date")
                + "'; use YYYY-MM-DD");
      }
      double params = parse(r.get("parameters_b"));
      String relation = r.get("relation");
      boolean open = "true".equalsIgnoreCase(r.get("open_weights"));
      boolean gguf = id.toLowerCase(Locale.ROOT).contains("gguf");
      int shards = 0;
      if (!gguf && !"adapter".equals(relation) && open) {
        double p = params > 0 ? params : 7;
        String lid = id.toLowerCase(Locale.ROOT);
        boolean small =
            lid.contains("4bit")
                || lid.contains("awq")
                || lid.contains("gptq")
                || lid.contains("int4")
                || lid.contains("3bit")
                || lid.contains("bnb");
        boolean fp8 =
            lid.contains("fp8")
                || id.startsWith("deepseek-ai/DeepSeek-V3")
                || id.equals(R1)
                || id.startsWith("deepseek-ai/DeepSeek-R1-0528") && p > 100;
        double gb = p * (small ? 0.55 : fp8 ? 1.0 : 2.0);
        shards = (int) Math.max(1, Math.min(200, Math.ceil(gb / 4.3)));
      }
      models.add(
          new Model(
              models.size(),
              id,
              r.get("family"),
              r.get("developer"),
              r.get("developer_country"),
              open,
              release,
              parents,
              relation,
              params,
              List.copyOf(rs),
              cr,
              firstRoot.get("developer_country"),
              group,
              popularity(id, parents.isEmpty(), params, r.get("developer_country"), relation),
              gguf,
              gguf ? id.substring(id.indexOf('/') + 1).replaceAll("(?i)[-_.]?gguf$", "") : null,
              shards));
    }
    return new ModelCatalog(List.copyOf(models));
  }

  private static String familyOf(String id, Map<String, String> row) {
    String f = row.get("family");
    return f == null || f.isEmpty() ? id : f;
  }

  private static List<String> parents(Map<String, String> r) {
    String b = r.get("base_model");
    if (b == null || b.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String p : b.split(";")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return List.copyOf(out);
  }

  private static void lineage(
      String id,
      Map<String, Map<String, String>> rows,
      Map<String, Map<String, Double>> credit,
      Map<String, List<String>> roots,
      Set<String> visiting,
      Path registry) {
    if (credit.containsKey(id)) {
      return;
    }
    if (!visiting.add(id)) {
      throw new ConfigException("--registry " + registry + ": base_model cycle through " + id);
    }
    List<String> parents = parents(rows.get(id));
    Map<String, Double> cr = new LinkedHashMap<>();
    LinkedHashSet<String> rs = new LinkedHashSet<>();
    if (parents.isEmpty()) {
      cr.put(id, 1.0);
      rs.add(id);
    } else {
      double k = parents.size();
      for (String p : parents) {
        if (!rows.containsKey(p)) {
          throw new ConfigException(
              "--registry "
                  + registry
                  + ": "
                  + id
                  + " names base_model "
                  + p
                  + ", which is not a row");
        }
        lineage(p, rows, credit, roots, visiting, registry);
        credit.get(p).forEach((root, c) -> cr.merge(root, c / k, Double::sum));
        rs.addAll(roots.get(p));
      }
    }
    visiting.remove(id);
    credit.put(id, Map.copyOf(cr));
    roots.put(id, List.copyOf(rs));
  }

  /** Heavy-tailed, deterministic per model id: a few repos take most downloads, as on the Hub. */
  private static double popularity(
      String id, boolean root, double params, String devCountry, String relation) {
    double u = Mix.unit(Mix.hash(id));
    double p = StrictMath.pow(10, 2 * u - 1); // log-uniform over 0.1 .. 10
    if (root) {
      p *= !(params > 0) ? 1.0 : params <= 10 ? 2.0 : params <= 40 ? 1.0 : 0.5;
    } else {
      p *= devCountry == null || devCountry.isEmpty() ? 1.0 : 2.5;
      p *=
          switch (relation == null ? "" : relation) {
            case "quantized" -> 1.5;
            case "adapter" -> 0.4;
            case "merge" -> 0.25;
            default -> 1.0;
          };
    }
    return p;
  }

  private static double parse(String s) {
    if (s == null || s.isBlank()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  // ---- per-date samplers ----

  /** Keeps R1's derivative downloads at {@link #R1_RATIO} × its own, within one day's stream. */
  static final class R1Balance {
    private double debt;

    /** True when the next R1-family download should be R1 itself. */
    boolean rootTurn() {
      return debt >= R1_RATIO;
    }

    void tookRoot() {
      debt -= R1_RATIO;
    }

    /** Scores a derivative halfway between full counting and 1/k merge credit. */
    void tookDerivative(Model m) {
      debt += (1.0 + m.r1Credit()) / 2.0;
    }
  }

  /** Which models a download or an API request can name on one date, per country. */
  final class DaySampler {
    private final LocalDate date;
    private final String[] groupKeys;
    private final Alias[] countryGroups;
    private final Alias[] groupRoots;
    private final int[][] groupRootIds;
    private final Alias[] groupDerivs;
    private final int[][] groupDerivIds;
    private final Alias[] countryApi;
    private final int[] apiIds;
    private final Alias anyOpen;
    private final int[] anyOpenIds;

    DaySampler(LocalDate date, CountryTable countries) {
      this.date = date;
      Map<String, List<Model>> rootsBy = new TreeMap<>();
      Map<String, List<Model>> derivsBy = new TreeMap<>();
      List<Model> open = new ArrayList<>();
      for (Model m : models) {
        if (!m.open() || m.release().isAfter(date)) {
          continue;
        }
        open.add(m);
        (m.root() ? rootsBy : derivsBy).computeIfAbsent(m.group(), k -> new ArrayList<>()).add(m);
        rootsBy.computeIfAbsent(m.group(), k -> new ArrayList<>());
      }
      groupKeys = rootsBy.keySet().toArray(new String[0]);
      int g = groupKeys.length;
      groupRoots = new Alias[g];
      groupRootIds = new int[g][];
      groupDerivs = new Alias[g];
      groupDerivIds = new int[g][];
      String[] groupDev = new String[g];
      String[] groupOrigin = new String[g];
      for (int i = 0; i < g; i++) {
        List<Model> rs = rootsBy.get(groupKeys[i]);
        List<Model> ds = derivsBy.getOrDefault(groupKeys[i], List.of());
        groupRootIds[i] = rs.stream().mapToInt(Model::index).toArray();
        groupRoots[i] =
            rs.isEmpty() ? null : Alias.of(rs.stream().mapToDouble(Model::popularity).toArray());
        groupDerivIds[i] = ds.stream().mapToInt(Model::index).toArray();
        groupDerivs[i] =
            ds.isEmpty() ? null : Alias.of(ds.stream().mapToDouble(Model::popularity).toArray());
        Model any = rs.isEmpty() ? ds.get(0) : rs.get(0);
        Model root = byId.get(any.roots().get(0));
        groupDev[i] = root.developer();
        groupOrigin[i] = root.developerCountry();
      }
      countryGroups = new Alias[countries.size()];
      for (CountryTable.Country c : countries.all()) {
        double[] w = new double[g];
        for (int i = 0; i < g; i++) {
          double t =
              "deepseek-ai".equals(groupDev[i])
                  ? CountryTable.deepseekTilt(c)
                  : CountryTable.originTilt(c, groupOrigin[i] == null ? "" : groupOrigin[i]);
          w[i] = GROUP_WEIGHT.getOrDefault(groupKeys[i], DEFAULT_GROUP_WEIGHT) * t;
        }
        countryGroups[c.index()] = g == 0 ? null : Alias.of(w);
      }
      anyOpenIds = open.stream().mapToInt(Model::index).toArray();
      anyOpen =
          open.isEmpty() ? null : Alias.of(open.stream().mapToDouble(Model::popularity).toArray());

      List<Model> api = new ArrayList<>();
      for (Model m : models) {
        if (m.release().isAfter(date) || !m.root()) {
          continue;
        }
        if (!m.open() || API_WEIGHT.containsKey(m.id()) || m.paramsB() >= 24) {
          api.add(m);
        }
      }
      apiIds = api.stream().mapToInt(Model::index).toArray();
      countryApi = new Alias[countries.size()];
      for (CountryTable.Country c : countries.all()) {
        double[] w = new double[api.size()];
        for (int i = 0; i < w.length; i++) {
          Model m = api.get(i);
          double base = API_WEIGHT.getOrDefault(m.id(), m.open() ? 0.012 : 0.04);
          double t;
          if ("deepseek-ai".equals(m.developer())) {
            t = CountryTable.deepseekTilt(c);
          } else if (!m.open() && "USA".equals(m.developerCountry())) {
            t = CountryTable.usClosedTilt(c);
          } else {
            t = CountryTable.originTilt(c, m.developerCountry());
          }
          w[i] = base * t;
        }
        countryApi[c.index()] = w.length == 0 ? null : Alias.of(w);
      }
    }

    LocalDate date() {
      return date;
    }

    /** An open model downloaded from {@code country} on this date, or -1 if none exists yet. */
    int download(int country, SplittableRandom rng, R1Balance r1) {
      Alias groups = countryGroups[country];
      if (groups == null) {
        return -1;
      }
      int g = groups.sample(rng);
      boolean hasRoots = groupRoots[g] != null;
      boolean hasDerivs = groupDerivs[g] != null;
      boolean pickRoot;
      if (R1_GROUP.equals(groupKeys[g])) {
        pickRoot = hasRoots && (!hasDerivs || r1.rootTurn());
      } else {
        pickRoot = hasRoots && (!hasDerivs || rng.nextDouble() < P_ROOT);
      }
      if (pickRoot) {
        int m = groupRootIds[g][groupRoots[g].sample(rng)];
        if (R1_GROUP.equals(groupKeys[g]) && hasDerivs) {
          r1.tookRoot();
        }
        return m;
      }
      int m = groupDerivIds[g][groupDerivs[g].sample(rng)];
      if (R1_GROUP.equals(groupKeys[g])) {
        r1.tookDerivative(models.get(m));
      }
      return m;
    }

    /** Any open model by popularity alone (bots and CI mirror whatever is there). */
    int anyOpen(SplittableRandom rng) {
      return anyOpen == null ? -1 : anyOpenIds[anyOpen.sample(rng)];
    }

    /** A model called through an API from {@code country} on this date, or -1. */
    int api(int country, SplittableRandom rng) {
      Alias a = countryApi[country];
      return a == null ? -1 : apiIds[a.sample(rng)];
    }
  }

  DaySampler sampler(LocalDate date, CountryTable countries) {
    return new DaySampler(date, countries);
  }
}
