package org.trustatlas.cli;

import java.util.ArrayList;
import java.util.List;
import org.trustatlas.bronze.SurveyBronzeJob;
import org.trustatlas.bronze.UsageBronzeJob;
import org.trustatlas.gold.GoldJob;
import org.trustatlas.run.Step;
import org.trustatlas.silver.CountriesJob;
import org.trustatlas.silver.MeasuresJob;
import org.trustatlas.silver.ModelsJob;
import org.trustatlas.silver.UsageSilverJob;

/** The steps of each layer, in order; {@code nightly} runs all three. */
final class Layers {
  private Layers() {}

  static List<Step> bronze() {
    return List.of(new SurveyBronzeJob(), new UsageBronzeJob());
  }

  static List<Step> silver() {
    return List.of(new CountriesJob(), new ModelsJob(), new MeasuresJob(), new UsageSilverJob());
  }

  static List<Step> gold() {
    return List.of(new GoldJob());
  }

  static List<Step> all() {
    List<Step> steps = new ArrayList<>(bronze());
    steps.addAll(silver());
    steps.addAll(gold());
    return steps;
  }
}
