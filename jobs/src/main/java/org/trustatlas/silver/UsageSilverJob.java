package org.trustatlas.silver;

import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;

/** bronze usage → silver.usage_daily for the event dates the run touched. */
public final class UsageSilverJob implements Step {
  public static final String STEP = "silver.usage_daily";

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {}
}
