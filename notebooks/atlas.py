"""Trust Atlas for analysts: the warehouse tables by name, as pandas DataFrames.

    import atlas
    atlas.sql("SELECT country_name, trust_value FROM gold.country_scorecard LIMIT 5")
    atlas.table("gold.model_reach", as_of=3)             # a Delta version of that table
    atlas.sql("SELECT ...", as_of="2025-06-01 12:00:00")  # every table as of a timestamp
    atlas.history("gold.country_scorecard")               # DESCRIBE HISTORY

The first call starts Spark with the same session settings as the jobs
(org.trustatlas.io.SparkSessions.COMMON: Delta, UTC, ANSI SQL) and registers every table that
exists under the warehouse (`<warehouse>/<layer>/<table>`) under its SPEC name: silver.country_measures,
gold.country_scorecard, ops.runs ...  The warehouse is $ATLAS_WAREHOUSE, default `<repo>/warehouse`.

Where `import pyspark` works (your own environment, Databricks) the module uses pyspark and the
session already running, if any. Otherwise it runs Spark inside this Python process through JPype
on the project's own class path (`jobs/target/trust-atlas.jar` + `jobs/target/classpath*.txt`,
built by `mvn -B -DskipTests package`, or by `notebooks/run`). One JVM per Python process: restart
the kernel to restart Spark.

Results are converted column by column from the Spark schema, so a column has the same pandas
dtype whatever the rows: integers are int64 (Int64, nullable, where Spark says the column can be
null), booleans bool (or nullable boolean), doubles float64 (null is NaN), strings object (null is
None), dates and timestamps datetime64[ns] (UTC, no zone), decimals decimal.Decimal, arrays lists,
maps and structs dicts. `sql()` collects the whole result: aggregate in SQL, not in pandas.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import glob
import json
import numbers
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

__all__ = [
    "sql",
    "table",
    "history",
    "describe",
    "tables",
    "session",
    "backend",
    "connect",
    "WAREHOUSE",
    "TABLES",
]

REPO = Path(__file__).resolve().parent.parent

# Every table Trust Atlas writes (jobs/src/main/java/org/trustatlas/contract/Tables.java, in order).
TABLES = [
    "bronze.survey_sources",
    "bronze.survey_cells",
    "bronze.download_events",
    "bronze.api_requests",
    "bronze.app_mau",
    "silver.countries",
    "silver.models",
    "silver.country_measures",
    "silver.usage_daily",
    "gold.country_scorecard",
    "gold.trust_uptake_correlation",
    "gold.model_reach",
    "ops.quarantine",
    "ops.runs",
]
_LAYERS = ("bronze", "silver", "gold", "ops")

# Copy of org.trustatlas.io.SparkSessions.COMMON for the pyspark path. With JPype the Java map
# itself is used, and a difference from this copy is reported as a warning.
COMMON = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.sources.partitionOverwriteMode": "static",
    "spark.databricks.delta.schema.autoMerge.enabled": "false",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.databricks.delta.optimizeWrite.enabled": "false",
    "spark.databricks.delta.autoCompact.enabled": "false",
    "spark.databricks.delta.writeChecksumFile.enabled": "false",
    "spark.sql.maxConcurrentOutputFileWriters": "4",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.catalogImplementation": "in-memory",
}

# Copy of org.trustatlas.io.SparkSessions.HADOOP_DEFAULTS: S3A settings set on the session's Hadoop
# configuration only where neither Spark's settings nor the cluster's core-site.xml set them
# (SparkSessionsTest checks both copies).
HADOOP_DEFAULTS = {
    "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider,"
    "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
    "fs.s3a.endpoint.region": "us-east-1",
}


def _apply_hadoop_defaults(conf) -> None:
    """SparkSessions.applyHadoopDefaults for a Hadoop Configuration reached through py4j."""
    for key, value in HADOOP_DEFAULTS.items():
        sources = conf.getPropertySources(key)
        if conf.get(key) is None or (sources is not None and all(s == "core-default.xml" for s in sources)):
            conf.set(key, value, "trust-atlas default")

# The --add-opens flags Spark needs on Java 17 (as in bin/atlas).
JAVA_OPTS = [
    "--add-opens=java.base/" + p + "=ALL-UNNAMED"
    for p in (
        "java.lang",
        "java.lang.invoke",
        "java.lang.reflect",
        "java.io",
        "java.net",
        "java.nio",
        "java.util",
        "java.util.concurrent",
        "java.util.concurrent.atomic",
        "sun.nio.ch",
        "sun.nio.cs",
        "sun.security.action",
        "sun.util.calendar",
    )
] + ["-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true"]

DELTA_PACKAGE = "io.delta:delta-spark_4.1_2.13:4.3.1"  # for a pyspark session started here


def _default_warehouse() -> str:
    return os.environ.get("ATLAS_WAREHOUSE") or str(REPO / "warehouse")


WAREHOUSE = _default_warehouse()

_state: dict = {"backend": None, "spark": None, "paths": {}, "warehouse": None, "created": set()}


# ---------------------------------------------------------------------------------------------
# Session
# ---------------------------------------------------------------------------------------------


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file:")


def _local(path: str) -> str:
    """A local path for a plain path or a file: URI."""
    if path.startswith("file:"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(path).path)
    return path


def _start_jpype():
    import jpype
    import jpype.imports  # noqa: F401  (enables `from org.apache... import ...`)

    if not jpype.isJVMStarted():
        target = REPO / "jobs" / "target"
        jar = target / "trust-atlas.jar"
        cp_files = [target / "classpath.txt", target / "classpath-runtime.txt"]
        missing = [str(p) for p in [jar, *cp_files] if not p.exists()]
        if missing:
            raise RuntimeError(
                "the project class path is not built (missing "
                + ", ".join(missing)
                + "): run `notebooks/run` or `mvn -B -q -DskipTests -Dspotless.check.skip=true package`"
                + " in "
                + str(REPO)
            )
        classpath = [str(jar)]
        for f in cp_files:
            classpath += [e for e in f.read_text().strip().split(os.pathsep) if e]
        if jpype.__file__.startswith("/usr/lib/python3/"):
            # Debian's python3-jpype keeps its support jar here and does not find it by itself
            # (a pip-installed JPype1 finds its own).
            classpath += sorted(glob.glob("/usr/share/java/org.jpype.jar"))
        log4j = Path(__file__).resolve().parent / "log4j2.properties"
        opts = os.environ.get("ATLAS_JAVA_OPTS", "-Xmx4g").split()
        opts += JAVA_OPTS + [
            "-Duser.timezone=UTC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={log4j}",
        ]
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        jpype.startJVM(_jvm_path(), *opts, classpath=classpath, convertStrings=True)

    from org.apache.spark.sql import SparkSession  # type: ignore  (a Java class, via JPype)

    b = (
        SparkSession.builder()
        .appName("trust-atlas-notebook")
        .master(os.environ.get("ATLAS_SPARK_MASTER", "local[2]"))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", Path(tempfile.gettempdir(), "trust-atlas-notebook-catalog").as_uri())
    )
    common = _java_common()
    for k, v in common.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    from org.trustatlas.io import SparkSessions  # type: ignore

    SparkSessions.applyHadoopDefaults(spark.sparkContext().hadoopConfiguration())
    return spark


def _java_common() -> dict:
    """SparkSessions.COMMON from the project jar: the jobs' own settings, not a copy."""
    try:
        from org.trustatlas.io import SparkSessions  # type: ignore

        common = {str(e.getKey()): str(e.getValue()) for e in SparkSessions.COMMON.entrySet()}
    except Exception as e:  # pragma: no cover - only when the jar is older than this module
        warnings.warn(f"could not read SparkSessions.COMMON from the jar ({e}); using the copy in atlas.py")
        return dict(COMMON)
    if common != COMMON:
        warnings.warn(
            "atlas.COMMON differs from SparkSessions.COMMON in the jar; the jar's settings are used."
            " Update notebooks/atlas.py so the pyspark path matches."
        )
    return common


