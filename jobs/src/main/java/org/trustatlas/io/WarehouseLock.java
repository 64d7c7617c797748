package org.trustatlas.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time per warehouse: a lock file {@code _locks/run.lock} naming the holder. A
 * second run fails at once with who holds it; a lock left by a killed process on this host (its pid
 * is gone) or older than the timeout is taken over.
 */
public final class WarehouseLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration STALE_AFTER = Duration.ofHours(6);

  private final FileSystem fs;
  private final Path path;
  private final String runId;

  /** Thrown when another live run holds the warehouse. */
  public static final class HeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private WarehouseLock(FileSystem fs, Path path, String runId) {
    this.fs = fs;
    this.path = path;
    this.runId = runId;
  }

  public static WarehouseLock acquire(Configuration conf, String warehouse, String runId) {
    Path path = new Path(warehouse + "/_locks/run.lock");
    try {
      FileSystem fs = path.getFileSystem(conf);
      for (int attempt = 0; attempt < 3; attempt++) {
        if (tryCreate(fs, path, runId)) {
          return new WarehouseLock(fs, path, runId);
        }
        JsonNode holder = read(fs, path);
        if (holder == null) {
          continue; // released between our attempts
        }
        String why = stale(holder);
        if (why == null) {
          throw new HeldException(
              "another run holds the warehouse "
                  + warehouse
                  + ": run "
                  + holder.path("run_id").asText()
                  + " (pid "
                  + holder.path("pid").asText()
                  + " on "
                  + holder.path("host").asText()
                  + ", since "
                  + holder.path("started_at").asText()
                  + "). Wait for it to finish, or delete "
                  + path
                  + " if that run is gone.");
        }
        LOG.warn("taking over the lock of run {}: {}", holder.path("run_id").asText(), why);
        fs.delete(path, false);
      }
      throw new HeldException("could not take the warehouse lock " + path + "; try again");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  private static boolean tryCreate(FileSystem fs, Path path, String runId) throws IOException {
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("run_id", runId);
    me.put("pid", ProcessHandle.current().pid());
    me.put("host", host());
    me.put("started_at", Instant.now().toString());
    byte[] body = JSON.writeValueAsBytes(me);
    if ("file".equals(fs.getUri().getScheme())) {
      // Local disk: an atomic create-if-absent.
      java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(path).toUri());
      java.nio.file.Files.createDirectories(p.getParent());
      try {
        java.nio.file.Files.write(p, body, java.nio.file.StandardOpenOption.CREATE_NEW);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    if (fs.exists(path)) {
      return false;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(body);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static JsonNode read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return JSON.createObjectNode().put("run_id", "?").put("started_at", "1970-01-01T00:00:00Z");
    }
  }

  /** Why the holder is stale, or null when it may still be running. */
  static String stale(JsonNode holder) {
    Instant started;
    try {
      started = Instant.parse(holder.path("started_at").asText());
    } catch (RuntimeException e) {
      return "unreadable lock";
    }
    if (Duration.between(started, Instant.now()).compareTo(STALE_AFTER) > 0) {
      return "older than " + STALE_AFTER.toHours() + " h";
    }
    if (host().equals(holder.path("host").asText())
        && ProcessHandle.of(holder.path("pid").asLong(-1)).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + holder.path("pid").asText() + " is gone";
    }
    return null;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    try {
      JsonNode holder = read(fs, path);
      if (holder != null && runId.equals(holder.path("run_id").asText())) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      LOG.warn("could not release {}: {}", path, e.getMessage());
    }
  }
}
