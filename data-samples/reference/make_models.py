#!/usr/bin/env python3
"""Writes data-samples/reference/models.csv, the sample model registry, and checks its lineage.

A data-making aid, not part of the pipeline. The output is deterministic: no randomness, no
clock; every "pseudo-random" choice (dates of synthetic entries) comes from a SHA-256 of the
model id. Re-running rewrites an identical file.

    python3 data-samples/reference/make_models.py            # write models.csv and validate it
    python3 data-samples/reference/make_models.py --check F  # validate another registry file
    python3 data-samples/reference/make_models.py --expected F
        # print model_id,root_model_id,credit,path for registry F (the reference lineage
        # algorithm used to write jobs/src/test/resources/lineage/registry-small-expected.csv)

Lineage rule (SPEC.md, Definitions "Downloads"): a merge of k parents credits 1/k to each
parent; credits multiply along a chain and add up over paths that reach the same root. The
attribution path of (model, root) is the shortest path from the model to that root; among
shortest paths, the one whose id sequence (model first) is lexicographically smallest, which is
what a breadth-first search visiting parents in ascending id order finds first.
"""
import csv
import datetime as dt
from decimal import Decimal
import hashlib
import io
import os
import sys
from collections import Counter
from fractions import Fraction

HEADER = ["model_id", "family", "developer", "developer_country", "open_weights", "licence",
          "release_date", "base_model", "relation", "parameters_b", "note"]
RELATIONS = {"finetune", "quantized", "adapter", "merge"}

# Owners that are themselves root developers: their country is known, so it is filled in even on
# their derivative repos (official quantizations, the R1 distills). Every other derivative owner's
# country is left empty (unknown); attribution to a root developer is the pipeline's job.
ORG_COUNTRY = {"deepseek-ai": "CHN", "moonshotai": "CHN", "Qwen": "CHN", "meta-llama": "USA",
               "google": "USA", "openai": "USA", "anthropic": "USA", "mistralai": "FRA"}

SYN = "synthetic sample entry"
SYN_REAL_LIKE = "synthetic sample entry (id modelled on a real repo; not verified)"
HF_SEEN = "real HF repo (seen in stored huggingface.co pages)"

rows = []
by_id = {}


def h(text, modulo):
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16) % modulo


def name(model_id):
    return model_id.split("/", 1)[1]


def fmt_params(p):
    if p is None or p == "":
        return ""
    return ("%g" % p)


def root(model_id, family, licence, date, params, note, open_weights=True):
    org = model_id.split("/")[0]
    add_row(model_id, family=family, developer=org, country=ORG_COUNTRY[org],
            open_weights=open_weights, licence=licence, date=date, parents=[], relation="",
            params=params, note=note)
    return model_id


OFFSETS = {"quantized": (0, 7), "finetune": (4, 45), "adapter": (3, 30), "merge": (3, 35)}


def derive(model_id, parents, relation, note=SYN, licence=None, date=None, params="inherit"):
    """A derivative repo. Licence and size come from the first parent unless given; the release
    date, unless given, is a hash-chosen number of days after the latest parent's."""
    if isinstance(parents, str):
        parents = [parents]
    for p in parents:
        if p not in by_id:
            raise SystemExit("parent %s of %s is not defined yet" % (p, model_id))
    ps = [by_id[p] for p in parents]
    if licence is None:
        lic = sorted({p["licence"] for p in ps})
        if len(lic) == 1:
            licence = lic[0]
        else:
            licence = "other"
            note = note + "; parents' licences differ (" + " + ".join(lic) + ")"
    if params == "inherit":
        params = None if relation == "adapter" else ps[0]["parameters_b"]
    latest = max(dt.date.fromisoformat(p["release_date"]) for p in ps)
    if date is None:
        lo, hi = OFFSETS[relation]
        date = (latest + dt.timedelta(days=lo + h(model_id, hi - lo + 1))).isoformat()
    org = model_id.split("/")[0]
    add_row(model_id, family="", developer=org, country=ORG_COUNTRY.get(org, ""),
            open_weights=True, licence=licence, date=date, parents=parents, relation=relation,
            params=params, note=note)
    return model_id


def add_row(model_id, family, developer, country, open_weights, licence, date, parents,
            relation, params, note):
    if model_id in by_id:
        raise SystemExit("duplicate model id " + model_id)
    row = {"model_id": model_id, "family": family, "developer": developer,
           "developer_country": country, "open_weights": "true" if open_weights else "false",
           "licence": licence, "release_date": date, "base_model": ";".join(parents),
           "relation": relation, "parameters_b": params, "note": note}
    rows.append(row)
    by_id[model_id] = row


# ---- quantization helpers (naming follows the usual Hub conventions) -------------------------

def q_gguf(parent, org, suffix="-GGUF", note=SYN, prefix_org=False, **kw):
    base = name(parent)
    if prefix_org:  # bartowski's style since 2025: bartowski/<org>_<name>-GGUF
        base = parent.split("/")[0] + "_" + base
    return derive("%s/%s%s" % (org, base, suffix), parent, "quantized",
                  note=note + "; GGUF quantization", **kw)


def q_mlx(parent, bits, note=SYN, **kw):
    return derive("mlx-community/%s-%s" % (name(parent), bits), parent, "quantized",
                  note=note + "; MLX " + bits, **kw)


def q_fmt(parent, org, suffix, what, note=SYN, **kw):
    return derive("%s/%s-%s" % (org, name(parent), suffix), parent, "quantized",
                  note=note + "; " + what, **kw)


def ft(model_id, parent, what, note=SYN, **kw):
    return derive(model_id, parent, "finetune", note=note + "; " + what, **kw)


def lora(model_id, parent, what, note=SYN, **kw):
    return derive(model_id, parent, "adapter", note=note + "; LoRA adapter, " + what, **kw)


def merge(model_id, parents, what, note=SYN, **kw):
    return derive(model_id, parents, "merge", note=note + "; " + what, **kw)


