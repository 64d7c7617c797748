package org.trustatlas.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Lists and reads input files through Hadoop's file systems, so local paths and s3a:// both work.
 */
public final class InputFiles {
  private final Configuration conf;

  public InputFiles(SparkSession spark) {
    this.conf = spark.sparkContext().hadoopConfiguration();
  }

  public static String join(String root, String child) {
    return (root.endsWith("/") ? root : root + "/") + child;
  }

  public boolean exists(String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Size of a file in bytes. */
  public long size(String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).getFileStatus(p).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sub-folders of {@code dir}, sorted by name; empty when the folder does not exist. */
  public List<String> folders(String dir) {
    return list(dir, true);
  }

  /** Files directly in {@code dir}, sorted by name; hidden and _-prefixed files are skipped. */
  public List<String> files(String dir) {
    return list(dir, false);
  }

  /** A listed file: its path and when it was last written (epoch milliseconds). */
  public record Listed(String path, long modified) {}

  /**
   * Files anywhere under {@code dir}, sorted, in one recursive listing (on S3 one paginated
   * listing, not one per folder); names starting with {@code .} or {@code _} are skipped, with
   * everything under a folder so named. Empty when the folder does not exist.
   */
  public List<Listed> filesUnder(String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      List<Listed> out = new ArrayList<>();
      if (!fs.exists(p)) {
        return out;
      }
      String root = fs.getFileStatus(p).getPath().toString();
      var it = fs.listFiles(p, true);
      while (it.hasNext()) {
        FileStatus s = it.next();
        String path = s.getPath().toString();
        String below = path.startsWith(root) ? path.substring(root.length()) : path;
        if (!below.contains("/.") && !below.contains("/_")) {
          out.add(new Listed(path, s.getModificationTime()));
        }
      }
      out.sort(java.util.Comparator.comparing(Listed::path));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private List<String> list(String dir, boolean folders) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      List<String> out = new ArrayList<>();
      if (!fs.exists(p)) {
        return out;
      }
      for (FileStatus s : fs.listStatus(p)) {
        String name = s.getPath().getName();
        if (s.isDirectory() == folders && !name.startsWith(".") && !name.startsWith("_")) {
          out.add(s.getPath().toString());
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  public byte[] readAll(String path) {
    try {
      Path p = new Path(path);
      try (InputStream in = p.getFileSystem(conf).open(p)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
