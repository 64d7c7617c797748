package org.trustatlas.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelIdsTest {
  private final ModelIds ids =
      ModelIds.of(
          List.of(
              "meta-llama/Llama-3.1-8B",
              "gpt2",
              "org/Twin",
              "org/twin",
              "Qwen/Qwen2.5-7B-Instruct"));

  @Test
  void spellingsOfOneHubIdMatchIt() {
    for (String s :
        List.of(
            "meta-llama/Llama-3.1-8B",
            "META-LLAMA/llama-3.1-8b",
            " meta-llama/Llama-3.1-8B\t",
            "\u00a0meta-llama/Llama-3.1-8B\u00a0",
            "meta-llama/Llama-3.1-8B@main",
            "meta-llama/Llama-3.1-8B@0e9e39f249a16976918f6564b8830bc894c89659",
            "meta-llama/Llama-3.1-8B/",
            "https://huggingface.co/meta-llama/Llama-3.1-8B",
            "http://www.huggingface.co/meta-llama/Llama-3.1-8B/tree/main",
            "huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json",
            "https://hf.co/meta-llama/Llama-3.1-8B",
            "HF://meta-llama/Llama-3.1-8B",
            "https://huggingface.co/models/meta-llama/Llama-3.1-8B")) {
      assertThat(ids.canonical(s)).as(s).isEqualTo("meta-llama/Llama-3.1-8B");
    }
    assertThat(ids.canonical("GPT2")).isEqualTo("gpt2");
  }

  @Test
  void nothingElseIsGuessed() {
    for (String s :
        List.of(
            "meta-llama/Llama-3.1-70B",
            "meta-llama/Llama-3.1-8B-Instruct",
            "Llama-3.1-8B",
            "meta-llama/Llama 3.1 8B",
            "meta-llama/Llama-3.1-8B:q4",
            "https://example.com/meta-llama/Llama-3.1-8B",
            "https://huggingface.co/datasets/meta-llama/Llama-3.1-8B",
            "",
            "   ")) {
      assertThat(ids.canonical(s)).as(s).isNull();
    }
    assertThat(ids.canonical(null)).isNull();
  }

  @Test
  void registryIdsThatDifferOnlyInCaseMatchOnlyThemselves() {
    assertThat(ids.canonical("org/Twin")).isEqualTo("org/Twin");
    assertThat(ids.canonical("org/twin")).isEqualTo("org/twin");
    assertThat(ids.canonical("ORG/TWIN")).isNull();
    assertThat(ids.canonical(" org/Twin ")).isNull();
  }
}
