package org.trustatlas.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes one day of API request logs: Parquet under {@code
 * logs/api_requests/date=D/part-NNNNN.parquet} (SNAPPY), at most {@link UsageGenerator#PART_ROWS}
 * rows a part.
 */
final class ApiLog {
  static final long KIND = 0x6170695F72657173L; // "api_reqs"
  private static final int RING = 64;
  private static final int[] ERROR_CODES = {
    429, 429, 429, 429, 400, 400, 401, 404, 500, 500, 502, 503
  };

  static final MessageType SCHEMA =
      Types.buildMessage()
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("request_id")
          .required(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named("ts")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("user_id")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("model_id")
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("country_code")
          .required(PrimitiveTypeName.INT32)
          .named("tokens_in")
          .required(PrimitiveTypeName.INT32)
          .named("tokens_out")
          .required(PrimitiveTypeName.INT32)
          .named("status")
          .named("api_request");

  private final ModelCatalog catalog;
  private final CountryTable countries;
  private final ClientPool pool;
  private final Alias countryAlias;
  private final long seed;
  private final long partRows;

  ApiLog(ModelCatalog catalog, CountryTable countries, ClientPool pool, long seed, long partRows) {
    this.partRows = partRows;
    this.catalog = catalog;
    this.countries = countries;
    this.pool = pool;
    this.countryAlias = Alias.of(countries.weights());
    this.seed = seed;
  }

  long[] writeDay(Path dir, LocalDate date, long rows, ModelCatalog.DaySampler[] samplers)
      throws IOException {
    SplittableRandom rng =
        new SplittableRandom(seed ^ (date.toEpochDay() * 0x9E3779B97F4A7C15L) ^ KIND);
    double[] cum = Dirt.cumulative(Dirt.API_FRACTIONS);
    long[] counts = new long[Dirt.API.size()];
    SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
    Group[] ring = new Group[RING];
    int ringSize = 0;
    int ringNext = 0;
    StringBuilder b = new StringBuilder(40);
    ParquetWriter<Group> out = null;
    Path tmp = null;
    Path target = null;
    int part = 0;
    try {
      for (long i = 0; i < rows; i++) {
        if (i % partRows == 0) {
          if (out != null) {
            out.close();
            ParquetFooter.canonicalize(tmp);
            Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
          String name = String.format(Locale.ROOT, "part-%05d.parquet", part++);
          target = dir.resolve(name);
          tmp = dir.resolve("." + name + ".inprogress");
          out = open(tmp);
        }
        int cat = Dirt.draw(cum, rng.nextDouble());
        String category = Dirt.API.get(cat);
        if (Dirt.DUPLICATE.equals(category)) {
          if (ringSize == 0) {
            cat = 0;
            category = Dirt.CLEAN;
          } else {
            out.write(ring[rng.nextInt(ringSize)]);
            counts[cat]++;
            continue;
          }
        }
        int dayBack = Dirt.LATE.equals(category) ? 1 + rng.nextInt(3) : 0;
        ModelCatalog.DaySampler sampler = samplers[dayBack];
        int country = countryAlias.sample(rng);
        long client = pool.human(country, rng);
        String modelId;
        boolean reasoning = false;
        if (Dirt.UNKNOWN_MODEL.equals(category)) {
          modelId = rng.nextBoolean() ? "openai/gpt-5-preview" : "deepseek-ai/deepseek-coder-v3";
        } else {
          int m = sampler.api(country, rng);
          if (m < 0) {
            modelId = "openai/gpt-5-preview";
            cat = Dirt.API.indexOf(Dirt.UNKNOWN_MODEL);
            category = Dirt.UNKNOWN_MODEL;
          } else {
            modelId = catalog.get(m).id();
            String lid = modelId.toLowerCase(Locale.ROOT);
            reasoning =
                lid.contains("reasoner")
                    || lid.contains("/o1")
                    || lid.contains("-r1")
                    || lid.contains("qwq");
          }
        }
        long ms =
            dayBack == 0 ? Diurnal.msOfDay((i + rng.nextDouble()) / rows) : Diurnal.randomMs(rng);
        long micros = Diurnal.epochMicros(samplers[dayBack].date(), ms, rng.nextInt(1000));
        int tokensIn =
            (int) clamp(Math.round(StrictMath.exp(6.0 + 1.0 * gaussian(rng))), 1, 128_000);
        int tokensOut =
            (int)
                clamp(
                    Math.round(StrictMath.exp(5.5 + 0.9 * gaussian(rng)) * (reasoning ? 4 : 1)),
                    1,
                    32_768);
        int status = 200;
        if (Dirt.ERROR_STATUS.equals(category)) {
          status = ERROR_CODES[rng.nextInt(ERROR_CODES.length)];
          tokensOut = 0;
        }
        b.setLength(0);
        DownloadLog.uuid(b, rng.nextLong(), rng.nextLong());
        Group g =
            factory
                .newGroup()
                .append("request_id", b.toString())
                .append("ts", micros)
                .append("user_id", pool.userId(client))
                .append("model_id", modelId);
        if (Dirt.MALFORMED_COUNTRY.equals(category)) {
          g.append("country_code", Dirt.MALFORMED_CODES[rng.nextInt(Dirt.MALFORMED_CODES.length)]);
        } else if (!Dirt.MISSING_COUNTRY.equals(category)) {
          g.append("country_code", countries.get(country).iso2());
        }
        g.append("tokens_in", tokensIn).append("tokens_out", tokensOut).append("status", status);
        out.write(g);
        counts[cat]++;
        if (cat == 0) {
          ring[ringNext] = g;
          ringNext = (ringNext + 1) % RING;
          ringSize = Math.min(RING, ringSize + 1);
        }
      }
      if (out != null) {
        out.close();
        out = null;
        ParquetFooter.canonicalize(tmp);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      if (out != null) {
        out.close();
        Files.deleteIfExists(tmp);
      }
    }
    return counts;
  }

  private static ParquetWriter<Group> open(Path file) throws IOException {
    return ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(SCHEMA)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withDictionaryEncoding(true)
        .withDictionaryEncoding("request_id", false)
        .build();
  }

  /** Box–Muller with our own stream, so values never depend on a JDK's Gaussian algorithm. */
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