def _jvm_path() -> str:
    """libjvm of the `java` the launcher uses (JAVA_HOME, else PATH), not JPype's guess."""
    override = os.environ.get("ATLAS_JVM")
    if override:
        return override
    homes = []
    if os.environ.get("JAVA_HOME"):
        homes.append(Path(os.environ["JAVA_HOME"]))
    java = shutil.which("java")
    if java:
        homes.append(Path(os.path.realpath(java)).parent.parent)
    for home in homes:
        for rel in ("lib/server/libjvm.so", "jre/lib/amd64/server/libjvm.so", "lib/server/libjvm.dylib"):
            if (home / rel).exists():
                return str(home / rel)
    import jpype

    return jpype.getDefaultJVMPath()


def _start_pyspark():
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:  # Databricks, or a session the user configured: use it as it is
        return active
    b = SparkSession.builder.appName("trust-atlas-notebook").master(
        os.environ.get("ATLAS_SPARK_MASTER", "local[2]")
    )
    b = b.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
    b = b.config("spark.driver.bindAddress", "127.0.0.1")
    b = b.config("spark.sql.warehouse.dir", Path(tempfile.gettempdir(), "trust-atlas-notebook-catalog").as_uri())
    for k, v in COMMON.items():
        b = b.config(k, v)
    try:  # pip install delta-spark: puts the matching Delta jars on the session
        from delta import configure_spark_with_delta_pip

        spark = configure_spark_with_delta_pip(b).getOrCreate()
    except ImportError:
        spark = b.config("spark.jars.packages", DELTA_PACKAGE).getOrCreate()
    _apply_hadoop_defaults(spark._jsc.hadoopConfiguration())
    return spark


