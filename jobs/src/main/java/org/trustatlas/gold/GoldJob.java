package org.trustatlas.gold;

import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;

/** silver → the three gold tables and the report. */
public final class GoldJob implements Step {
  public static final String STEP = "gold";

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {}
}
