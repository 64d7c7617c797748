package org.trustatlas.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: s3proxy's {@code jar-with-dependencies} (fetched by the
 * build to {@code target/s3proxy/s3proxy.jar}) in its own JVM on 127.0.0.1 and a free port, storing
 * objects as plain files under a folder ({@code filesystem-nio2}). {@link #close()} stops it.
 */
public final class S3ProxyServer implements AutoCloseable {
  private final Process process;
  private final String endpoint;
  private final String accessKey;
  private final String secretKey;
  private final Path dataDir;
  private final Path log;

  private S3ProxyServer(
      Process process,
      String endpoint,
      String accessKey,
      String secretKey,
      Path dataDir,
      Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * Starts the server under {@code dir} (config, log and object data) and waits until it serves.
   */
  public static S3ProxyServer start(Path dir, String accessKey, String secretKey)
      throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "s3proxy jar missing at " + jar + ": run through `mvn verify` (pre-integration-test)");
    }
    int port = freePort();
    String endpoint = "http://127.0.0.1:" + port;
    Path data = Files.createDirectories(dir.resolve("data").toAbsolutePath());
    Path conf = dir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + accessKey,
            "s3proxy.credential=" + secretKey,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data,
            ""));
    Path log = dir.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java, "-Xmx512m", "-jar", jar.toString(), "--properties", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(p, endpoint, accessKey, secretKey, data, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException("s3proxy not listening on " + endpoint + " after 60 s");
        }
        Thread.sleep(50);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public String endpoint() {
    return endpoint;
  }

  /** The folder holding the objects, one sub-folder per bucket. */
  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Uploads every file under {@code dir} to {@code s3://bucket/prefix/<relative path>}. */
  public int upload(Path dir, String bucket, String prefix) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (S3Client s3 = client()) {
      for (Path f : files) {
        String key = prefix + "/" + dir.relativize(f).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f));
      }
    }
    return files.size();
  }

  /** Keys under {@code prefix} in {@code bucket}. */
  public List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    try (S3Client s3 = client()) {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        keys.add(o.key());
      }
    }
    return keys;
  }

  public byte[] get(String bucket, String key) {
    try (S3Client s3 = client()) {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
  }

  /** Stops the server and waits for its JVM to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