def connect(warehouse: str | None = None, backend: str | None = None):
    """Starts (or reuses) the session and registers the tables of `warehouse`.

    Called by the first sql()/table(); call it yourself to point at another warehouse
    (re-registers every table). backend: 'pyspark' or 'jpype' (default: pyspark if importable).
    Returns the Spark session (a pyspark SparkSession, or the Java one through JPype).
    """
    global WAREHOUSE
    if _state["spark"] is None:
        if backend is None:
            backend = os.environ.get("ATLAS_BACKEND")
        if backend is None:
            try:
                import pyspark  # noqa: F401

                backend = "pyspark"
            except ImportError:
                backend = "jpype"
        _state["backend"] = backend
        _state["spark"] = _start_pyspark() if backend == "pyspark" else _start_jpype()
    wh = warehouse or _default_warehouse()
    if _is_local(wh):
        wh = str(Path(_local(wh)).resolve())
    WAREHOUSE = wh
    _state["warehouse"] = wh
    _register(wh)
    return _state["spark"]


def session():
    """The Spark session (started on first use)."""
    if _state["spark"] is None:
        connect()
    return _state["spark"]


def backend() -> str:
    """'jpype' or 'pyspark'."""
    session()
    return _state["backend"]


# ---------------------------------------------------------------------------------------------
# Backend adapters: the two APIs differ only in these few calls
# ---------------------------------------------------------------------------------------------


def _raw_sql(query: str):
    return session().sql(query)


def _schema_json(df) -> dict:
    return json.loads(df.schema().json() if _state["backend"] == "jpype" else df.schema.json())


def _rename(df, names):
    if _state["backend"] == "jpype":
        from jpype import JArray, JString

        return df.toDF(JArray(JString)(names))
    return df.toDF(*names)


def _select_exprs(df, exprs):
    if _state["backend"] == "jpype":
        from jpype import JArray, JString

        return df.selectExpr(JArray(JString)(exprs))
    return df.selectExpr(*exprs)


