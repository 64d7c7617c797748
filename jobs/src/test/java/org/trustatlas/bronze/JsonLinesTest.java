package org.trustatlas.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

/**
 * The JSON-lines source against what it replaces: Spark's text source numbered by position and
 * {@code from_json(value, schema, PERMISSIVE)}, byte for byte, over lines built to part them —
 * blank and cut lines, values of other types, repeated and differently cased keys, non-ASCII text,
 * invalid UTF-8, NUL bytes, escapes, surrogates, single quotes, comments, trailing text, a byte
 * order mark, CR and CRLF line ends — in a plain file and a gzip file.
 */
@ExtendWith(SparkTestSession.class)
class JsonLinesTest {
  static SparkSession spark;
  static Path dir;
  static final String OK =
      "{\"request_id\":\"r1\",\"ts\":\"2025-04-19T10:00:00Z\",\"model_id\":\"org/m\","
          + "\"file\":\"model.safetensors\",\"client_ip\":\"10.1.2.3\",\"country_code\":\"VN\","
          + "\"user_agent\":\"curl/8.4.0\"}";

  /** The lines, each as bytes; joined by LF unless a line carries its own end. */
  static List<byte[]> lines() {
    List<byte[]> l = new ArrayList<>();
    // A UTF-8 byte order mark before the first line (Hadoop's line reader drops it).
    l.add(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(OK)));
    for (String s :
        List.of(
            OK,
            "",
            "   \t ",
            "{\"request_id\":\"r2\",\"ts\":\"2025-04-1",
            "{\"request_id\":123,\"ts\":1.50e3,\"model_id\":true,\"file\":null,"
                + "\"client_ip\":{\"a\":[1,2.0,\"x\"]},\"country_code\":[1,\"x\"],"
                + "\"user_agent\":-0.0}",
            "{\"request_id\":\"a\",\"request_id\":\"b\",\"ts\":\"t\"}",
            "{\"request_id\":\"r3\",\"country_code\":\"Việt Nam\",\"user_agent\":\"ü 😀\"}",
            "{\"REQUEST_ID\":\"r4\",\"Request_Id\":\"x\",\"model_id\":\"m\"}",
            "{'request_id':'r5','model_id':\"m\"}",
            "{\"request_id\":\"r6\"} trailing }",
            "[{\"request_id\":\"r7\"}]",
            "{\"request_id\":\"r\\u00e9\\n\\\"q\\\"\\/\",\"ts\":\"\\ud83d\\ude00\",\"file\":\"\\ud800\"}",
            "{\"request_id\":\"r8\",\"extra\":{\"x\":[{\"y\":1}]},\"ts\":\"t\"}",
            "  {\"request_id\":\"r9\"}  ",
            "{}",
            "null",
            "\"just a string\"",
            "123",
            "{\"request_id\":NaN,\"ts\":Infinity,\"model_id\":007}",
            "{\"request_id\":\"r10\"/* a comment */}",
            "{request_id:\"r11\"}",
            "{\"request_id\":\"r12\",\"user_agent\":\"" + "x".repeat(100_000) + "\"}",
            "{\"request_id\":\"r13\",\"model_id\":\"tab\there\"}",
            "{\"request_id\":\"r14\",\"model_id\":\"m\",}")) {
      l.add(utf8(s));
    }
    // Invalid UTF-8 inside a value, a lone continuation byte, and NUL bytes.
    l.add(
        concat(
            utf8("{\"request_id\":\"r15\",\"user_agent\":\""),
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            utf8("\"}")));
    l.add(
        concat(
            utf8("{\"request_id\":\"r16\",\"model_id\":\"a"),
            new byte[] {(byte) 0x80},
            utf8("b\"}")));
    l.add(concat(utf8("{\"request_id\":\"r17\",\"model_id\":\"a"), new byte[] {0}, utf8("b\"}")));
    l.add(concat(utf8("{"), new byte[] {0}, utf8("\"request_id\":\"r18\"}")));
    // Line ends of other kinds: CRLF, a lone CR, and a last line without an end.
    l.add(utf8("{\"request_id\":\"r19\"}\r"));
    l.add(utf8("{\"request_id\":\"r20\"}\r\r\n{\"request_id\":\"r21\"}"));
    return l;
  }

  @BeforeAll
  static void write() throws IOException {
    spark = SparkTestSession.get();
    dir = SparkTestSession.tmp("json-lines");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<byte[]> lines = lines();
    for (int i = 0; i < lines.size(); i++) {
      all.write(lines.get(i));
      if (i < lines.size() - 1) {
        all.write('\n');
      }
    }
    Files.write(dir.resolve("plain.jsonl"), all.toByteArray());
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed.jsonl.gz")))) {
      gz.write(all.toByteArray());
    }
  }

  /** What the landing read before: the text source, numbered by position, and from_json. */
  static Dataset<Row> reference(String file) {
    return spark
        .read()
        .text(file)
        .select(
            functions.expr("(monotonically_increasing_id() & 8589934591) + 1").as("line"),
            functions.col("value"),
            functions
                .from_json(
                    functions.col("value"),
                    UsageBronzeJob.DOWNLOAD_JSON,
                    java.util.Map.of("mode", "PERMISSIVE"))
                .as("j"));
  }

  static Dataset<Row> source(String file) {
    return spark
        .read()
        .format(JsonLines.FORMAT)
        .option("path", file)
        .option("schema", UsageBronzeJob.DOWNLOAD_JSON.toDDL())
        .load();
  }

  /** Every value as the hex of its bytes, so invalid UTF-8 is compared as it is. */
  static List<Row> bytes(Dataset<Row> d) {
    List<String> cols = new ArrayList<>(List.of("line", "hex(CAST(value AS BINARY))", "j IS NULL"));
    for (String f : UsageBronzeJob.DOWNLOAD_JSON.fieldNames()) {
      cols.add("hex(CAST(j." + f + " AS BINARY))");
    }
    return d.selectExpr(cols.toArray(String[]::new)).orderBy("line").collectAsList();
  }

  @Test
  void everyLineReadsAsTheTextSourceAndFromJsonReadIt() {
    for (String name : List.of("plain.jsonl", "packed.jsonl.gz")) {
      String file = dir.resolve(name).toString();
      List<Row> got = bytes(source(file));
      assertThat(got).as(name).isEqualTo(bytes(reference(file)));
      // Not two empty lists: every line is there, and the parsed values are the expected ones.
      assertThat(got).as(name).hasSize(lines().size() + 2);
      List<Row> rows = source(file).orderBy("line").collectAsList();
      assertThat(rows.get(0).getStruct(2).getString(0)).isEqualTo("r1");
      assertThat(rows.get(2).isNullAt(2)).as("blank line").isTrue();
      assertThat(rows.get(7).getStruct(2).getString(5)).isEqualTo("Việt Nam");
      assertThat(rows.get(4).getStruct(2).getString(0)).as("a cut line").isNull();
      assertThat(rows.get(5).getStruct(2).getString(0)).as("a number as text").isEqualTo("123");
      assertThat(rows.get(rows.size() - 1).getLong(0)).isEqualTo(lines().size() + 2);
      assertThat(rows.get(rows.size() - 1).getStruct(2).getString(0)).isEqualTo("r21");
    }
  }

  @Test
  void looseKeysReadOtherSpellingsOfAFieldAndBlankLinesAreTold() throws IOException {
    Path f = dir.resolve("loose.jsonl");
    Files.writeString(
        f,
        String.join(
            "\n",
            "{\"Request_Id\":\"r1\",\"modelId\":\"m\",\"COUNTRY-CODE\":\"VN\",\"ts\":1.5}",
            " \t\r",
            "{\"REQUEST_ID\":\"a\",\"Request_Id\":\"b\",\"model_id\":\"m\"}",
            "{\"request_id\":\"r3\",\"RequestId\":\"x\"}",
            "",
            "{\"requestid\":\"r5\",\"user agent\":\"curl/8\",\"other\":{\"Model_Id\":\"n\"}}",
            "{\"Request_Id\":\"r6\""));
    List<Row> rows =
        spark
            .read()
            .format(JsonLines.FORMAT)
            .option("path", f.toString())
            .option("schema", UsageBronzeJob.DOWNLOAD_JSON.toDDL())
            .option("looseKeys", "true")
            .load()
            .selectExpr(
                "line",
                "j.request_id",
                "j.model_id",
                "j.country_code",
                "j.user_agent",
                "j.ts",
                "blank")
            .orderBy("line")
            .collectAsList();
    assertThat(rows)
        .extracting(Row::toString)
        .containsExactly(
            "[1,r1,m,VN,null,1.5,false]",
            "[2,null,null,null,null,null,true]",
            // Two keys for one field: which is meant is unknown, so neither is taken.
            "[3,null,m,null,null,null,false]",
            // The field's own spelling wins over another.
            "[4,r3,null,null,null,null,false]",
            "[5,null,null,null,null,null,true]",
            // Nested keys are not fields.
            "[6,r5,null,null,curl/8,null,false]",
            // A cut line stays unread.
            "[7,null,null,null,null,null,false]");
    // Without the option, keys are matched as from_json matches them.
    assertThat(source(f.toString()).where("line = 1").selectExpr("j.request_id").head().isNullAt(0))
        .isTrue();
  }

  private static boolean joined(String line) {
    return (JsonLines.shape(utf8(line), utf8(line).length, new byte[0][]) & JsonLines.JOINED) != 0;
  }

  @Test
  void joinedObjectsAreFoundOutsideStringsOnly() {
    for (String line :
        List.of(
            "{\"a\":\"x\"}{\"b\":1}",
            "{\"a\":1} , {\"b\":2}",
            "{\"ua\":\"q\\\"} {\\\"\"}{\"b\":1}")) {
      assertThat(joined(line)).as(line).isTrue();
    }
    for (String line :
        List.of(
            "{\"ua\":\"Mozilla} {\"}",
            "{\"ua\":\"a\\\"} {\\\"b\"}",
            "{\"ua\":\"x}{y\"}",
            "{\"ua\":\"\\\\\"}")) {
      assertThat(joined(line)).as(line).isFalse();
    }
  }

  @Test
  void aFieldGivenTwiceIsTold() throws IOException {
    Path f = dir.resolve("twice.jsonl");
    Files.writeString(
        f,
        String.join(
            "\n",
            "{\"request_id\":\"r1\",\"model_id\":\"a\",\"model_id\":\"b\"}",
            "{\"request_id\":\"r2\", \"ts\" : \"t\",\"country_code\":\"VN\",\"ts\":\"u\"}",
            // Not twice: nested keys, values that spell a key, unknown keys, a key in a string.
            "{\"request_id\":\"r3\",\"extra\":{\"model_id\":\"x\"},\"model_id\":\"a\"}",
            "{\"request_id\":\"r4\",\"model_id\":\"model_id\",\"file\":\"model_id\"}",
            "{\"request_id\":\"r5\",\"x\":1,\"x\":2}",
            "{\"request_id\":\"r6\",\"user_agent\":\"\\\"model_id\\\":\",\"model_id\":\"a\"}",
            "{\"request_id\":\"r7\",\"l\":[{\"model_id\":1},{\"model_id\":2}],\"model_id\":\"a\"}"));
    assertThat(
            source(f.toString())
                .selectExpr("line", "j.request_id", "twice")
                .orderBy("line")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly(
            "[1,r1,true]",
            "[2,r2,true]",
            "[3,r3,false]",
            "[4,r4,false]",
            "[5,r5,false]",
            "[6,r6,false]",
            "[7,r7,false]");
  }

  @Test
  void lineNumbersAreExactWhenSparkWouldSplitTheFile() throws IOException {
    Path big = dir.resolve("big.jsonl");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      b.append("{\"request_id\":\"id-").append(i).append("\"}\n");
    }
    Files.writeString(big, b.toString());
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
    try {
      assertThat(spark.read().text(big.toString()).rdd().getNumPartitions())
          .as("the text source splits the file")
          .isGreaterThan(1);
      List<Row> rows = source(big.toString()).selectExpr("line", "j.request_id").collectAsList();
      assertThat(rows).hasSize(5000);
      for (Row r : rows) {
        assertThat(r.getString(1)).isEqualTo("id-" + r.getLong(0));
      }
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
