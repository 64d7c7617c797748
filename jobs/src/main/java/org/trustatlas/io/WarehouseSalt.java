package org.trustatlas.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The salt of a warehouse whose configuration names none: 32 random bytes, made by its first
 * landing and kept in {@code _secrets/salt} under the warehouse root (owner-only where the file
 * system has permissions), so client hashes are stable from run to run. An empty salt would make
 * every hashed IPv4 address reversible by hashing the 2^32 candidates.
 */
public final class WarehouseSalt {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseSalt.class);

  /** Where a warehouse keeps its own salt, under its root. */
  public static final String PATH = "_secrets/salt";

  private WarehouseSalt() {}

  /** The configured salt, or else the warehouse's own (made now if it has none yet). */
  public static String resolve(SparkSession spark, String configured, String warehouseRoot) {
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    Path p = new Path(InputFiles.join(warehouseRoot, PATH));
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try (var out = fs.create(p, false)) {
          out.write(HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException raced) {
          // another process made it first: its salt is the one read below
        }
        try {
          fs.setPermission(p, new FsPermission((short) 0600));
          fs.setPermission(p.getParent(), new FsPermission((short) 0700));
        } catch (IOException | UnsupportedOperationException noPermissions) {
          // object stores have no permissions: protect the prefix with the store's policies
        }
        LOG.warn(
            "no salt configured (environment variable named by privacy.salt_env, default"
                + " ATLAS_SALT): client hashes use a random salt made for this warehouse, {};"
                + " keep it from the warehouse's readers, or set ATLAS_SALT",
            p);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (var in = fs.open(p)) {
        in.transferTo(bytes);
      }
      String salt = bytes.toString(StandardCharsets.US_ASCII).strip();
      if (salt.isEmpty()) {
        throw new IllegalStateException(
            p + " is empty: delete it and run again, or set ATLAS_SALT");
      }
      return salt;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or make " + p + ": " + e.getMessage(), e);
    }
  }
}
