package org.trustatlas.silver;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.trustatlas.config.AtlasConfig.MergeCredit;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Csv;
import org.trustatlas.reference.ModelIds;
import org.trustatlas.reference.Resolution;

/**
 * Resolves every registry model to its root model(s) through {@code base_model}: a merge of k
 * parents credits 1/k to each (or 1 with full counting), credits multiply along a chain and add up
 * over paths that reach the same root. Cycles and unknown parents are reported, never looped on.
 * {@code developer_country} is resolved to ISO3 like every other country spelling (gold compares
 * origins with {@code 'CHN'}/{@code 'USA'}); a value that does not resolve leaves the model without
 * an origin and is reported.
 */
public final class ModelLineage {
  static final Set<String> RELATIONS = Set.of("finetune", "quantized", "adapter", "merge");
  static final List<String> HEADER =
      List.of(
          "model_id",
          "family",
          "developer",
          "developer_country",
          "open_weights",
          "licence",
          "release_date",
          "base_model",
          "relation");

  /** A registry row that parsed. */
  public record Model(
      String modelId,
      String family,
      String developer,
      String developerCountry,
      boolean openWeights,
      String licence,
      LocalDate releaseDate,
      List<String> parents,
      String relation,
      int line) {
    Model withParents(List<String> named) {
      return new Model(
          modelId,
          family,
          developer,
          developerCountry,
          openWeights,
          licence,
          releaseDate,
          named,
          relation,
          line);
    }
  }

  /** One root of one model. */
  public record Attribution(Model model, String rootId, double credit, int depth, String path) {}

  /** A registry row that could not be used. */
  public record Rejected(int line, String modelId, String raw, String reason, String detail) {}

  /**
   * Attributions of every good model, the rejected rows, and the models kept without an origin
   * because their {@code developer_country} did not resolve ({@code unresolvedCountries}: reported,
   * but the row itself is used, so it is not counted as rejected).
   */
  public record Result(
      List<Attribution> attributions,
      List<Rejected> rejected,
      Map<String, Model> models,
      long rowsIn,
      List<Rejected> unresolvedCountries) {}

  private ModelLineage() {}

  /** As below, with the committed country reference data and no Greater China roll-up. */
  public static Result resolve(List<Csv.Record> records, MergeCredit mergeCredit) {
    return resolve(records, mergeCredit, CountryResolver.load(false));
  }

