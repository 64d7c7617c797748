package org.trustatlas.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one day of model-hub download events: gzip JSON lines under {@code
 * logs/downloads/date=D/part-NNNNN.jsonl.gz}, at most {@link UsageGenerator#PART_ROWS} lines per
 * part.
 */
final class DownloadLog {
  static final long KIND = 0x646F776E6C6F6164L; // "download"
  private static final int RING = 64;
  private static final String[] UNKNOWN_FIXED = {
    "deepseek-ai/DeepSeek-R2",
    "Qwen/Qwen4-7B-Instruct",
    "meta-llama/Llama-5-8B",
    "openai/gpt-5-open"
  };

  private static final String[] QUANTS = {
    "Q4_K_M", "Q4_K_M", "Q4_K_M", "Q8_0", "Q5_K_M", "Q6_K", "IQ4_XS", "Q3_K_L"
  };

  private final ModelCatalog catalog;
  private final CountryTable countries;
  private final ClientPool pool;
  private final Alias countryAlias;
  private final double[] agentCumulative;
  private final boolean[] deepseekModel;
  private final long seed;
  private final long partRows;

  DownloadLog(
      ModelCatalog catalog, CountryTable countries, ClientPool pool, long seed, long partRows) {
    this.partRows = partRows;
    this.catalog = catalog;
    this.countries = countries;
    this.pool = pool;
    this.countryAlias = Alias.of(countries.weights());
    double total = 0;
    for (double w : Dirt.NORMAL_AGENT_WEIGHTS) {
      total += w;
    }
    this.agentCumulative = new double[Dirt.NORMAL_AGENT_WEIGHTS.length];
    double acc = 0;
    for (int i = 0; i < agentCumulative.length; i++) {
      acc += Dirt.NORMAL_AGENT_WEIGHTS[i] / total;
      agentCumulative[i] = acc;
    }
    this.seed = seed;
    this.deepseekModel = new boolean[catalog.all().size()];
    for (ModelCatalog.Model m : catalog.all()) {
      deepseekModel[m.index()] = m.deepseek();
    }
  }

  /**
   * One partition's counts.
   *
   * @param categories lines per {@link Dirt#DOWNLOADS} category
   * @param perModel countable downloads (no bot, re-send, truncated line or unknown model) per
   *     model
   * @param deepseekByCountry per country index: {DeepSeek-rooted downloads, all countable
   *     downloads}
   */
  record DayResult(long[] categories, long[] perModel, long[][] deepseekByCountry) {}

  /** Generates the partition of {@code date} with {@code rows} lines. */
  DayResult writeDay(Path dir, LocalDate date, long rows, ModelCatalog.DaySampler[] samplers)
      throws IOException {
    SplittableRandom rng =
        new SplittableRandom(seed ^ (date.toEpochDay() * 0x9E3779B97F4A7C15L) ^ KIND);
    double[] cum = Dirt.cumulative(Dirt.DOWNLOAD_FRACTIONS);
    long[] counts = new long[Dirt.DOWNLOADS.size()];
    long[] perModel = new long[catalog.all().size()];
    long[][] deepseek = new long[countries.size()][2];
    ModelCatalog.R1Balance r1 = new ModelCatalog.R1Balance();
    String[] ring = new String[RING];
    int ringSize = 0;
    int ringNext = 0;
    String[] isoDates = new String[samplers.length];
    for (int k = 0; k < samplers.length; k++) {
      isoDates[k] = samplers[k].date().toString();
    }
    StringBuilder b = new StringBuilder(512);
    Writer out = null;
    Path tmp = null;
    Path target = null;
    int part = 0;
    try {
      for (long i = 0; i < rows; i++) {
        if (i % partRows == 0) {
          if (out != null) {
            out.close();
            Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
          String name = String.format(java.util.Locale.ROOT, "part-%05d.jsonl.gz", part++);
          target = dir.resolve(name);
          tmp = dir.resolve("." + name + ".inprogress");
          out = open(tmp);
        }
        int cat = Dirt.draw(cum, rng.nextDouble());
        String category = Dirt.DOWNLOADS.get(cat);
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
        boolean bot = Dirt.BOT.equals(category);
        long client = bot ? pool.bot(country, rng) : pool.human(country, rng);
        String modelId;
        String file;
        if (Dirt.UNKNOWN_MODEL.equals(category)) {
          modelId = unknownModel(rng);
          file = "config.json";
        } else {
          int m = bot ? sampler.anyOpen(rng) : sampler.download(country, rng, r1);
          if (m < 0) {
            modelId = unknownModel(rng);
            file = "config.json";
            cat = Dirt.DOWNLOADS.indexOf(Dirt.UNKNOWN_MODEL);
            category = Dirt.UNKNOWN_MODEL;
          } else {
            ModelCatalog.Model model = catalog.get(m);
            modelId = model.id();
            file = file(model, rng);
            if (!bot && !Dirt.TRUNCATED.equals(category)) {
              perModel[m]++;
              deepseek[country][1]++;
              if (deepseekModel[m]) {
                deepseek[country][0]++;
              }
            }
          }
        }
        long ms =
            dayBack == 0 ? Diurnal.msOfDay((i + rng.nextDouble()) / rows) : Diurnal.randomMs(rng);
        String agent =
            bot
                ? Dirt.BOT_AGENTS[rng.nextInt(Dirt.BOT_AGENTS.length)]
                : Dirt.NORMAL_AGENTS[agentFor(client)];

        b.setLength(0);
        b.append("{\"request_id\":\"");
        uuid(b, rng.nextLong(), rng.nextLong());
        b.append("\",\"ts\":\"");
        Diurnal.appendIso(b, isoDates[dayBack], ms);
        b.append("\",\"model_id\":");
        Json.str(b, modelId);
        b.append(",\"file\":");
        Json.str(b, file);
        b.append(",\"client_ip\":\"").append(pool.ip(client)).append('"');
        if (Dirt.MISSING_COUNTRY.equals(category)) {
          if (rng.nextBoolean()) {
            b.append(",\"country_code\":null");
          }
        } else {
          b.append(",\"country_code\":");
          Json.str(
              b,
              Dirt.MALFORMED_COUNTRY.equals(category)
                  ? Dirt.MALFORMED_CODES[rng.nextInt(Dirt.MALFORMED_CODES.length)]
                  : countries.get(country).iso2());
        }
        b.append(",\"user_agent\":");
        Json.str(b, agent);
        b.append('}');
        String line;
        if (Dirt.TRUNCATED.equals(category)) {
          line = b.substring(0, b.length() / 2) + "\n";
        } else {
          b.append('\n');
          line = b.toString();
        }
        out.write(line);
        counts[cat]++;
        if (cat == 0) {
          ring[ringNext] = line;
          ringNext = (ringNext + 1) % RING;
          ringSize = Math.min(RING, ringSize + 1);
        }
      }
      if (out != null) {
        out.close();
        out = null;
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      if (out != null) {
        out.close();
        Files.deleteIfExists(tmp);
      }
    }
    return new DayResult(counts, perModel, deepseek);
  }

  private int agentFor(long client) {
    // A client keeps its user agent: chosen by the client's own hash, not by the day's stream.
    double u = Mix.unit(pool.clientHash(client));
    for (int i = 0; i < agentCumulative.length - 1; i++) {
      if (u < agentCumulative[i]) {
        return i;
      }
    }
    return agentCumulative.length - 1;
  }

  /** A version-4 UUID from two random longs. */
  static void uuid(StringBuilder b, long hi, long lo) {
    hi = (hi & ~0xF000L) | 0x4000L;
    lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    String h = ClientPool.hex16(hi);
    String l = ClientPool.hex16(lo);
    b.append(h, 0, 8).append('-').append(h, 8, 12).append('-').append(h, 12, 16).append('-');
    b.append(l, 0, 4).append('-').append(l, 4, 16);
  }

  private static Writer open(Path file) throws IOException {
    // GZIPOutputStream writes a fixed header (mtime 0): the same rows give the same bytes.
    return new OutputStreamWriter(
        new GZIPOutputStream(
            new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16),
        StandardCharsets.UTF_8);
  }

  private static String unknownModel(SplittableRandom rng) {
    int k = rng.nextInt(10);
    if (k < UNKNOWN_FIXED.length) {
      return UNKNOWN_FIXED[k];
    }
    if (k < 8) {
      return "user" + (10000 + rng.nextInt(90000)) + "/private-finetune-" + (1 + rng.nextInt(20));
    }
    return "local/model-" + ClientPool.hex16(rng.nextLong()).substring(0, 8);
  }

  /** The file a download fetches: config, tokenizer, a safetensors shard, or a GGUF quant. */
  static String file(ModelCatalog.Model m, SplittableRandom rng) {
    if (m.gguf()) {
      return m.ggufStem() + "-" + QUANTS[rng.nextInt(QUANTS.length)] + ".gguf";
    }
    if ("adapter".equals(m.relation())) {
      return rng.nextInt(3) == 0 ? "adapter_config.json" : "adapter_model.safetensors";
    }
    double u = rng.nextDouble();
    if (u < 0.30) {
      return "config.json";
    }
    if (u < 0.35) {
      return "tokenizer.json";
    }
    if (u < 0.40) {
      return "generation_config.json";
    }
    int n = Math.max(1, m.shards());
    if (n == 1) {
      return "model.safetensors";
    }
    int k = 1 + rng.nextInt(n);
    StringBuilder b = new StringBuilder("model-");
    pad5(b, k).append("-of-");
    return pad5(b, n).append(".safetensors").toString();
  }

  private static StringBuilder pad5(StringBuilder b, int v) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < 5; i++) {
      b.append('0');
    }
    return b.append(s);
  }
}
