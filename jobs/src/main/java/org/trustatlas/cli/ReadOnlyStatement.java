package org.trustatlas.cli;

import java.security.CodeSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.ExecutableDuringAnalysis;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.execution.command.ExplainCommand;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides from the parsed plan whether a statement only reads, before Spark runs it ({@code
 * spark.sql} runs commands eagerly). An allow-list: a query made only of Spark's own relational
 * operators, or one of a few read-only commands.
 *
 * <p>Why not "no {@link Command} node": Delta's {@code RESTORE} parses to a plain node that becomes
 * a command only during analysis, and {@code INSERT … SELECT} / {@code INSERT OVERWRITE DIRECTORY}
 * parse to statements that are not commands either. A query's nodes must therefore come from
 * Spark's catalyst jar (an extension's node, such as Delta's, is refused) and be none of those.
 */
final class ReadOnlyStatement {
  /**
   * Commands that only read metadata or history: DESCRIBE, SHOW, Delta's DESCRIBE HISTORY/DETAIL.
   */
  private static final Set<String> READ_COMMANDS =
      Set.of(
          "org.apache.spark.sql.catalyst.plans.logical.DescribeRelation",
          "org.apache.spark.sql.catalyst.plans.logical.DescribeColumn",
          "org.apache.spark.sql.catalyst.plans.logical.DescribeFunction",
          "org.apache.spark.sql.catalyst.plans.logical.ShowTables",
          "org.apache.spark.sql.catalyst.plans.logical.ShowViews",
          "org.apache.spark.sql.catalyst.plans.logical.ShowColumns",
          "org.apache.spark.sql.catalyst.plans.logical.ShowFunctions",
          "org.apache.spark.sql.catalyst.plans.logical.ShowTableProperties",
          "org.apache.spark.sql.catalyst.plans.logical.ShowCreateTable",
          "org.apache.spark.sql.execution.command.ShowNamespacesCommand",
          "org.apache.spark.sql.delta.commands.DescribeDeltaHistory",
          "org.apache.spark.sql.delta.commands.DescribeDeltaDetailCommand");

  private static final CodeSource CATALYST = codeSource(LogicalPlan.class);

  private ReadOnlyStatement() {}

  /** Empty when {@code plan} only reads, else the name of the first node that does not. */
  static Optional<String> refusal(LogicalPlan plan) {
    String name = plan.getClass().getName();
    if (READ_COMMANDS.contains(name)) {
      return Optional.empty();
    }
    if (plan instanceof ExplainCommand explain) {
      // EXPLAIN plans without running, but EXPLAIN of a write is no analyst's read either.
      return refusal(explain.logicalPlan());
    }
    return firstWrite(plan);
  }

  private static Optional<String> firstWrite(LogicalPlan node) {
    if (!isQueryOperator(node)) {
      return Optional.of(node.getClass().getSimpleName().replace("$", ""));
    }
    // children, CTE definitions (inner children of WITH) and subqueries in expressions
    for (LogicalPlan child : CollectionConverters.asJava(node.children())) {
      Optional<String> r = firstWrite(child);
      if (r.isPresent()) {
        return r;
      }
    }
    for (Object inner : CollectionConverters.asJava(node.innerChildren())) {
      if (inner instanceof LogicalPlan p) {
        Optional<String> r = firstWrite(p);
        if (r.isPresent()) {
          return r;
        }
      }
    }
    for (LogicalPlan sub : CollectionConverters.asJava(node.subqueries())) {
      Optional<String> r = firstWrite(sub);
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private static boolean isQueryOperator(LogicalPlan node) {
    return !(node instanceof Command)
        && !(node instanceof ParsedStatement) // INSERT INTO/OVERWRITE … SELECT
        && !(node instanceof InsertIntoDir) // INSERT OVERWRITE [LOCAL] DIRECTORY
        && !(node instanceof ExecutableDuringAnalysis) // CALL
        // Delta's RESTORE; also caught below unless Delta and Spark share one jar
        && !node.getClass().getName().endsWith(".RestoreTableStatement")
        && node.getClass().getName().startsWith("org.apache.spark.sql.catalyst.")
        && Objects.equals(codeSource(node.getClass()), CATALYST);
  }

  private static CodeSource codeSource(Class<?> c) {
    return c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
  }
}