  public static Result resolve(
      List<Csv.Record> records, MergeCredit mergeCredit, CountryResolver countries) {
    List<Rejected> rejected = new ArrayList<>();
    List<Rejected> unresolvedCountries = new ArrayList<>();
    Map<String, Model> models = new LinkedHashMap<>();
    if (records.isEmpty()) {
      return new Result(List.of(), rejected, models, 0, unresolvedCountries);
    }
    List<String> header =
        records.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      col.put(header.get(i), i);
    }
    for (String h : HEADER) {
      if (!col.containsKey(h)) {
        throw new org.trustatlas.config.ConfigException(
            "models.csv: column '"
                + h
                + "' missing from the header (line 1: "
                + header
                + "); expected "
                + HEADER);
      }
    }
    long rowsIn = 0;
    for (Csv.Record r : records.subList(1, records.size())) {
      if (Csv.isBlank(r)) {
        continue;
      }
      rowsIn++;
      List<String> f = r.fields();
      if (r.unterminatedQuote() || f.size() != header.size()) {
        rejected.add(
            new Rejected(
                r.line(),
                f.isEmpty() ? null : f.get(0),
                r.raw(),
                "malformed_line",
                f.size() + " fields where the header has " + header.size()));
        continue;
      }
      String id = f.get(col.get("model_id")).strip();
      String relation = blank(f.get(col.get("relation")));
      String ow = f.get(col.get("open_weights")).strip().toLowerCase(Locale.ROOT);
      List<String> parents = new ArrayList<>();
      for (String p : f.get(col.get("base_model")).split(";")) {
        if (!p.isBlank()) {
          parents.add(p.strip());
        }
      }
      String problem = null;
      if (id.isEmpty()) {
        problem = "empty model_id";
      } else if (!ow.matches("true|false|yes|no")) {
        problem = "open_weights '" + ow + "' is not true or false";
      } else if (relation != null && !RELATIONS.contains(relation.toLowerCase(Locale.ROOT))) {
        problem = "relation '" + relation + "' is not one of " + RELATIONS;
      } else if (parents.isEmpty() != (relation == null)) {
        problem =
            parents.isEmpty()
                ? "relation given without base_model"
                : "base_model given without relation";
      }
      LocalDate release = null;
      String rd = blank(f.get(col.get("release_date")));
      if (problem == null && rd != null) {
        try {
          release = LocalDate.parse(rd);
        } catch (DateTimeParseException e) {
          problem = "release_date '" + rd + "' is not YYYY-MM-DD";
        }
      }
      if (problem != null) {
        rejected.add(new Rejected(r.line(), id, r.raw(), "bad_value", problem));
        continue;
      }
      if (models.containsKey(id)) {
        rejected.add(
            new Rejected(
                r.line(),
                id,
                r.raw(),
                "duplicate",
                "model_id already defined on line " + models.get(id).line()));
        continue;
      }
      String country = blank(f.get(col.get("developer_country")));
      String origin = null;
      if (country != null) {
        Resolution c = countries.resolve(country);
        if (c.status() == Resolution.Status.RESOLVED) {
          origin = c.iso3();
        } else {
          unresolvedCountries.add(
              new Rejected(
                  r.line(),
                  id,
                  r.raw(),
                  // As survey spellings are reported.
                  c.status() == Resolution.Status.AMBIGUOUS
                      ? "ambiguous_country"
                      : "unresolved_country",
                  "developer_country '"
                      + country
                      + "' of "
                      + id
                      + " is "
                      + c.status().label()
                      + " ("
                      + c.via()
                      + "): the model is kept without an origin, so its downloads count as"
                      + " share_other; write the ISO 3166 code (e.g. USA, CHN) or a country name"
                      + " that `bin/atlas countries resolve` resolves"));
        }
      }
      models.put(
          id,
          new Model(
              id,
              blank(f.get(col.get("family"))),
              blank(f.get(col.get("developer"))),
              origin,
              ow.equals("true") || ow.equals("yes"),
              blank(f.get(col.get("licence"))),
              release,
              List.copyOf(parents),
              relation == null ? null : relation.toLowerCase(Locale.ROOT),
              r.line()));
    }
    // A base_model spelt otherwise than its own row (case, a Hugging Face address) is that model.
    ModelIds ids = ModelIds.of(models.keySet());
    models.replaceAll(
        (id, m) -> {
          List<String> named =
              m.parents().stream()
                  .map(p -> java.util.Objects.requireNonNullElse(ids.canonical(p), p))
                  .distinct()
                  .toList();
          return named.equals(m.parents()) ? m : m.withParents(named);
        });
    // Find models that cannot reach a root: on or above a cycle, or above an unknown parent.
    Map<String, String> bad = new HashMap<>();
    Map<String, Integer> state = new HashMap<>();
    for (String id : models.keySet()) {
      visit(id, models, state, bad, new ArrayDeque<>());
    }
    List<Attribution> out = new ArrayList<>();
    for (Model m : models.values()) {
      String why = bad.get(m.modelId());
      if (why != null) {
        String reason = why.startsWith("cycle") ? "cycle" : "unknown_parent";
        rejected.add(new Rejected(m.line(), m.modelId(), null, reason, why));
        continue;
      }
      out.addAll(attribute(m, models, mergeCredit));
    }
    rejected.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return new Result(out, rejected, models, rowsIn, unresolvedCountries);
  }

  /** Depth-first search with colours: 1 = on the stack, 2 = done. */
  private static void visit(
      String id,
      Map<String, Model> models,
      Map<String, Integer> state,
      Map<String, String> bad,
      Deque<String> stack) {
    Integer s = state.get(id);
    if (s != null) {
      return;
    }
    state.put(id, 1);
    stack.push(id);
    Model m = models.get(id);
    for (String p : m.parents()) {
      if (!models.containsKey(p)) {
        bad.putIfAbsent(id, "unknown parent " + p);
        continue;
      }
      Integer ps = state.get(p);
      if (ps != null && ps == 1) {
        List<String> cycle = new ArrayList<>();
        for (String x : stack) {
          cycle.add(x);
          if (x.equals(p)) {
            break;
          }
        }
        java.util.Collections.reverse(cycle);
        String text = "cycle " + String.join(" > ", cycle) + " > " + p;
        for (String x : cycle) {
          bad.putIfAbsent(x, text);
        }
        continue;
      }
      visit(p, models, state, bad, stack);
      if (bad.containsKey(p)) {
        String why = bad.get(p);
        bad.putIfAbsent(id, why.startsWith("cycle") ? why : "unknown parent via " + p + ": " + why);
      }
    }
    stack.pop();
    state.put(id, 2);
  }

  /**
   * Roots of one model with their summed credit, depth and the shortest path (ties: smallest id).
   */
  static List<Attribution> attribute(Model m, Map<String, Model> models, MergeCredit mode) {
    Map<String, Double> credit = new TreeMap<>();
    accumulate(m.modelId(), 1.0, models, mode, credit);
    if (mode == MergeCredit.FULL) {
      credit.replaceAll((k, v) -> Math.min(v, 1.0));
    }
    // Breadth-first over sorted parents gives the shortest path, ties broken lexicographically.
    Map<String, String> prev = new HashMap<>();
    Map<String, Integer> depth = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(m.modelId());
    depth.put(m.modelId(), 0);
    while (!queue.isEmpty()) {
      String x = queue.poll();
      List<String> ps = new ArrayList<>(models.get(x).parents());
      ps.sort(null);
      for (String p : ps) {
        if (!depth.containsKey(p)) {
          depth.put(p, depth.get(x) + 1);
          prev.put(p, x);
          queue.add(p);
        }
      }
    }
    List<Attribution> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : credit.entrySet()) {
      List<String> path = new ArrayList<>();
      for (String x = e.getKey(); x != null; x = prev.get(x)) {
        path.add(x);
      }
      java.util.Collections.reverse(path);
      out.add(
          new Attribution(
              m, e.getKey(), e.getValue(), depth.get(e.getKey()), String.join(" > ", path)));
    }
    return out;
  }

  private static void accumulate(
      String id,
      double share,
      Map<String, Model> models,
      MergeCredit mode,
      Map<String, Double> credit) {
    Model m = models.get(id);
    if (m.parents().isEmpty()) {
      credit.merge(id, share, Double::sum);
      return;
    }
    double each = mode == MergeCredit.FULL ? share : share / m.parents().size();
    for (String p : m.parents()) {
      accumulate(p, each, models, mode, credit);
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