def _json_rows(df) -> list:
    if _state["backend"] == "jpype":
        from java.lang import String  # type: ignore

        # One JNI call for the whole result. Spark's JSON never holds a raw newline.
        text = str(String.join("\n", df.toJSON().collectAsList()))
        return [json.loads(line) for line in text.split("\n")] if text else []
    return [json.loads(r) for r in df.toJSON().collect()]


# ---------------------------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------------------------


def _table_path(warehouse: str, name: str) -> str:
    layer, tbl = name.split(".", 1)
    return warehouse.rstrip("/") + "/" + layer + "/" + tbl


def _exists(path: str) -> bool:
    if _is_local(path):
        return Path(_local(path), "_delta_log").is_dir()
    try:  # object storage: ask Delta
        _raw_sql("DESCRIBE DETAIL delta.`" + path.replace("`", "``") + "`").collect()
        return True
    except Exception:
        return False


def _discover(warehouse: str) -> list:
    """SPEC tables first, in contract order, then any other Delta table found under the layers."""
    names = list(TABLES)
    if _is_local(warehouse):
        for layer in _LAYERS:
            for d in sorted(glob.glob(os.path.join(_local(warehouse), layer, "*", "_delta_log"))):
                name = f"{layer}.{Path(d).parent.name}"
                if name not in names:
                    names.append(name)
    return names


def _location_of(name: str) -> str | None:
    try:
        rows = _rows(_raw_sql(f"DESCRIBE DETAIL {name}"))
        return rows[0].get("location") if rows else None
    except Exception:
        return None


def _same_location(a: str | None, b: str) -> bool:
    if a is None:
        return False
    norm = lambda p: _local(p).rstrip("/")  # noqa: E731
    return norm(a) == norm(b)


def _register(warehouse: str) -> None:
    spark = _state["spark"]
    paths = {}
    for name in _discover(warehouse):
        path = _table_path(warehouse, name)
        if not _exists(path):
            continue
        layer = name.split(".")[0]
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {layer}")
        if _table_exists(name):
            if _same_location(_location_of(name), path):
                paths[name] = path
                continue
            if name not in _state["created"]:
                # Never drop a table this module did not create (a metastore's own table).
                warnings.warn(f"{name} already exists in this session's catalog at another location; left as it is")
                continue
            spark.sql(f"DROP TABLE {name}")  # external table: the files stay
        spark.sql(f"CREATE TABLE {name} USING delta LOCATION '{path}'")
        _state["created"].add(name)
        paths[name] = path
    _state["paths"] = paths
    if not paths:
        warnings.warn(
            f"no Trust Atlas tables under {warehouse}: run `bin/atlas nightly --warehouse {warehouse}`"
            " (or notebooks/run), or set ATLAS_WAREHOUSE"
        )


def _table_exists(name: str) -> bool:
    spark = _state["spark"]
    if _state["backend"] == "jpype":
        return bool(spark.catalog().tableExists(name))
    return bool(spark.catalog.tableExists(name))


def tables() -> pd.DataFrame:
    """The registered tables: name, Delta location, current version, number of files."""
    session()
    out = []
    for name, path in _state["paths"].items():
        d = _rows(_raw_sql(f"DESCRIBE DETAIL {name}"))[0]
        v = _rows(_select_exprs(_raw_sql(f"DESCRIBE HISTORY {name} LIMIT 1"), ["version AS v"]))
        out.append(
            {
                "table": name,
                "location": path,
                "version": int(v[0]["v"]) if v and v[0].get("v") is not None else None,
                "files": d.get("numFiles"),
                "bytes": d.get("sizeInBytes"),
            }
        )
    return pd.DataFrame(out, columns=["table", "location", "version", "files", "bytes"])


# ---------------------------------------------------------------------------------------------
# Time travel
# ---------------------------------------------------------------------------------------------


