"""Trust Atlas nightly run on a Spark cluster, scheduled by Airflow (example).

One DAG run per day processes that day's usage-log partition: `nightly --date {{ ds }}`.
`{{ ds }}` is the start of the data interval, so the run that starts after midnight UTC
processes the day that just ended, and a backfill or "clear" of any past day re-processes exactly
that day (a `--date` run replaces its earlier results, so retries and re-runs are idempotent).

The interface between Airflow and the job is:
  * the exit code of spark-submit (client deploy mode): 0 success, 1 failure, 2 bad command line
    or configuration, 3 a data-quality expectation set to `fail` was violated (nothing of that
    step was committed). SparkSubmitOperator fails the task on any non-zero code; a failed run
    never exits 0.
  * the run manifest `<warehouse>/_manifests/<run_id>.json` (run ids start with the run date),
    also one row per run in the Delta table `ops.runs`. `check_manifest` below reads it and
    publishes the output table versions to XCom for downstream tasks.

Requirements:
  * apache-airflow-providers-apache-spark (SparkSubmitOperator) and, for `check_manifest`,
    apache-airflow-providers-amazon (S3Hook).
  * A Spark connection `spark_trust_atlas`: host `spark://spark-master:7077` (or `yarn`, or
    `k8s://https://...`), extra `{"deploy-mode": "client"}`. Client mode keeps the exact exit
    code; in cluster mode spark-submit only reports success or failure, and the manifest tells
    which.
  * `trust-atlas-spark.jar` (built by `mvn -B -DskipTests package`, in `jobs/target/`) where the
    Airflow worker can read it. Delta is inside the jar; S3A is not: `packages` below adds
    hadoop-aws 3.4.2 (the Hadoop line of Spark 4.1). Drop it when the cluster's classpath
    already has hadoop-aws and the AWS SDK.
  * S3 credentials from the usual providers on the Spark nodes (instance profile / IRSA, or
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in their environment): never in `conf` or
    `application_args`, which end up in logs and in the Spark UI.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pendulum

try:  # Airflow 3
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.decorators import task

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

BUCKET = "my-data-bucket"
PREFIX = "trust-atlas"
INPUT = f"s3a://{BUCKET}/{PREFIX}/input"
WAREHOUSE = f"s3a://{BUCKET}/{PREFIX}/warehouse"
JAR = "/opt/trust-atlas/trust-atlas-spark.jar"

with DAG(
    dag_id="trust_atlas_nightly",
    description="Trust Atlas: bronze -> silver -> gold for one run date",
    schedule="30 2 * * *",  # 02:30 UTC, after the day's log partition has landed
    start_date=pendulum.datetime(2025, 4, 1, tz="UTC"),
    catchup=True,  # backfills run one date each
    max_active_runs=1,  # one writer per warehouse (a second run would stop at the lock)
    default_args={
        "owner": "data-engineering",
        "retries": 2,  # transient failures (spot executors, S3 throttling); re-runs are safe
        "retry_delay": timedelta(minutes=10),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=3),
    },
    tags=["trust-atlas", "spark"],
) as dag:
    nightly = SparkSubmitOperator(
        task_id="nightly",
        conn_id="spark_trust_atlas",
        application=JAR,
        java_class="org.trustatlas.cli.AtlasCli",
        name="trust-atlas-nightly-{{ ds }}",
        packages="org.apache.hadoop:hadoop-aws:3.4.2",
        conf={
            # S3A settings (no keys here). Same as the config file's `s3:` section.
            "spark.hadoop.fs.s3a.endpoint.region": "eu-west-1",
            "spark.hadoop.fs.s3a.aws.credentials.provider": (
                "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"
            ),
            "spark.executor.memory": "4g",
            "spark.cores.max": "8",
            "spark.sql.shuffle.partitions": "64",
        },
        application_args=[
            "nightly",
            "--date",
            "{{ ds }}",
            "--input",
            INPUT,
            "--warehouse",
            WAREHOUSE,
        ],
        verbose=False,
    )

    @task(retries=0)
    def check_manifest(ds: str | None = None) -> dict:
        """Reads the newest manifest of this run date; fails unless its status is success."""
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook

        hook = S3Hook(aws_conn_id="aws_default")
        keys = hook.list_keys(bucket_name=BUCKET, prefix=f"{PREFIX}/warehouse/_manifests/{ds}_")
        if not keys:
            raise RuntimeError(f"no run manifest for {ds}")
        # Run ids are <date>_<UTC start yyyyMMdd'T'HHmmss'Z'>_<random>: the newest sorts last.
        manifest = json.loads(hook.read_key(sorted(keys)[-1], bucket_name=BUCKET))
        if manifest["status"] != "success":
            raise RuntimeError(f"run {manifest['run_id']}: {manifest['status']}: {manifest['error']}")
        return {
            "run_id": manifest["run_id"],
            "duration_s": manifest["duration_s"],
            "output_versions": manifest["output_versions"],
        }

    nightly >> check_manifest()
