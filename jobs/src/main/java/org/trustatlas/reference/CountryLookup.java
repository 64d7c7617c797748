package org.trustatlas.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Resolves a country column at scale: the distinct spellings (a few thousand at most, even over
 * millions of rows) are resolved once on the driver, and the result is broadcast-joined back.
 */
public final class CountryLookup {
  public static final StructType SCHEMA =
      StructType.fromDDL(
          "lookup_scope STRING, lookup_raw STRING, country_iso3 STRING, country_status STRING,"
              + " country_via STRING");

  private CountryLookup() {}

  /**
   * Adds {@code country_iso3} and {@code country_status} for the spelling in {@code rawCol}. The
   * {@code scopeCol} (e.g. the source) selects which pins apply; {@code pinsByScope} holds them.
   */
  public static Dataset<Row> resolve(
      Dataset<Row> df,
      String rawCol,
      String scopeCol,
      Map<String, Map<String, String>> pinsByScope,
      CountryResolver resolver) {
    return resolve(df, rawCol, scopeCol, pinsByScope, resolver, false);
  }

  /** As above; with {@code codesOnly} the column holds codes, and names never resolve. */
  public static Dataset<Row> resolve(
      Dataset<Row> df,
      String rawCol,
      String scopeCol,
      Map<String, Map<String, String>> pinsByScope,
      CountryResolver resolver,
      boolean codesOnly) {
    SparkSession spark = df.sparkSession();
    List<Row> distinct =
        df.select(
                functions.coalesce(functions.col(scopeCol), functions.lit("")).as("s"),
                functions.col(rawCol).as("r"))
            .distinct()
            .collectAsList();
    List<Row> rows = new ArrayList<>(distinct.size());
    Map<String, Resolution> cache = new HashMap<>();
    for (Row d : distinct) {
      String scope = d.getString(0);
      String raw = d.isNullAt(1) ? null : d.getString(1);
      Map<String, String> pins = pinsByScope.getOrDefault(scope, Map.of());
      Resolution r =
          codesOnly
              ? resolver.resolveCode(raw)
              : pins.isEmpty()
                  ? cache.computeIfAbsent(String.valueOf(raw), k -> resolver.resolve(raw))
                  : resolver.resolve(raw, pins);
      rows.add(RowFactory.create(scope, raw, r.iso3(), r.status().label(), r.via()));
    }
    Dataset<Row> lookup = spark.createDataFrame(rows, SCHEMA);
    return df.join(
            functions.broadcast(lookup),
            functions
                .coalesce(df.col(scopeCol), functions.lit(""))
                .equalTo(lookup.col("lookup_scope"))
                .and(df.col(rawCol).eqNullSafe(lookup.col("lookup_raw"))),
            "left")
        .drop("lookup_scope", "lookup_raw");
  }
}
