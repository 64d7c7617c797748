package org.trustatlas.generate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet footer byte-stable across JVM runs. parquet-mr lists each column chunk's
 * encodings from a {@code HashSet} of enums, whose order follows identity hash codes and so changes
 * from one JVM to the next; this rewrites the footer with the encodings sorted (same length, same
 * content, fixed order).
 */
final class ParquetFooter {
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private ParquetFooter() {}

  static void canonicalize(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, tail, size - 8);
      int length = tail.getInt(0);
      for (int i = 0; i < 4; i++) {
        if (tail.get(4 + i) != MAGIC[i]) {
          throw new IOException(file + ": not a Parquet file (no PAR1 trailer)");
        }
      }
      long start = size - 8 - length;
      ByteBuffer footer = ByteBuffer.allocate(length);
      readFully(ch, footer, start);
      FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
      for (RowGroup rg : meta.getRow_groups()) {
        for (ColumnChunk cc : rg.getColumns()) {
          if (cc.isSetMeta_data() && cc.getMeta_data().getEncodings() != null) {
            List<Encoding> sorted = new ArrayList<>(cc.getMeta_data().getEncodings());
            sorted.sort(Comparator.comparingInt(Encoding::getValue));
            cc.getMeta_data().setEncodings(sorted);
          }
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(length);
      Util.writeFileMetaData(meta, out);
      if (out.size() != length) {
        throw new IOException(file + ": canonical footer changed length; file left as written");
      }
      ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
      long pos = start;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