def build():
    # ============================== roots ======================================================
    official = "real HF id; official release"
    inst_root = official + "; built by the developer on %s; the developer's own release is treated as a root"

    # DeepSeek (CHN)
    V3 = root("deepseek-ai/DeepSeek-V3", "DeepSeek-V3", "deepseek", "2024-12-26", 671,
              official + "; weights under the DeepSeek Model License (LICENSE-MODEL in the repo, code MIT); "
              "671B total / 37B active (HF shows 685B incl. the MTP module)")
    V3B = root("deepseek-ai/DeepSeek-V3-Base", "DeepSeek-V3", "deepseek", "2024-12-26", 671,
               official + "; DeepSeek Model License (LICENSE-MODEL), code MIT")
    V3N = root("deepseek-ai/DeepSeek-V3-0324", "DeepSeek-V3", "mit", "2025-03-24", 671,
               official + "; update of DeepSeek-V3 released under MIT; treated as its own root")
    R1 = root("deepseek-ai/DeepSeek-R1", "DeepSeek-R1", "mit", "2025-01-20", 671,
              official + "; trained from DeepSeek-V3-Base, but the HF card names no base_model: "
              "treated as its own root")
    R1N = root("deepseek-ai/DeepSeek-R1-0528", "DeepSeek-R1", "mit", "2025-05-28", 671,
               official + "; update of DeepSeek-R1; treated as its own root")
    root("deepseek-ai/deepseek-chat", "DeepSeek-V3", "proprietary", "2024-12-26", None,
         "API model id (not a HF repo): DeepSeek's hosted chat endpoint, serving DeepSeek-V3 from "
         "2024-12-26; open_weights=false because API use is not a weight download", open_weights=False)
    root("deepseek-ai/deepseek-reasoner", "DeepSeek-R1", "proprietary", "2025-01-20", None,
         "API model id (not a HF repo): DeepSeek's hosted reasoning endpoint serving DeepSeek-R1; "
         "open_weights=false because API use is not a weight download", open_weights=False)

    # Moonshot AI (CHN)
    KB = root("moonshotai/Kimi-K2-Base", "Kimi-K2", "modified-mit", "2025-07-11", 1000,
              official + "; 1T total / 32B active parameters (MoE)")
    KI = root("moonshotai/Kimi-K2-Instruct", "Kimi-K2", "modified-mit", "2025-07-11", 1000,
              official + "; 1T total / 32B active parameters (MoE)")
    KI9 = root("moonshotai/Kimi-K2-Instruct-0905", "Kimi-K2", "modified-mit", "2025-09-05", 1000,
               official + "; update of Kimi-K2-Instruct; treated as its own root")

    # Alibaba Qwen (CHN)
    Q = {}
    for size, lic in [("0.5B", "apache-2.0"), ("1.5B", "apache-2.0"), ("3B", "qwen-research"),
                      ("7B", "apache-2.0"), ("14B", "apache-2.0"), ("32B", "apache-2.0"),
                      ("72B", "qwen")]:
        mid = "Qwen/Qwen2.5-%s-Instruct" % size
        Q[size + "-Instruct"] = root(mid, "Qwen2.5", lic, "2024-09-19", float(size[:-1]),
                                     inst_root % ("Qwen/Qwen2.5-" + size))
    for size in ["7B", "14B", "32B"]:
        Q[size] = root("Qwen/Qwen2.5-%s" % size, "Qwen2.5", "apache-2.0", "2024-09-19",
                       float(size[:-1]), official + "; pretrained (base) model")
    QM15 = root("Qwen/Qwen2.5-Math-1.5B", "Qwen2.5", "apache-2.0", "2024-09-19", 1.5,
                official + "; Qwen2.5-Math base model")
    QM7 = root("Qwen/Qwen2.5-Math-7B", "Qwen2.5", "apache-2.0", "2024-09-19", 7,
               official + "; Qwen2.5-Math base model")
    QC7 = root("Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen2.5", "apache-2.0", "2024-09-19", 7,
               inst_root % "Qwen/Qwen2.5-Coder-7B")
    QC32 = root("Qwen/Qwen2.5-Coder-32B-Instruct", "Qwen2.5", "apache-2.0", "2024-11-12", 32,
                inst_root % "Qwen/Qwen2.5-Coder-32B")
    QwQP = root("Qwen/QwQ-32B-Preview", "QwQ", "apache-2.0", "2024-11-28", 32,
                inst_root % "Qwen/Qwen2.5-32B-Instruct")
    QwQ = root("Qwen/QwQ-32B", "QwQ", "apache-2.0", "2025-03-06", 32,
               inst_root % "Qwen/Qwen2.5-32B")
    Q3 = {}
    for size, p in [("0.6B", 0.6), ("1.7B", 1.7), ("4B", 4), ("8B", 8), ("14B", 14), ("32B", 32),
                    ("30B-A3B", 30), ("235B-A22B", 235)]:
        note = official
        if size.endswith("B") and "-" not in size and size not in ("32B",):
            note = inst_root % ("Qwen/Qwen3-%s-Base" % size)
        if "-A" in size:
            note = official + "; MoE, %s active" % size.split("-A")[1]
        Q3[size] = root("Qwen/Qwen3-%s" % size, "Qwen3", "apache-2.0", "2025-04-29", p, note)
    Q3B8 = root("Qwen/Qwen3-8B-Base", "Qwen3", "apache-2.0", "2025-04-29", 8,
                official + "; pretrained (base) model")

    # Meta (USA)
    L3_8 = root("meta-llama/Meta-Llama-3-8B", "Llama-3", "llama3", "2024-04-18", 8,
                official + "; pretrained (base) model")
    L3_8I = root("meta-llama/Meta-Llama-3-8B-Instruct", "Llama-3", "llama3", "2024-04-18", 8,
                 inst_root % "meta-llama/Meta-Llama-3-8B")
    L3_70I = root("meta-llama/Meta-Llama-3-70B-Instruct", "Llama-3", "llama3", "2024-04-18", 70,
                  inst_root % "meta-llama/Meta-Llama-3-70B")
    L31_8 = root("meta-llama/Llama-3.1-8B", "Llama-3.1", "llama3.1", "2024-07-23", 8,
                 official + "; pretrained (base) model; first published as Meta-Llama-3.1-8B")
    L31_8I = root("meta-llama/Llama-3.1-8B-Instruct", "Llama-3.1", "llama3.1", "2024-07-23", 8,
                  inst_root % "meta-llama/Llama-3.1-8B")
    L31_70I = root("meta-llama/Llama-3.1-70B-Instruct", "Llama-3.1", "llama3.1", "2024-07-23", 70,
                   inst_root % "meta-llama/Llama-3.1-70B")
    L31_405I = root("meta-llama/Llama-3.1-405B-Instruct", "Llama-3.1", "llama3.1", "2024-07-23", 405,
                    inst_root % "meta-llama/Llama-3.1-405B")
    L32_1I = root("meta-llama/Llama-3.2-1B-Instruct", "Llama-3.2", "llama3.2", "2024-09-25", 1,
                  inst_root % "meta-llama/Llama-3.2-1B")
    L32_3I = root("meta-llama/Llama-3.2-3B-Instruct", "Llama-3.2", "llama3.2", "2024-09-25", 3,
                  inst_root % "meta-llama/Llama-3.2-3B")
    L32_11V = root("meta-llama/Llama-3.2-11B-Vision-Instruct", "Llama-3.2", "llama3.2", "2024-09-25", 11,
                   inst_root % "meta-llama/Llama-3.2-11B-Vision")
    L33_70I = root("meta-llama/Llama-3.3-70B-Instruct", "Llama-3.3", "llama3.3", "2024-12-06", 70,
                   official + "; instruction-tuned only release")

    # Google (USA)
    G2 = {}
    for size, date in [("2b", "2024-07-31"), ("9b", "2024-06-27"), ("27b", "2024-06-27")]:
        G2[size] = root("google/gemma-2-%s-it" % size, "Gemma-2", "gemma", date, float(size[:-1]),
                        inst_root % ("google/gemma-2-" + size))
    G3 = {}
    for size in ["1b", "4b", "12b", "27b"]:
        G3[size] = root("google/gemma-3-%s-it" % size, "Gemma-3", "gemma", "2025-03-12",
                        float(size[:-1]), inst_root % ("google/gemma-3-%s-pt" % size))

    # OpenAI (USA)
    OSS20 = root("openai/gpt-oss-20b", "gpt-oss", "apache-2.0", "2025-08-05", 21,
                 official + "; MoE, 21B total / 3.6B active")
    OSS120 = root("openai/gpt-oss-120b", "gpt-oss", "apache-2.0", "2025-08-05", 117,
                  official + "; MoE, 117B total / 5.1B active")

    # Mistral AI (FRA)
    M7 = root("mistralai/Mistral-7B-v0.1", "Mistral-7B", "apache-2.0", "2023-09-27", 7,
              official + "; pretrained (base) model")
    M7I2 = root("mistralai/Mistral-7B-Instruct-v0.2", "Mistral-7B", "apache-2.0", "2023-12-11", 7,
                official + "; instruct model")
    M7v3 = root("mistralai/Mistral-7B-v0.3", "Mistral-7B", "apache-2.0", "2024-05-22", 7,
                official + "; pretrained (base) model")
    M7I3 = root("mistralai/Mistral-7B-Instruct-v0.3", "Mistral-7B", "apache-2.0", "2024-05-22", 7,
                inst_root % "mistralai/Mistral-7B-v0.3")
    MX = root("mistralai/Mixtral-8x7B-v0.1", "Mixtral", "apache-2.0", "2023-12-11", 46.7,
              official + "; MoE base model, 46.7B total / 12.9B active")
    MXI = root("mistralai/Mixtral-8x7B-Instruct-v0.1", "Mixtral", "apache-2.0", "2023-12-11", 46.7,
               inst_root % "mistralai/Mixtral-8x7B-v0.1")
    MX22I = root("mistralai/Mixtral-8x22B-Instruct-v0.1", "Mixtral", "apache-2.0", "2024-04-17", 141,
                 official + "; MoE, 141B total / 39B active")
    MSB = root("mistralai/Mistral-Small-24B-Base-2501", "Mistral-Small", "apache-2.0", "2025-01-30", 24,
               official + "; pretrained (base) model")
    MSI = root("mistralai/Mistral-Small-24B-Instruct-2501", "Mistral-Small", "apache-2.0", "2025-01-30", 24,
               inst_root % "mistralai/Mistral-Small-24B-Base-2501")
    MS31 = root("mistralai/Mistral-Small-3.1-24B-Instruct-2503", "Mistral-Small", "apache-2.0",
                "2025-03-17", 24, inst_root % "mistralai/Mistral-Small-3.1-24B-Base-2503")
    MN = root("mistralai/Mistral-Nemo-Instruct-2407", "Mistral-NeMo", "apache-2.0", "2024-07-18", 12,
              official + "; built with NVIDIA, published by Mistral AI")

    # Closed models, for contrast (API ids, not HF repos)
    api = "API model id (not a HF repo); closed weights, for contrast"
    root("openai/gpt-4o", "GPT-4o", "proprietary", "2024-05-13", None, api, open_weights=False)
    root("openai/o1", "o1", "proprietary", "2024-12-05", None, api, open_weights=False)
    root("anthropic/claude-3.5-sonnet", "Claude-3.5", "proprietary", "2024-06-20", None, api,
         open_weights=False)
    root("anthropic/claude-3.7-sonnet", "Claude-3.7", "proprietary", "2025-02-24", None, api,
         open_weights=False)
    root("google/gemini-1.5-pro", "Gemini-1.5", "proprietary", "2024-02-15", None,
         api + "; date of the announcement (limited preview)", open_weights=False)
    root("google/gemini-2.0-flash", "Gemini-2.0", "proprietary", "2024-12-11", None,
         api + "; date of the experimental release", open_weights=False)

    # ============================== DeepSeek-R1 and its tree ===================================
    R1_REAL_Q = ("real HF repo: licence mit and GGUF quantizations of DeepSeek-R1 per its card and unsloth's "
                 "blog of 2025-01-27 (stored copies); release date = that blog post, the repo may be older")
    r1_gguf = derive("unsloth/DeepSeek-R1-GGUF", R1, "quantized", note=R1_REAL_Q, date="2025-01-27")
    derive("ollama-mirror/DeepSeek-R1-UD-IQ1_S", r1_gguf, "quantized",
           note=SYN + "; re-packaged single quant taken from unsloth/DeepSeek-R1-GGUF (a quantization of a quantization)")
    q_gguf(R1, "bartowski", note=SYN_REAL_LIKE)
    q_mlx(R1, "4bit", note=SYN_REAL_LIKE)
    q_mlx(R1, "3bit", note=SYN_REAL_LIKE)
    q_fmt(R1, "cognitivecomputations", "AWQ", "AWQ 4-bit", note=SYN_REAL_LIKE)
    q_fmt(R1, "unsloth", "BF16", "BF16 up-cast of the FP8 weights (format conversion, recorded as quantized)",
          note=SYN_REAL_LIKE)
    r1776 = derive("perplexity-ai/r1-1776", R1, "finetune", date="2025-02-18",
                   note="real HF repo: base_model deepseek-ai/DeepSeek-R1 and licence mit per its card "
                        "(stored copy of the commit adding base_model); post-trained to remove censorship; "
                        "release date from Perplexity's announcement, not verified")
    q_gguf(r1776, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(r1776, "bartowski", prefix_org=False, note=SYN)

    # The six official distills: derivatives of R1 (relation finetune, i.e. distillation).
    distill_note = ("real HF repo (deepseek-ai): distilled from DeepSeek-R1 outputs, recorded as a finetune "
                    "of R1; HF lists %s as its technical base")
    D = {}
    for key, tech, p in [("Qwen-1.5B", "Qwen/Qwen2.5-Math-1.5B", 1.5), ("Qwen-7B", "Qwen/Qwen2.5-Math-7B", 7),
                         ("Qwen-14B", "Qwen/Qwen2.5-14B", 14), ("Qwen-32B", "Qwen/Qwen2.5-32B", 32),
                         ("Llama-8B", "meta-llama/Llama-3.1-8B", 8),
                         ("Llama-70B", "meta-llama/Llama-3.3-70B-Instruct", 70)]:
        D[key] = derive("deepseek-ai/DeepSeek-R1-Distill-" + key, R1, "finetune", note=distill_note % tech,
                        date="2025-01-20", params=p)

    seen_q = HF_SEEN + "; base_model inferred from the repo name; release date approximate"
    # quantizations of the distills
    bart = {}
    for key in D:
        real = key in ("Qwen-1.5B", "Qwen-7B", "Qwen-14B", "Llama-70B")
        bart[key] = q_gguf(D[key], "bartowski", note=seen_q if real else SYN_REAL_LIKE)
        q_gguf(D[key], "unsloth", note=seen_q if key == "Qwen-7B" else SYN_REAL_LIKE)
        q_gguf(D[key], "lmstudio-community", note=seen_q if key == "Qwen-7B" else SYN_REAL_LIKE)
        q_gguf(D[key], "mradermacher", note=SYN)
        q_mlx(D[key], "4bit", note=SYN_REAL_LIKE)
        if key == "Qwen-32B":
            derive("mlx-community/DeepSeek-R1-Distill-Qwen-32B-MLX-8Bit", D[key], "quantized",
                   note=HF_SEEN + ": base_model per its card (converted with mlx-lm 0.21.1); release date approximate",
                   date="2025-01-24")
        else:
            q_mlx(D[key], "8bit", note=SYN_REAL_LIKE)
        q_fmt(D[key], "unsloth", "unsloth-bnb-4bit", "bitsandbytes 4-bit (dynamic)", note=SYN_REAL_LIKE)
        if key in ("Qwen-7B", "Qwen-14B", "Qwen-32B", "Llama-8B", "Llama-70B"):
            q_fmt(D[key], "casperhansen", "AWQ", "AWQ 4-bit", note=SYN)
        if key in ("Qwen-7B", "Qwen-32B", "Llama-8B"):
            q_fmt(D[key], "jakiAJK", "GPTQ-Int4", "GPTQ 4-bit", note=SYN)
    for org, suffix in [("second-state", "-GGUF"), ("tensorblock", "-GGUF"), ("mmnga", "-gguf"),
                        ("neody", "-gguf")]:
        q_gguf(D["Qwen-7B"], org, suffix=suffix, note=seen_q)
    derive("mitulagr2/gguf-sharded-Q4_K_S-DeepSeek-R1-Distill-Qwen-7B", bart["Qwen-7B"], "quantized",
           note=HF_SEEN + ": base_model bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF per its card; sharded GGUF "
                          "(quantization of a quantization); release date approximate")

    # fine-tunes of the distills, each with a quantization or two
    fts = {}

    def ft_with_quants(mid, parent, what, quants, note=SYN, **kw):
        m = ft(mid, parent, what, note=note, **kw)
        fts[mid] = m
        for qk in quants:
            if qk == "mrad":
                q_gguf(m, "mradermacher")
            elif qk == "mrad-i1":
                q_gguf(m, "mradermacher", suffix="-i1-GGUF")
            elif qk == "bart":
                q_gguf(m, "bartowski")
            elif qk == "mlx4":
                q_mlx(m, "4bit")
            elif qk == "awq":
                q_fmt(m, "solidrust", "AWQ", "AWQ 4-bit")
        return m

    dsr = ft_with_quants("agentica-org/DeepScaleR-1.5B-Preview", D["Qwen-1.5B"],
                         "RL fine-tune for math (GRPO)", [],
                         note="real HF repo: base_model deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B and licence mit "
                              "per stored HF pages; release date from the project's announcement, not verified",
                         date="2025-02-10")
    q_gguf(dsr, "bartowski")
    q_mlx(dsr, "8bit")
    ft_with_quants("edge-ai-lab/R1-Distill-Qwen-1.5B-vi-math", D["Qwen-1.5B"], "Vietnamese math SFT", ["mrad"])
    ft_with_quants("user123/r1-qwen1.5b-grpo-gsm8k", D["Qwen-1.5B"], "GRPO on GSM8K", [])
    ft_with_quants("phone-llm/R1-Qwen-1.5B-ondevice-chat", D["Qwen-1.5B"], "chat SFT for phones", ["mlx4"])

    ft_with_quants("huihui-ai/DeepSeek-R1-Distill-Qwen-7B-abliterated-v2", D["Qwen-7B"], "abliterated (refusals removed)",
                   ["mrad", "mrad-i1"], note=SYN_REAL_LIKE)
    vi7 = ft_with_quants("vnu-nlp/R1-Distill-Qwen-7B-Vietnamese-Reasoning", D["Qwen-7B"],
                         "Vietnamese reasoning SFT", ["mrad"])
    yo7 = ft_with_quants("lagos-ai/R1-Qwen-7B-Yoruba-SFT", D["Qwen-7B"], "Yoruba SFT", ["mrad"])
    med7 = ft_with_quants("medreason-lab/R1-Distill-Qwen-7B-Medical", D["Qwen-7B"], "medical reasoning SFT",
                          ["mrad", "mlx4"])
    ft_with_quants("jp-llm-lab/DeepSeek-R1-Distill-Qwen-7B-Japanese", D["Qwen-7B"], "Japanese SFT", ["bart"])
    ft_with_quants("user123/r1-qwen7b-grpo-countdown", D["Qwen-7B"], "GRPO on a countdown task", [])

    dc14 = ft_with_quants("agentica-org/DeepCoder-14B-Preview", D["Qwen-14B"], "RL fine-tune for code",
                          ["bart", "mlx4"], note=SYN_REAL_LIKE, date="2025-04-08")
    abl14 = ft_with_quants("huihui-ai/DeepSeek-R1-Distill-Qwen-14B-abliterated-v2", D["Qwen-14B"],
                           "abliterated (refusals removed)", ["mrad"], note=SYN_REAL_LIKE)
    ft_with_quants("legal-ai-br/R1-Qwen-14B-juridico", D["Qwen-14B"], "Brazilian-Portuguese legal SFT", ["mrad"])
    ft_with_quants("user456/r1-14b-roleplay", D["Qwen-14B"], "role-play SFT", ["mrad-i1"])

    ft_with_quants("huihui-ai/DeepSeek-R1-Distill-Qwen-32B-abliterated", D["Qwen-32B"], "abliterated",
                   ["mrad", "bart"], note=SYN_REAL_LIKE)
    ft_with_quants("cyberagent/DeepSeek-R1-Distill-Qwen-32B-Japanese", D["Qwen-32B"], "Japanese SFT",
                   ["mrad", "mlx4"], note=SYN_REAL_LIKE)
    ft_with_quants("fin-reason/R1-Qwen-32B-finance", D["Qwen-32B"], "finance reasoning SFT", ["awq"])
    ft_with_quants("openlab-id/R1-Qwen-32B-Indonesian", D["Qwen-32B"], "Indonesian SFT", ["mrad"])

    abl8 = ft_with_quants("huihui-ai/DeepSeek-R1-Distill-Llama-8B-abliterated", D["Llama-8B"], "abliterated",
                          ["mrad"], note=SYN_REAL_LIKE)
    ar8 = ft_with_quants("arabic-llm/R1-Distill-Llama-8B-Arabic", D["Llama-8B"], "Arabic SFT", ["mrad"])
    ft_with_quants("indic-ai/R1-Llama-8B-Hindi", D["Llama-8B"], "Hindi SFT", ["mrad", "bart"])
    ft_with_quants("dev-tr/R1-Llama-8B-Turkish", D["Llama-8B"], "Turkish SFT", [])

    ft_with_quants("huihui-ai/DeepSeek-R1-Distill-Llama-70B-abliterated", D["Llama-70B"], "abliterated",
                   ["mrad-i1"], note=SYN_REAL_LIKE)
    ft_with_quants("sci-reason/R1-Llama-70B-chem", D["Llama-70B"], "chemistry reasoning SFT", ["awq"])

    # Depth-4 chains: R1 > distill > unsloth bnb-4bit > user fine-tune (made with unsloth) > GGUF
    for key, users in [("Llama-8B", ["user789/r1-llama8b-medical-cot", "kenya-nlp/R1-Llama-8B-Swahili",
                                     "farmhelp/r1-llama8b-agronomy-qa"]),
                       ("Qwen-7B", ["user321/r1-qwen7b-sql-reasoner", "bd-nlp/R1-Qwen-7B-Bangla"]),
                       ("Qwen-14B", ["quant-finance/r1-qwen14b-options-tutor"])]:
        bnb = "unsloth/%s-unsloth-bnb-4bit" % name(D[key])
        for u in users:
            m = ft(u, bnb, "fine-tuned with unsloth from its 4-bit upload")
            q_gguf(m, "mradermacher")

    # LoRA adapters on the distills
    lora("user555/r1-distill-qwen7b-customer-support-lora", D["Qwen-7B"], "customer support")
    lora("ocr-team/r1-distill-qwen1.5b-invoice-lora", D["Qwen-1.5B"], "invoice extraction")
    lora("user888/r1-llama8b-sql-lora", D["Llama-8B"], "text-to-SQL")
    lora("edu-ng/r1-llama8b-waec-tutor-lora", D["Llama-8B"], "exam tutoring")
    lora("user246/r1-qwen14b-legal-zh-lora", D["Qwen-14B"], "Chinese legal QA")
    lora("kaggle-team/r1-qwen32b-aimo-lora", D["Qwen-32B"], "math olympiad")

    # ============================== Qwen tree ===================================================
    # Qwen's own quantizations (developer country known)
    for mid, parent, what in [
        ("Qwen/Qwen2.5-7B-Instruct-GGUF", Q["7B-Instruct"], "GGUF quantization"),
        ("Qwen/Qwen2.5-7B-Instruct-AWQ", Q["7B-Instruct"], "AWQ 4-bit"),
        ("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", Q["7B-Instruct"], "GPTQ 4-bit"),
        ("Qwen/Qwen2.5-32B-Instruct-AWQ", Q["32B-Instruct"], "AWQ 4-bit"),
        ("Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4", Q["72B-Instruct"], "GPTQ 4-bit"),
        ("Qwen/Qwen2.5-Coder-32B-Instruct-GGUF", QC32, "GGUF quantization"),
        ("Qwen/QwQ-32B-GGUF", QwQ, "GGUF quantization"),
        ("Qwen/QwQ-32B-AWQ", QwQ, "AWQ 4-bit"),
        ("Qwen/Qwen3-8B-GGUF", Q3["8B"], "GGUF quantization"),
        ("Qwen/Qwen3-8B-AWQ", Q3["8B"], "AWQ 4-bit"),
        ("Qwen/Qwen3-32B-AWQ", Q3["32B"], "AWQ 4-bit"),
        ("Qwen/Qwen3-30B-A3B-GGUF", Q3["30B-A3B"], "GGUF quantization"),
        ("Qwen/Qwen3-235B-A22B-FP8", Q3["235B-A22B"], "FP8"),
    ]:
        derive(mid, parent, "quantized", note=SYN_REAL_LIKE + "; official " + what)
    # third-party quantizations
    q_gguf(Q["7B-Instruct"], "bartowski", note=SYN_REAL_LIKE)
    q_gguf(Q["32B-Instruct"], "bartowski", note=SYN_REAL_LIKE)
    q_gguf(QC32, "bartowski", note=SYN_REAL_LIKE)
    q_gguf(QC32, "lmstudio-community", note=SYN_REAL_LIKE)
    q_fmt(Q["7B-Instruct"], "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_fmt(Q["0.5B-Instruct"], "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_mlx(Q["7B-Instruct"], "4bit", note=SYN_REAL_LIKE)
    q_mlx(QC32, "4bit", note=SYN_REAL_LIKE)
    q_gguf(QC7, "bartowski", note=SYN_REAL_LIKE)
    q_gguf(Q3["8B"], "unsloth", note=SYN_REAL_LIKE)
    q_gguf(Q3["30B-A3B"], "unsloth", note=SYN_REAL_LIKE)
    q_gguf(Q3["0.6B"], "unsloth", note=SYN_REAL_LIKE)
    q_gguf(Q3["32B"], "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_gguf(Q3["14B"], "lmstudio-community", note=SYN_REAL_LIKE)
    q_mlx(Q3["30B-A3B"], "4bit", note=SYN_REAL_LIKE)
    q_mlx(Q3["4B"], "4bit", note=SYN_REAL_LIKE)
    q3_14_bnb = q_fmt(Q3["14B"], "unsloth", "unsloth-bnb-4bit", "bitsandbytes 4-bit (dynamic)", note=SYN_REAL_LIKE)
    q_gguf(QwQ, "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_gguf(QwQP, "bartowski", note=SYN_REAL_LIKE)

    # fine-tunes of Qwen models
    sky = derive("NovaSky-AI/Sky-T1-32B-Preview", Q["32B-Instruct"], "finetune", date="2025-01-10",
                 note=SYN + " (real repo id, named as a merge parent in stored HF pages); base_model and date "
                      "from the project's announcement as remembered, not verified; reasoning SFT")
    sky_abl = derive("huihui-ai/Sky-T1-32B-Preview-abliterated", sky, "finetune",
                     note="real HF repo id (named as a merge parent in Triangle104/DeepSky-T100's card); "
                          "base_model inferred from the name; release date approximate")
    q_gguf(sky, "bartowski", note=SYN_REAL_LIKE)
    stratos = ft("bespokelabs/Bespoke-Stratos-32B", Q["32B-Instruct"],
                 "reasoning SFT on R1-generated traces (data only: no R1 weights, so no R1 credit)",
                 note=SYN_REAL_LIKE, date="2025-01-22")
    q_gguf(stratos, "bartowski")
    s1 = ft("simplescaling/s1-32B", Q["32B-Instruct"], "test-time-scaling SFT", note=SYN_REAL_LIKE,
            date="2025-02-03")
    q_mlx(s1, "4bit")
    ot7 = ft("open-thoughts/OpenThinker-7B", Q["7B-Instruct"], "reasoning SFT on R1-generated traces",
             note=SYN_REAL_LIKE, date="2025-01-28")
    q_gguf(ot7, "mradermacher")
    ft("huihui-ai/Qwen2.5-7B-Instruct-abliterated-v2", Q["7B-Instruct"], "abliterated", note=SYN_REAL_LIKE)
    q7bnb = "unsloth/Qwen2.5-7B-Instruct-bnb-4bit"
    th = ft("thai-nlp/Qwen2.5-7B-Thai-instruct", q7bnb, "Thai SFT made with unsloth")
    q_gguf(th, "mradermacher")
    ft("user321/qwen2.5-7b-sql", q7bnb, "text-to-SQL SFT made with unsloth")
    ft("bd-nlp/Qwen2.5-7B-Bangla", Q["7B-Instruct"], "Bangla SFT")
    ft("edge-ml/Qwen2.5-0.5B-sms-classifier", "unsloth/Qwen2.5-0.5B-Instruct-bnb-4bit", "SMS spam classifier")
    q3med = ft("user123/Qwen3-8B-medical-grpo", Q3["8B"], "medical GRPO")
    q_gguf(q3med, "mradermacher")
    q3ko = ft("ko-llm/Qwen3-8B-Korean", Q3["8B"], "Korean SFT")
    ft("latam-ai/Qwen3-14B-es-legal", q3_14_bnb, "Spanish legal SFT made with unsloth")
    ft("edge-ml/Qwen3-0.6B-intent-router", Q3["0.6B"], "intent classification")
    cod = ft("devtools-lab/Qwen2.5-Coder-7B-kotlin", QC7, "Kotlin code SFT")
    q_gguf(cod, "mradermacher")
    ft("math-ke/Qwen2.5-Math-7B-sw-word-problems", QM7, "Swahili math word problems")
    ft("qwq-fans/QwQ-32B-ArliAI-RpR-style", QwQ, "role-play reasoning SFT")
    # adapters
    lora("user555/qwen2.5-7b-instruct-customer-support-lora", Q["7B-Instruct"], "customer support")
    lora("chem-lab/qwen3-4b-chem-lora", Q3["4B"], "chemistry QA")
    lora("user777/qwen2.5-coder-7b-sql-lora", QC7, "text-to-SQL")
    lora("ocr-team/Qwen3-1.7B-receipts-lora", Q3["1.7B"], "receipt extraction")
    lora("vi-edu/qwen2.5-3b-instruct-vi-tutor-lora", Q["3B-Instruct"], "Vietnamese tutoring")
    # merges within Qwen
    merge("mergekit-community/Qwen2.5-7B-Instruct-OpenThinker-slerp", [Q["7B-Instruct"], ot7],
          "SLERP merge of two 7B models")
    m3 = merge("user999/Qwen2.5-32B-Stratos-Sky-s1-ties", [stratos, sky, s1],
               "TIES merge of three fine-tunes of the same root (diamond: the root gets 1/3 x 3 = 1)")
    q_gguf(m3, "mradermacher")
    merge("merge-lab/Qwen3-8B-ko-medical", [q3ko, q3med], "DARE merge of two fine-tunes of Qwen3-8B (diamond)")

    # ============================== merges reaching R1 ==========================================
    fuse = merge("FuseAI/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview", [D["Qwen-32B"], QwQP, sky],
                 "long-long reasoning merge", date="2025-01-22",
                 note="real HF repo: parents DeepSeek-R1-Distill-Qwen-32B, QwQ-32B-Preview and Sky-T1-32B-Preview "
                      "per FuseAI's collection (stored copy); licence not verified; release date approximate (late January 2025)")
    derive("bartowski/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview-GGUF", fuse, "quantized",
           note=HF_SEEN + "; GGUF of the FuseO1 merge; release date approximate")
    derive("brunopio/FuseO1-DeekSeekR1-QwQ-SkyT1-32B-Preview-nbits4-GS64-Axis1-HQQ-T", fuse, "quantized",
           note=HF_SEEN + ": base_model FuseAI/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview per its card "
                          "(the 'DeekSeek' typo is in the real repo name); HQQ 4-bit; release date approximate")
    merge("FuseAI/FuseO1-DeepSeekR1-Qwen2.5-Coder-32B-Preview", [D["Qwen-32B"], QC32],
          "long-short reasoning merge for code", date="2025-01-24",
          note=SYN + " (real repo id seen in stored HF pages); FuseAI's collection says it merges "
                     "DeepSeek-R1-Distill-Qwen-32B with 'Qwen2.5-32B-Coder': the Instruct id is assumed; "
                     "licence not verified; release date approximate")
    merge("RDson/CoderO1-DeepSeekR1-Coder-32B-Preview", [Q["32B"], QC32, D["Qwen-32B"]],
          "SCE merge (mergekit) with Qwen2.5-32B as pivot", date="2025-01-25",
          note="real HF repo: mergekit config lists Qwen/Qwen2.5-32B (base), Qwen/Qwen2.5-Coder-32B-Instruct and "
               "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B (stored copy of its card); licence not verified; "
               "release date approximate")
    merge("Triangle104/DeepSky-T100", [sky_abl, D["Qwen-32B"], sky], "TIES merge", licence="apache-2.0",
          date="2025-01-27",
          note="real HF repo: base_model list and licence apache-2.0 per its card (stored copy); "
               "release date approximate")
    x7 = merge("merge-lab/R1-Qwen-7B-x-OpenThinker-7B-slerp", [vi7, ot7],
               "cross-family SLERP merge: an R1-distill fine-tune with a Qwen fine-tune")
    q_gguf(x7, "mradermacher")
    merge("merge-lab/Frankenreasoner-7B-v2", [x7, Q["7B-Instruct"]],
          "merge of a merge with Qwen2.5-7B-Instruct")
    d7 = merge("merge-lab/R1-Qwen7B-medical-x-vietnamese", [med7, vi7],
               "TIES merge of two fine-tunes of the same R1 distill (diamond)")
    q_gguf(d7, "mradermacher")
    merge("user456/r1-qwen14b-deepcoder-abliterated-merge", [dc14, abl14],
          "merge of two fine-tunes of DeepSeek-R1-Distill-Qwen-14B (diamond)")
    merge("lagos-ai/R1-Qwen-7B-Yoruba-Vietnamese-Medical-ties", [yo7, vi7, med7],
          "TIES merge of three fine-tunes of the same distill (diamond of three)")

    # ============================== Llama tree ==================================================
    derive("meta-llama/Llama-Guard-3-8B", L31_8, "finetune", date="2024-07-23",
           note=SYN_REAL_LIKE + "; official safety classifier fine-tuned from Llama-3.1-8B")
    derive("meta-llama/Llama-3.1-405B-Instruct-FP8", L31_405I, "quantized", date="2024-07-23",
           note=SYN_REAL_LIKE + "; official FP8")
    derive("meta-llama/Llama-3.2-1B-Instruct-QLORA_INT4_EO8", L32_1I, "quantized", date="2024-10-24",
           note=SYN_REAL_LIKE + "; official QLoRA int4 for on-device use")
    q_gguf(L3_8I, "bartowski", note=SYN_REAL_LIKE, suffix="-GGUF")
    q_gguf(L3_8I, "QuantFactory", note=SYN_REAL_LIKE)
    q_gguf(L31_8I, "bartowski", note=SYN_REAL_LIKE)
    q_fmt(L31_8I, "hugging-quants", "AWQ-INT4", "AWQ 4-bit", note=SYN_REAL_LIKE)
    q_fmt(L31_70I, "hugging-quants", "AWQ-INT4", "AWQ 4-bit", note=SYN_REAL_LIKE)
    l31bnb = q_fmt(L31_8I, "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_gguf(L32_3I, "unsloth", note=SYN_REAL_LIKE)
    l32bnb = q_fmt(L32_1I, "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_mlx(L32_3I, "4bit", note=SYN_REAL_LIKE)
    q_mlx(L33_70I, "4bit", note=SYN_REAL_LIKE)
    q_gguf(L33_70I, "bartowski", note=SYN_REAL_LIKE)
    q_gguf(L33_70I, "lmstudio-community", note=SYN_REAL_LIKE)
    q_gguf(L33_70I, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(L32_11V, "leafspark", note=SYN)
    q_gguf(L3_70I, "QuantFactory", note=SYN_REAL_LIKE)

    hermes = derive("NousResearch/Hermes-3-Llama-3.1-8B", L31_8, "finetune", licence="llama3",
                    date="2024-08-15",
                    note="real HF repo: licence llama3 as declared on its card (stored copy; the base is Llama 3.1); "
                         "base_model meta-llama/Llama-3.1-8B per the Hermes 3 report; date = report publication "
                         "(repo created 2024-07-28)")
    derive("NousResearch/Hermes-3-Llama-3.1-8B-GGUF", hermes, "quantized", date="2024-08-15",
           note=HF_SEEN + ", in the Hermes 3 collection; GGUF; release date approximate")
    derive("unsloth/Hermes-3-Llama-3.1-8B-bnb-4bit", hermes, "quantized", licence="llama3.1",
           date="2024-08-20",
           note=HF_SEEN + ": base_model NousResearch/Hermes-3-Llama-3.1-8B and licence llama3.1 per its card; "
                          "bitsandbytes 4-bit; release date approximate")
    dol31 = ft("cognitivecomputations/Dolphin3.0-Llama3.1-8B", L31_8, "general instruct SFT",
               note=SYN_REAL_LIKE, date="2025-01-05")
    q_gguf(dol31, "bartowski")
    ft("NousResearch/DeepHermes-3-Llama-3-8B-Preview", L31_8,
       "hybrid reasoning SFT (name says Llama-3; built on Llama 3.1 8B)", note=SYN_REAL_LIKE, date="2025-02-13")
    dol29 = ft("cognitivecomputations/dolphin-2.9-llama3-8b", L3_8, "general instruct SFT",
               note=SYN_REAL_LIKE, date="2024-04-20")
    q_gguf(dol29, "QuantFactory")
    for u, what in [("user101/llama3.1-8b-it-medical-qa", "medical QA"),
                    ("pt-nlp/Llama-3.1-8B-pt-br-instruct", "Brazilian-Portuguese SFT"),
                    ("user202/llama3.1-8b-function-calling", "function-calling SFT")]:
        m = ft(u, l31bnb, what + " made with unsloth")
        q_gguf(m, "mradermacher")
    ft("edge-ml/Llama-3.2-1B-Instruct-summarizer", l32bnb, "summarisation SFT made with unsloth")
    l323 = ft("user303/Llama-3.2-3B-Instruct-uncensored", L32_3I, "uncensored SFT")
    q_gguf(l323, "mradermacher")
    ft("ind-nlp/Llama-3.2-3B-Indonesian", L32_3I, "Indonesian SFT")
    l3370 = ft("sao10k/L3.3-70B-Euryale-style", L33_70I, "role-play SFT")
    q_gguf(l3370, "bartowski")
    ft("meditron-like/Llama-3.1-70B-clinical", L31_70I, "clinical SFT")
    lora("user404/llama3.1-8b-instruct-sql-lora", L31_8I, "text-to-SQL")
    lora("legal-eu/llama3.1-8b-instruct-gdpr-lora", L31_8I, "GDPR QA")
    lora("user505/llama-3.2-3b-instruct-tagalog-lora", L32_3I, "Tagalog chat")
    lora("vision-lab/llama-3.2-11b-vision-charts-lora", L32_11V, "chart reading")
    merge("mergekit-community/L3.1-Hermes-Dolphin-8B-slerp", [hermes, dol31],
          "SLERP of two fine-tunes of Llama-3.1-8B (diamond)")
    merge("user606/L3-8B-Instruct-dolphin-linear", [L3_8I, dol29], "linear merge within Llama 3")
    xl = merge("mergekit-community/R1-Llama-8B-x-Hermes-3-ties", [D["Llama-8B"], hermes],
               "cross-family TIES merge: R1 distill with Hermes 3 (both Llama 3.1 8B shaped)")
    q_gguf(xl, "mradermacher")
    merge("user707/R1-Llama8B-Dolphin-Hermes-Arabic-della", [ar8, hermes, dol31],
          "DELLA merge of three parents across R1 and Llama lineages")
    merge("user808/R1-Llama8B-abliterated-x-Llama3.1-Instruct", [abl8, L31_8I],
          "merge of an R1-distill fine-tune with Llama-3.1-8B-Instruct")

    # ============================== Gemma tree ==================================================
    derive("google/gemma-3-27b-it-qat-q4_0-gguf", G3["27b"], "quantized", date="2025-04-18",
           note=SYN_REAL_LIKE + "; official quantization-aware-trained Q4_0 GGUF")
    derive("google/gemma-3-12b-it-qat-q4_0-gguf", G3["12b"], "quantized", date="2025-04-18",
           note=SYN_REAL_LIKE + "; official quantization-aware-trained Q4_0 GGUF")
    q_gguf(G3["27b"], "unsloth", note=SYN_REAL_LIKE)
    q_gguf(G3["4b"], "unsloth", note=SYN_REAL_LIKE)
    q_gguf(G3["12b"], "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_mlx(G3["27b"], "4bit", note=SYN_REAL_LIKE)
    q_gguf(G3["27b"], "lmstudio-community", note=SYN_REAL_LIKE)
    q_gguf(G2["9b"], "bartowski", note=SYN_REAL_LIKE)
    g2bnb = q_fmt(G2["9b"], "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_gguf(G2["27b"], "bartowski", note=SYN_REAL_LIKE)
    q_mlx(G2["2b"], "4bit", note=SYN_REAL_LIKE)
    sea = ft("ai-sg/gemma-2-9b-it-sea", G2["9b"], "Southeast-Asian languages SFT")
    q_gguf(sea, "mradermacher")
    ko9 = ft("user909/gemma-2-9b-it-ko", g2bnb, "Korean SFT made with unsloth")
    ft("vi-edu/gemma-3-4b-it-vi", G3["4b"], "Vietnamese SFT")
    sw12 = ft("kenya-nlp/gemma-3-12b-it-kiswahili", G3["12b"], "Kiswahili SFT")
    q_gguf(sw12, "mradermacher")
    ft("jp-llm-lab/gemma-2-2b-it-jp", G2["2b"], "Japanese SFT")
    abl27 = ft("huihui-ai/gemma-3-27b-it-abliterated", G3["27b"], "abliterated", note=SYN_REAL_LIKE)
    q_gguf(abl27, "mradermacher")
    lora("user111/gemma-3-1b-it-sms-lora", G3["1b"], "SMS classification")
    lora("health-ng/gemma-2-9b-it-hausa-health-lora", G2["9b"], "Hausa health information")
    lora("user222/gemma-3-4b-it-receipts-lora", G3["4b"], "receipt extraction")
    merge("mergekit-community/gemma-2-9b-it-sea-ko-slerp", [sea, ko9], "SLERP of two Gemma-2-9B fine-tunes (diamond)")

    # ============================== Mistral tree ================================================
    q_gguf(M7I2, "TheBloke", note=SYN_REAL_LIKE)
    q_fmt(M7I2, "TheBloke", "AWQ", "AWQ 4-bit", note=SYN_REAL_LIKE)
    q_gguf(M7, "TheBloke", note=SYN_REAL_LIKE)
    q_gguf(MXI, "TheBloke", note=SYN_REAL_LIKE)
    q_fmt(MXI, "TheBloke", "GPTQ", "GPTQ 4-bit", note=SYN_REAL_LIKE)
    q_gguf(M7I3, "bartowski", note=SYN_REAL_LIKE)
    q_gguf(M7I3, "MaziyarPanahi", note=SYN_REAL_LIKE)
    q_fmt(M7I3, "unsloth", "bnb-4bit", "bitsandbytes 4-bit", note=SYN_REAL_LIKE)
    q_gguf(MSI, "bartowski", note=SYN_REAL_LIKE)
    q_mlx(MSI, "4bit", note=SYN_REAL_LIKE)
    q_gguf(MS31, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(MN, "bartowski", note=SYN_REAL_LIKE)
    q_gguf(MX22I, "MaziyarPanahi", note=SYN_REAL_LIKE)
    oh = ft("teknium/OpenHermes-2.5-Mistral-7B", M7, "general instruct SFT", note=SYN_REAL_LIKE,
            date="2023-11-02")
    q_gguf(oh, "TheBloke")
    nh = ft("NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO", MX, "SFT + DPO", note=SYN_REAL_LIKE,
            date="2024-01-15")
    q_gguf(nh, "TheBloke")
    dol293 = derive("cognitivecomputations/dolphin-2.9.3-mistral-7B-32k", M7v3, "finetune",
                    note=HF_SEEN + "; 'based on mistralai/Mistral-7B-v0.3' per a stored copy of its card text; "
                                   "release date approximate")
    derive("macadeliccc/dolphin-2.9.3-mistral-7B-32K-GGUF", dol293, "quantized",
           note=HF_SEEN + "; GGUF of dolphin-2.9.3-mistral-7B-32k (original card reproduced); release date approximate")
    dol24 = derive("cognitivecomputations/Dolphin3.0-Mistral-24B", MSB, "finetune", date="2025-02-01",
                   note=SYN + " (real repo id seen in stored HF pages); base_model from memory, not verified; "
                              "release month assumed, date set to its 1st")
    dolr1 = derive("cognitivecomputations/Dolphin3.0-R1-Mistral-24B", MSB, "finetune", date="2025-02-01",
                   note=SYN + " (real repo id seen in stored HF pages); trained on R1 reasoning traces, but its "
                              "weights descend from Mistral Small, not R1: no R1 credit despite the name; base_model "
                              "from memory, not verified; release month assumed, date set to its 1st")
    q_gguf(dolr1, "bartowski")
    q_gguf(dol24, "mradermacher")
    ft("fr-legal/Mistral-7B-Instruct-v0.3-droit-fr", M7I3, "French legal SFT")
    ft("user333/Mistral-Small-24B-Instruct-ar", MSI, "Arabic SFT")
    ft("user444/Mistral-Nemo-12B-storywriter", MN, "creative writing SFT")
    lora("user666/mistral-7b-instruct-v0.3-sql-lora", M7I3, "text-to-SQL")
    lora("wolof-nlp/mistral-7b-instruct-v0.2-wolof-lora", M7I2, "Wolof chat")
    merge("mergekit-community/Mistral-7B-OpenHermes-Dolphin-slerp", [oh, dol293],
          "SLERP across Mistral-7B v0.1 and v0.3 lineages")

    # ============================== gpt-oss tree ================================================
    q_gguf(OSS20, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(OSS120, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(OSS20, "ggml-org", note=SYN_REAL_LIKE)
    q_gguf(OSS120, "ggml-org", note=SYN_REAL_LIKE)
    q_gguf(OSS20, "lmstudio-community", note=SYN_REAL_LIKE)
    q_gguf(OSS120, "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_fmt(OSS20, "mlx-community", "MXFP4-Q8", "MLX MXFP4", note=SYN_REAL_LIKE)
    ossbnb = derive("unsloth/gpt-oss-20b-unsloth-bnb-4bit", OSS20, "quantized",
                    note=HF_SEEN + ", named as base_model by many fine-tunes; bitsandbytes 4-bit; release date approximate")
    derive("unsloth/gpt-oss-20b-BF16", OSS20, "quantized",
           note=HF_SEEN + ", named as base_model by fine-tunes; BF16 up-cast of the MXFP4 weights; release date approximate")
    for u, what in [("user131/gpt-oss-20b-es-support", "Spanish customer support"),
                    ("user132/gpt-oss-20b-medical-reasoner", "medical reasoning"),
                    ("edu-vn/gpt-oss-20b-tutor-vi", "Vietnamese tutoring")]:
        m = ft(u, ossbnb, what + " SFT made with unsloth")
        if "medical" in u:
            q_gguf(m, "mradermacher")
    lora("user133/gpt-oss-20b-sql-lora", OSS20, "text-to-SQL")
    lora("legal-in/gpt-oss-120b-indian-law-lora", OSS120, "Indian law QA")

    # ============================== Kimi K2 tree ================================================
    q_gguf(KI, "unsloth", note=SYN_REAL_LIKE)
    q_gguf(KI, "ubergarm", note=SYN_REAL_LIKE)
    q_gguf(KI, "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_mlx(KI, "4bit", note=SYN_REAL_LIKE)
    q_gguf(KI9, "unsloth", note=SYN_REAL_LIKE)
    q_mlx(KI9, "3bit", note=SYN_REAL_LIKE)
    kz = ft("research-lab-cn/Kimi-K2-Base-sft-zh-law", KB, "Chinese legal SFT of the base model")
    q_fmt(kz, "research-lab-cn", "FP8", "FP8")

    # ============================== DeepSeek V3 / R1-0528 trees =================================
    q_gguf(V3, "unsloth", note=SYN_REAL_LIKE)
    q_mlx(V3, "4bit", note=SYN_REAL_LIKE)
    q_fmt(V3, "opensourcerelease", "bf16", "BF16 up-cast of the FP8 weights", note=SYN_REAL_LIKE)
    q_fmt(V3B, "cognitivecomputations", "AWQ", "AWQ 4-bit", note=SYN)
    q_gguf(V3N, "unsloth", note=SYN_REAL_LIKE)
    q_mlx(V3N, "4bit", note=SYN_REAL_LIKE)
    q_gguf(V3N, "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_fmt(V3N, "cognitivecomputations", "AWQ", "AWQ 4-bit", note=SYN_REAL_LIKE)
    chim = merge("tngtech/DeepSeek-R1T-Chimera", [V3N, R1], "merge of DeepSeek-V3-0324 and DeepSeek-R1",
                 note=SYN_REAL_LIKE, date="2025-04-26")
    q_gguf(chim, "bartowski", prefix_org=True)

    derive("unsloth/DeepSeek-R1-0528-GGUF", R1N, "quantized",
           note=HF_SEEN + "; GGUF quantization of DeepSeek-R1-0528; release date approximate")
    q_gguf(R1N, "bartowski", prefix_org=True, note=SYN_REAL_LIKE)
    q_mlx(R1N, "4bit", note=SYN_REAL_LIKE)
    d0528 = derive("deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", R1N, "finetune", date="2025-05-29", params=8,
                   note="real HF repo (deepseek-ai): chain-of-thought of DeepSeek-R1-0528 distilled into Qwen3-8B-Base, "
                        "recorded as a finetune of R1-0528; HF lists Qwen/Qwen3-8B as technical base; licence mit")
    derive("lmstudio-community/DeepSeek-R1-0528-Qwen3-8B-GGUF", d0528, "quantized", date="2025-05-30",
           note=HF_SEEN + ": GGUF of deepseek-ai/DeepSeek-R1-0528-Qwen3-8B (made by bartowski) per its card; "
                          "release date approximate")
    q_gguf(d0528, "unsloth", note=SYN_REAL_LIKE)
    q_mlx(d0528, "4bit", note=SYN_REAL_LIKE)
    d0528bnb = q_fmt(d0528, "unsloth", "unsloth-bnb-4bit", "bitsandbytes 4-bit (dynamic)", note=SYN_REAL_LIKE)
    for u, what in [("user141/r1-0528-qwen3-8b-tr-math", "Turkish math"),
                    ("ghana-nlp/R1-0528-Qwen3-8B-Twi", "Twi SFT")]:
        m = ft(u, d0528bnb, what + " made with unsloth")
        q_gguf(m, "mradermacher")
    merge("openentry/qwen3-8b-merge-openentry", [d0528, Q3B8], "DELLA merge (mergekit) with Qwen3-8B-Base as base",
          date="2025-07-01",
          note="real HF repo: its mergekit_config.yml (stored copy) merges deepseek-ai/deepseek-r1-0528-qwen3-8b "
               "with base Qwen/Qwen3-8B-Base; licence not verified; release date unknown: 2025-07-01 is a placeholder")
    r1t2 = merge("tngtech/DeepSeek-TNG-R1T2-Chimera", [R1N, R1, V3N],
                 "assembly-of-experts merge of three DeepSeek parents", note=SYN_REAL_LIKE, date="2025-07-02")
    q_gguf(r1t2, "unsloth")


# ============================== lineage ===========================================================

def read_registry(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def lineage(registry_rows):
    """Returns {model_id: {root_id: (Fraction credit, [path ids])}}; raises on cycles/unknown parents."""
    parents = {}
    for r in registry_rows:
        mid = r["model_id"]
        if mid in parents:
            raise ValueError("duplicate " + mid)
        parents[mid] = [p for p in r["base_model"].split(";") if p] if r["base_model"] else []
    for mid, ps in parents.items():
        for p in ps:
            if p not in parents:
                raise ValueError("unknown parent %s of %s" % (p, mid))
    credit_memo = {}
    state = {}

    def credits(mid):
        if state.get(mid) == "done":
            return credit_memo[mid]
        if state.get(mid) == "visiting":
            raise ValueError("cycle through " + mid)
        state[mid] = "visiting"
        ps = parents[mid]
        out = {}
        if not ps:
            out[mid] = Fraction(1)
        else:
            share = Fraction(1, len(ps))
            for p in ps:
                for r, c in credits(p).items():
                    out[r] = out.get(r, Fraction(0)) + share * c
        state[mid] = "done"
        credit_memo[mid] = out
        return out

    result = {}
    for mid in parents:
        cr = credits(mid)
        # BFS with parents in ascending id order: the first path reaching a root is the shortest,
        # and among the shortest the lexicographically smallest id sequence.
        paths = {}
        prev = {mid: None}
        frontier = [mid]
        while frontier:
            nxt = []
            for node in frontier:
                if not parents[node] and node not in paths:
                    chain, n = [], node
                    while n is not None:
                        chain.append(n)
                        n = prev[n]
                    paths[node] = list(reversed(chain))
                for p in sorted(parents[node]):
                    if p not in prev:
                        prev[p] = node
                        nxt.append(p)
            frontier = nxt
        result[mid] = {r: (c, paths[r]) for r, c in cr.items()}
    return result


def fmt_credit(c):
    # exact decimal when the denominator divides a power of ten, else a fraction a/b
    d = c.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1:
        return "%d/%d" % (c.numerator, c.denominator)
    s = str(Decimal(c.numerator) / Decimal(c.denominator))  # exact: the quotient terminates
    return s if "." in s else s + ".0"


def depth(registry_rows):
    parents = {r["model_id"]: [p for p in r["base_model"].split(";") if p] for r in registry_rows}
    memo = {}

    def d(m):
        if m not in memo:
            memo[m] = 0 if not parents[m] else 1 + max(d(p) for p in parents[m])
        return memo[m]
    return {m: d(m) for m in parents}


def validate(registry_rows, verbose=True):
    problems = []
    ids = [r["model_id"] for r in registry_rows]
    dup = [k for k, v in Counter(ids).items() if v > 1]
    if dup:
        problems.append("duplicate ids: %s" % dup)
    by = {r["model_id"]: r for r in registry_rows}
    for r in registry_rows:
        if list(r.keys()) != HEADER:
            problems.append("bad header")
            break
    for r in registry_rows:
        rel = r["relation"]
        if r["base_model"]:
            if rel not in RELATIONS:
                problems.append("%s: relation %r" % (r["model_id"], rel))
            ps = r["base_model"].split(";")
            if (rel == "merge") != (len(ps) > 1):
                problems.append("%s: merge must have >1 parent and only merges may" % r["model_id"])
            if r["open_weights"] != "true":
                problems.append("%s: derivative must be open" % r["model_id"])
            for p in ps:
                if p in by and by[p]["release_date"] > r["release_date"]:
                    problems.append("%s released before its parent %s" % (r["model_id"], p))
        else:
            if rel:
                problems.append("%s: root with relation" % r["model_id"])
            if not r["developer_country"]:
                problems.append("%s: root without developer_country" % r["model_id"])
        try:
            dt.date.fromisoformat(r["release_date"])
        except ValueError:
            problems.append("%s: bad date" % r["model_id"])
        if "," in r["model_id"] or r["model_id"].count("/") != 1:
            problems.append("%s: bad id" % r["model_id"])
    try:
        lin = lineage(registry_rows)
    except ValueError as e:
        problems.append(str(e))
        lin = {}
    for mid, roots in lin.items():
        if sum(c for c, _ in roots.values()) != 1:
            problems.append("%s: credits do not sum to 1" % mid)
        for rt in roots:
            if not by[rt]["developer_country"]:
                problems.append("%s: root %s has no developer_country" % (mid, rt))
    if verbose and lin:
        stats(registry_rows, lin)
    return problems


def stats(registry_rows, lin):
    roots = [r for r in registry_rows if not r["base_model"]]
    ders = [r for r in registry_rows if r["base_model"]]
    print("rows %d: roots %d (closed %d), derivatives %d" % (
        len(registry_rows), len(roots), sum(r["open_weights"] == "false" for r in roots), len(ders)))
    print("derivatives by relation:", dict(sorted(Counter(r["relation"] for r in ders).items())))
    desc = Counter()
    weighted = Counter()
    for mid, rs in lin.items():
        for rt, (c, _) in rs.items():
            if rt != mid:
                desc[rt] += 1
                weighted[rt] += c
    print("descendants per root (top 12):")
    for rt, n in desc.most_common(12):
        print("  %-45s %4d  (credit-weighted %.2f)" % (rt, n, float(weighted[rt])))
    fam = Counter()
    byid = {r["model_id"]: r for r in registry_rows}
    for mid, rs in lin.items():
        if byid[mid]["base_model"]:
            for f in {byid[rt]["developer"] + ":" + byid[rt]["family"] for rt in rs}:
                fam[f] += 1
    print("derivatives reaching each developer:family:", dict(fam.most_common()))
    dep = depth(registry_rows)
    print("max depth (edges to the farthest root): %d; depth histogram %s" % (
        max(dep.values()), dict(sorted(Counter(dep.values()).items()))))
    syn = sum("synthetic" in r["note"] for r in ders)
    print("derivatives marked synthetic: %d; not marked (real, with evidence in note): %d" % (syn, len(ders) - syn))


def write(path):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for r in rows:
        out = dict(r)
        out["parameters_b"] = fmt_params(r["parameters_b"])
        w.writerow(out)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        probs = validate(read_registry(argv[2]))
        print("\n".join(probs) if probs else "OK")
        return 1 if probs else 0
    if len(argv) == 3 and argv[1] == "--expected":
        lin = lineage(read_registry(argv[2]))
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["model_id", "root_model_id", "credit", "path"])
        for mid in sorted(lin):
            for rt in sorted(lin[mid]):
                c, p = lin[mid][rt]
                w.writerow([mid, rt, fmt_credit(c), " > ".join(p)])
        return 0
    build()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models.csv")
    write(out)
    probs = validate(read_registry(out))
    print("wrote", out)
    print("\n".join(probs) if probs else "validation OK")
    return 1 if probs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