def _version_as_of(name: str, as_of) -> int:
    """The table's Delta version at `as_of`: the number itself, or the last commit at or before a
    timestamp (as `bin/atlas query --as-of` does: Delta's own TIMESTAMP AS OF refuses a moment after a
    table's last commit, which would fail every query on a table that has not changed since)."""
    if isinstance(as_of, bool):
        raise TypeError("as_of: a version (int) or a timestamp (str, datetime), not a bool")
    if isinstance(as_of, numbers.Integral) or (isinstance(as_of, str) and as_of.strip().isdigit()):
        return int(as_of)
    if not isinstance(as_of, (str, _dt.datetime, _dt.date, pd.Timestamp)):
        raise TypeError(f"as_of: a version (int) or a timestamp (str, datetime), got {type(as_of).__name__}")
    try:
        ts = pd.Timestamp(as_of)
    except ValueError:
        raise ValueError(f"as_of: not a version or a timestamp: {as_of!r}") from None
    if ts.tzinfo is not None:  # history times are UTC without a zone
        ts = ts.tz_convert("UTC").tz_localize(None)
    h = history(name)
    before = h[h.timestamp <= ts]
    if before.empty:
        raise ValueError(f"{name} has no version at or before {ts} (its first commit is {h.timestamp.min()})")
    return int(before.version.max())


# String literals, quoted identifiers and comments are copied as they are; table names elsewhere
# are replaced by the Delta path pinned to a version.
_SKIP = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|--[^\n]*|/\*.*?\*/"


def _pin(query: str, as_of) -> str:
    paths = _state["paths"]
    if isinstance(as_of, dict):
        wanted = {name.lower(): v for name, v in as_of.items()}
        unknown = [n for n in wanted if n not in paths]
        if unknown:
            raise KeyError(f"as_of names unknown tables {unknown}; tables: {list(paths)}")
    else:
        wanted = {name: as_of for name in paths}
    if not wanted:
        return query
    names = "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
    pattern = re.compile(rf"({_SKIP})|(?<![\w.`])({names})(?![\w`])(?!\s*\.\s*\w)", re.S | re.I)
    named = {m.group(2).lower() for m in pattern.finditer(query) if m.group(2)}
    versions = {name: _version_as_of(name, wanted[name]) for name in named}  # only the tables the query reads

    def repl(m):
        if m.group(1):
            return m.group(1)
        name = m.group(2).lower()
        return f"delta.`{paths[name]}` VERSION AS OF {versions[name]}"

    return pattern.sub(repl, query)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def sql(query: str, as_of=None) -> pd.DataFrame:
    """Runs Spark SQL over the tables by name and returns a pandas DataFrame.

    as_of: read the tables as of a Delta version (int) or a UTC timestamp ('2025-06-01 12:00:00',
    '2025-06-01', datetime): each table the query names at its last version committed at or before
    that moment (as `bin/atlas query --as-of`). Version numbers are per table, so an int is mostly
    useful for one table; a dict {'gold.country_scorecard': 3, 'ops.runs': '2025-06-01'} pins
    tables one by one. `VERSION AS OF n` / `TIMESTAMP AS OF '...'` in the SQL itself work too.
    Qualify columns with an alias (`FROM gold.model_reach r ... r.period`), not with the table name.
    """
    session()
    if as_of is not None:
        query = _pin(query, as_of)
    return to_pandas(_raw_sql(query))


def table(name: str, as_of=None) -> pd.DataFrame:
    """A whole table (optionally as of a version or timestamp) as a pandas DataFrame."""
    session()
    name = name.lower()
    if name not in _state["paths"]:
        raise KeyError(f"no table {name!r} in {_state['warehouse']}; tables: {list(_state['paths'])}")
    return sql(f"SELECT * FROM {name}", as_of=as_of)


def history(name: str) -> pd.DataFrame:
    """DESCRIBE HISTORY: one row per Delta version, newest first (version, timestamp, operation ...)."""
    session()
    return sql(f"DESCRIBE HISTORY {name.lower()}")


