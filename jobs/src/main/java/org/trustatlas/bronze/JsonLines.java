package org.trustatlas.bronze;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.json.CreateJacksonParser;
import org.apache.spark.sql.catalyst.json.JSONOptions;
import org.apache.spark.sql.catalyst.json.JacksonParser;
import org.apache.spark.sql.catalyst.util.FailureSafeParser;
import org.apache.spark.sql.catalyst.util.PermissiveMode$;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A JSON-lines file read as {@code line BIGINT, value STRING, j STRUCT<…>}: each line of the file
 * (plain or compressed, split at LF, CR or CRLF as Spark's text source splits it) with its 1-based
 * number, its text, and the object parsed from it exactly as {@code from_json(value, schema,
 * map('mode', 'PERMISSIVE'))} parses it — Spark's own JSON parser, fed the line's bytes.
 *
 * <p>{@code from_json} hands its parser a character reader built over every line (a decoder and its
 * buffers per line: some 40 % of the parse); here an ASCII line is parsed from its bytes, and any
 * other line (non-ASCII text, NUL bytes) through the same reader {@code from_json} uses, so both
 * give the same values for every line. A file is read by one task, so line numbers are exact
 * whatever its size.
 *
 * <p>Options: {@code path} (one file), {@code schema} (the object's fields, DDL) and {@code
 * looseKeys} ({@code true}: a line whose object lacks a field but has a key that differs from its
 * name only in case and separators, {@code Request_Id}, {@code requestId}, {@code REQUEST-ID} for
 * {@code request_id}, is read with that key as the field's; {@code false} by default, as {@code
 * from_json} reads). Column {@code blank} tells a line of nothing but spaces, tabs and line ends;
 * {@code joined} one that holds two objects; {@code twice} one whose object gives a field's key
 * twice (the parser keeps the last value silently).
 */
public final class JsonLines implements TableProvider {
  /** The data source's name for {@code spark.read().format(…)}. */
  public static final String FORMAT = JsonLines.class.getName();

  /** The rows of a file whose objects have the fields of {@code json}. */
  static StructType rows(StructType json) {
    return new StructType()
        .add("line", DataTypes.LongType, false)
        .add("value", DataTypes.StringType, false)
        .add("j", json.asNullable(), true)
        .add("joined", DataTypes.BooleanType, false)
        .add("blank", DataTypes.BooleanType, false)
        .add("twice", DataTypes.BooleanType, false);
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return rows(StructType.fromDDL(required(options, "schema")));
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new LinesTable(
        schema,
        required(properties, "path"),
        StructType.fromDDL(required(properties, "schema")),
        Boolean.parseBoolean(properties.getOrDefault("looseKeys", "false")));
  }

  private static String required(Map<String, String> options, String key) {
    String v = options.get(key);
    if (v == null) {
      throw new IllegalArgumentException(FORMAT + " needs the option '" + key + "'");
    }
    return v;
  }

  /** One file: the table, its scan and its batch (a single partition). */
  private record LinesTable(StructType schema, String path, StructType json, boolean looseKeys)
      implements Table, SupportsRead, ScanBuilder, Scan, Batch {
    @Override
    public String name() {
      return "json lines " + path;
    }

    @Override
    public Set<TableCapability> capabilities() {
      return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
      return this;
    }

    @Override
    public Scan build() {
      return this;
    }

    @Override
    public StructType readSchema() {
      return schema;
    }

    @Override
    public String description() {
      return name();
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return new InputPartition[] {new File(path)};
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      var spark = (org.apache.spark.sql.classic.SparkSession) SparkSession.active();
      Broadcast<SerializableConfiguration> conf =
          SerializableConfiguration.broadcast(
              spark.sparkContext(), spark.sessionState().newHadoopConf());
      return new Readers(
          conf, json.toDDL(), spark.sessionState().conf().sessionLocalTimeZone(), looseKeys);
    }
  }

  private record File(String path) implements InputPartition {}

