package org.trustatlas.silver;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.trustatlas.contract.Tables;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/** The committed country reference data (reference/countries.csv) as silver.countries. */
public final class CountriesJob implements Step {
  public static final String STEP = "silver.countries";

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {
    List<Row> rows = new ArrayList<>();
    for (CountryResolver.Country c : CountryResolver.load(false).countries()) {
      rows.add(
          RowFactory.create(
              c.iso3(),
              c.iso2(),
              c.numeric(),
              c.shortName(),
              c.formalName(),
              c.region(),
              c.incomeGroup(),
              developing(c.incomeGroup()),
              c.population(),
              c.populationYear(),
              c.internetUsers(),
              c.internetUsersYear(),
              c.source()));
    }
    var df = ctx.spark().createDataFrame(rows, Tables.COUNTRIES.schema());
    ctx.outputVersion(
        Tables.COUNTRIES.name(), ctx.warehouse().overwrite(Tables.COUNTRIES, df).version());
    ctx.count(new StepCount(STEP, "reference/countries.csv", rows.size(), rows.size(), 0));
  }

  /** Developing = low or middle income; unknown when the World Bank does not classify it. */
  static Boolean developing(String incomeGroup) {
    return incomeGroup == null ? null : !incomeGroup.equals("High income");
  }
}
