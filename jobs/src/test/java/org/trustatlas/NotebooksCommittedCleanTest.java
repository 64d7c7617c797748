package org.trustatlas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The analyst notebooks are committed without outputs; notebooks/run writes those to target/. */
class NotebooksCommittedCleanTest {

  @Test
  void committedNotebooksHaveNoOutputsOrExecutionCounts() throws IOException {
    List<Path> notebooks = notebooks();
    assertThat(notebooks.stream().map(p -> p.getFileName().toString()))
        .as("numbered notebooks in notebooks/")
        .filteredOn(n -> n.matches("\\d\\d-.*\\.ipynb"))
        .hasSizeGreaterThanOrEqualTo(5);

    ObjectMapper json = new ObjectMapper();
    List<String> dirty = new ArrayList<>();
    for (Path nb : notebooks) {
      JsonNode cells = json.readTree(nb.toFile()).path("cells");
      for (int i = 0; i < cells.size(); i++) {
        JsonNode cell = cells.get(i);
        if (!"code".equals(cell.path("cell_type").asText())) {
          continue;
        }
        if (cell.path("outputs").size() > 0) {
          dirty.add(nb.getFileName() + " cell " + i + ": outputs");
        }
        if (cell.hasNonNull("execution_count")) {
          dirty.add(nb.getFileName() + " cell " + i + ": execution_count");
        }
      }
    }
    assertThat(dirty)
        .as("clear them: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb")
        .isEmpty();
  }

  private static List<Path> notebooks() throws IOException {
    String root = System.getProperty("atlas.repo.root", "..");
    Path dir = Path.of(root, "notebooks");
    assertThat(dir).isDirectory();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
  }
}
