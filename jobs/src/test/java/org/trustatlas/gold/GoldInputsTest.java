package org.trustatlas.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

/** Gold's inputs held by the driver: a few rows fold into plans, many stay an RDD. */
@ExtendWith(SparkTestSession.class)
class GoldInputsTest {

  private static List<String> rendered(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void fewRowsAreALocalRelationAndManyAreNot() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> many =
        spark.range(GoldJob.FOLDED_ROWS_MAX + 1).selectExpr("id", "CAST(id AS DOUBLE) / 7 AS v");
    Dataset<Row> few = many.where("id < 10");

    Dataset<Row> heldMany = GoldJob.local(many);
    Dataset<Row> heldFew = GoldJob.local(few);

    assertThat(heldFew.queryExecution().analyzed()).isInstanceOf(LocalRelation.class);
    assertThat(heldMany.queryExecution().analyzed()).isNotInstanceOf(LocalRelation.class);
    assertThat(rendered(heldMany)).isEqualTo(rendered(many)).hasSize(GoldJob.FOLDED_ROWS_MAX + 1);
    assertThat(rendered(heldFew)).isEqualTo(rendered(few));
  }
}