def describe(name: str) -> pd.DataFrame:
    """Columns of a table with their type and the comment that says what they mean."""
    d = sql(f"DESCRIBE TABLE {name.lower()}")
    stop = d.index[d["col_name"].str.startswith("#") | (d["col_name"].str.strip() == "")]
    return (d.loc[: stop[0] - 1] if len(stop) else d).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Spark rows -> pandas, driven by the schema
# ---------------------------------------------------------------------------------------------

_INTS = {"byte", "short", "integer", "long"}
_FLOATS = {"float", "double"}


def _type_name(t) -> str:
    if isinstance(t, dict):
        return t["type"]  # array, map, struct, udt
    return t.split("(")[0]  # decimal(10,2) -> decimal


def _rows(df) -> list:
    return _json_rows(df)


def to_pandas(df) -> pd.DataFrame:
    """A Spark DataFrame (pyspark, or Java through JPype) as a pandas DataFrame with stable dtypes."""
    fields = _schema_json(df)["fields"]
    names = [f["name"] for f in fields]
    # Positional names: duplicate column names (a join) survive the trip through JSON.
    tmp = [f"c{i}" for i in range(len(fields))]
    df = _rename(df, tmp)
    exprs = []
    for t, f in zip(tmp, fields):
        kind = _type_name(f["type"])
        if kind == "decimal":
            exprs.append(f"CAST({t} AS STRING) AS {t}")  # exact digits, to decimal.Decimal below
        elif kind == "date":
            exprs.append(f"unix_date({t}) AS {t}")  # days since 1970-01-01
        elif kind in ("timestamp", "timestamp_ntz"):
            exprs.append(f"unix_micros(CAST({t} AS TIMESTAMP)) AS {t}")
        else:
            exprs.append(t)
    rows = _json_rows(_select_exprs(df, exprs))
    # r.get: Spark leaves null fields out of the JSON.
    out = pd.DataFrame({i: _column([r.get(t) for r in rows], f) for i, (t, f) in enumerate(zip(tmp, fields))})
    out.columns = names
    return out


def _column(raw: list, field: dict) -> pd.Series:
    kind = _type_name(field["type"])
    nullable = field.get("nullable", True)
    has_null = any(v is None for v in raw)
    if kind in _INTS:
        if nullable or has_null:
            return pd.Series(pd.array(raw, dtype="Int64"))
        return pd.Series(raw, dtype="int64")
    if kind in _FLOATS:
        # Jackson writes NaN and infinities as strings.
        return pd.Series([float("nan") if v is None else float(v) for v in raw], dtype="float64")
    if kind == "boolean":
        if nullable or has_null:
            return pd.Series(pd.array(raw, dtype="boolean"))
        return pd.Series(raw, dtype="bool")
    if kind == "decimal":
        return pd.Series([None if v is None else decimal.Decimal(v) for v in raw], dtype="object")
    if kind == "date":
        return _datetimes(raw, 86_400_000_000_000)  # days -> ns
    if kind in ("timestamp", "timestamp_ntz"):
        return _datetimes(raw, 1_000)  # microseconds -> ns
    return pd.Series(raw, dtype="object")  # strings, arrays (lists), maps and structs (dicts)


def _datetimes(raw: list, ns_per_unit: int) -> pd.Series:
    """Integer days or microseconds since 1970 as datetime64[ns], exactly (no float rounding)."""
    import numpy as np

    lo, hi = -(2**63) // ns_per_unit + 1, (2**63 - 1) // ns_per_unit
    if any(v is not None and not lo <= int(v) <= hi for v in raw):  # outside 1677..2262
        unit = _dt.timedelta(microseconds=ns_per_unit // 1_000)
        epoch = _dt.datetime(1970, 1, 1)
        return pd.Series([None if v is None else epoch + int(v) * unit for v in raw], dtype="object")
    ns = np.array([0 if v is None else int(v) for v in raw], dtype="int64") * ns_per_unit
    out = pd.Series(ns.view("datetime64[ns]"))
    out[[v is None for v in raw]] = pd.NaT
    return out