  private record Readers(
      Broadcast<SerializableConfiguration> conf, String jsonDdl, String timeZone, boolean looseKeys)
      implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      return new Reader(
          ((File) partition).path(),
          conf.value().value(),
          StructType.fromDDL(jsonDdl),
          timeZone,
          looseKeys);
    }
  }

  /** The lines of one file, parsed as they are read. */
  private static final class Reader implements PartitionReader<InternalRow> {
    private final LineRecordReader lines = new LineRecordReader();
    private final FailureSafeParser<Text> parser;
    private final GenericInternalRow row = new GenericInternalRow(6);
    private final byte[][] fields;
    private final LooseKeys looseKeys;
    private long line;

    Reader(String path, Configuration conf, StructType json, String timeZone, boolean loose) {
      this.looseKeys = loose ? new LooseKeys(json.fieldNames()) : null;
      this.fields =
          java.util.Arrays.stream(json.fieldNames())
              .limit(64)
              .map(f -> f.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .toArray(byte[][]::new);
      JSONOptions options =
          new JSONOptions(
              scala.collection.immutable.Map$.MODULE$
                  .<String, String>empty()
                  .updated("mode", "PERMISSIVE"),
              timeZone,
              org.apache.spark.sql.internal.SQLConf.get().columnNameOfCorruptRecord());
      JacksonParser raw =
          new JacksonParser(
              json.asNullable(),
              options,
              false,
              scala.jdk.javaapi.CollectionConverters.asScala(
                      java.util.List.<org.apache.spark.sql.sources.Filter>of())
                  .toSeq());
      this.parser =
          new FailureSafeParser<>(
              text -> raw.parse(text, JsonLines::open, JsonLines::utf8),
              PermissiveMode$.MODULE$,
              json.asNullable(),
              options.columnNameOfCorruptRecord());
      try {
        Path p = new Path(path);
        long length = p.getFileSystem(conf).getFileStatus(p).getLen();
        var context =
            new TaskAttemptContextImpl(
                conf, new TaskAttemptID(new TaskID(new JobID(), TaskType.MAP, 0), 0));
        lines.initialize(new FileSplit(p, 0, length, new String[0]), context);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean next() throws IOException {
      if (!lines.nextKeyValue()) {
        return false;
      }
      Text text = lines.getCurrentValue();
      line++;
      row.setLong(0, line);
      // The line's bytes as they are: the row is copied before the next line is read.
      row.update(1, UTF8String.fromBytes(text.getBytes(), 0, text.getLength()));
      var parsed = parser.parse(text);
      InternalRow object = parsed.hasNext() ? parsed.next() : null;
      if (looseKeys != null && object != null && object.anyNull()) {
        Text renamed = looseKeys.rename(text);
        if (renamed != null) {
          var again = parser.parse(renamed);
          object = again.hasNext() ? again.next() : object;
        }
      }
      row.update(2, object);
      int shape = shape(text.getBytes(), text.getLength(), fields);
      row.setBoolean(3, (shape & JOINED) != 0);
      row.setBoolean(4, blank(text.getBytes(), text.getLength()));
      row.setBoolean(5, (shape & FIELD_TWICE) != 0);
      return true;
    }

    @Override
    public InternalRow get() {
      return row;
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }

  /**
   * A parser over a line: from its bytes when they are ASCII without NUL (the same characters a
   * reader would decode), otherwise through the character reader {@code from_json} uses, so a byte
   * order mark, a NUL, an invalid or any multi-byte sequence reads as it reads there.
   */
  private static JsonParser open(JsonFactory factory, Text text) {
    byte[] b = text.getBytes();
    int n = text.getLength();
    for (int i = 0; i < n; i++) {
      if (b[i] <= 0) {
        return CreateJacksonParser.utf8String(factory, utf8(text));
      }
    }
    try {
      // A stream, not the array: Spark copies a non-string value's exact text out of an array it
      // can see, and from_json's reader gives it none, so a number read as a string is written
      // back by Jackson (1.50e3 becomes 1500.0) as from_json writes it.
      return factory.createParser(new java.io.ByteArrayInputStream(b, 0, n));
    } catch (IOException e) {
      // Spark's parser turns what it throws into a rejected record; the type is kept.
      throw org.trustatlas.run.Concurrently.<RuntimeException>rethrow(e);
    }
  }

  /**
   * {@link #shape} flag: an object closes and another opens after it on the line ({@code }{"},
   * {@code }, {"}, spaces between): the parser reads the first object and ignores the rest, which
   * would vanish. Only outside strings: a user agent {@code "Mozilla} {"} is a value, not two
   * objects.
   */
  static final int JOINED = 1;

  /** {@link #shape} flag: a field's key given twice. */
  static final int FIELD_TWICE = 2;

  /**
   * One pass over a line's bytes (Spark's string search took ≈ 1.5 µs a line): {@link #JOINED} when
   * two objects are joined on it, {@link #FIELD_TWICE} when its object gives one of {@code fields}
   * (names as UTF-8 bytes, at most 64) as a key twice — the parser keeps the last value silently,
   * and which one the producer meant is unknown.
   */
  static int shape(byte[] b, int n, byte[][] fields) {
    boolean inString = false;
    int depth = 0;
    int from = 0;
    long seen = 0;
    int flags = 0;
    for (int i = 0; i < n; i++) {
      if (inString) {
        if (b[i] == '\\') {
          i++; // the escaped character, a quote included
        } else if (b[i] == '"') {
          inString = false;
          if (depth == 1 && fields.length > 0) {
            int f = field(b, n, from, i, fields);
            if (f >= 0) {
              if ((seen & (1L << f)) != 0) {
                flags |= FIELD_TWICE;
              }
              seen |= 1L << f;
            }
          }
        }
      } else if (b[i] == '"') {
        inString = true;
        from = i + 1;
      } else if (b[i] == '{' || b[i] == '[') {
        depth++;
      } else if (b[i] == ']') {
        depth--;
      } else if (b[i] == '}') {
        depth--;
        int j = i + 1;
        while (j < n && b[j] == ' ') {
          j++;
        }
        if (j < n && b[j] == ',') {
          j++;
          while (j < n && b[j] == ' ') {
            j++;
          }
        }
        if (j + 1 < n && b[j] == '{' && b[j + 1] == '"') {
          return flags | JOINED;
        }
      }
    }
    return flags;
  }

  /**
   * The index of the field whose name is the string {@code b[from, to)}, when a colon follows it (a
   * key), else -1.
   */
  private static int field(byte[] b, int n, int from, int to, byte[][] fields) {
    int j = to + 1;
    while (j < n && (b[j] == ' ' || b[j] == '\t')) {
      j++;
    }
    if (j >= n || b[j] != ':') {
      return -1;
    }
    for (int f = 0; f < fields.length; f++) {
      byte[] name = fields[f];
      if (name.length == to - from && java.util.Arrays.equals(b, from, to, name, 0, name.length)) {
        return f;
      }
    }
    return -1;
  }

  /** True when the line holds nothing but spaces, tabs, form feeds and carriage returns. */
  static boolean blank(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\f') {
        return false;
      }
    }
    return true;
  }

  /**
   * Keys matched to field names by their letters and digits, case ignored: a producer that writes
   * {@code requestId} or {@code REQUEST_ID} means {@code request_id}. Asked only of lines whose
   * object lacks a field (a few), so the usual line pays nothing.
   */
  static final class LooseKeys {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final Map<String, String> byLoose = new java.util.HashMap<>();

    LooseKeys(String[] fields) {
      for (String f : fields) {
        byLoose.put(loose(f), f);
      }
    }

    static String loose(String key) {
      StringBuilder b = new StringBuilder(key.length());
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (Character.isLetterOrDigit(c)) {
          b.append(Character.toLowerCase(c));
        }
      }
      return b.toString();
    }

    /**
     * The line with each top-level key that stands for a field it does not spell renamed to that
     * field, or null when there is none to rename, the line is no JSON object, or two keys would
     * become one field (which of them is meant is unknown: the line reads as it is).
     */
    Text rename(Text text) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.getLength());
      try (JsonParser in =
              FACTORY.createParser(
                  new java.io.ByteArrayInputStream(text.getBytes(), 0, text.getLength()));
          var gen = FACTORY.createGenerator(out)) {
        if (in.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
          return null;
        }
        Set<String> fields = new java.util.HashSet<>();
        boolean renamed = false;
        gen.writeStartObject();
        while (in.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          String key = in.currentName();
          String field = byLoose.get(loose(key));
          if (field != null && !fields.add(field)) {
            return null; // two keys for one field (or the field beside another spelling)
          }
          renamed |= field != null && !field.equals(key);
          gen.writeFieldName(field != null ? field : key);
          in.nextToken();
          gen.copyCurrentStructure(in);
        }
        if (!renamed || in.currentToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
          return null;
        }
        gen.writeEndObject();
      } catch (IOException | RuntimeException e) {
        return null;
      }
      return new Text(out.toByteArray());
    }
  }

  private static UTF8String utf8(Text text) {
    return UTF8String.fromBytes(text.getBytes(), 0, text.getLength());
  }
}
