package org.trustatlas.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version stamped into ops.runs and the manifest. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/trust-atlas-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev") + " (" + p.getProperty("built", "?") + ")";
    } catch (IOException e) {
      return "dev";
    }
  }
}
