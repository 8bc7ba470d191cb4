#!/usr/bin/env python3
"""The Spark job of Scripts/spark-demo: pipes a JSONL file through `hanpipe annotate --jsonl` with
RDD.pipe and writes the result, one output record per input line, in input order.

    spark_job.py MASTER HANPIPE_BINARY INPUT.jsonl OUTPUT.jsonl [PARTITIONS]

The binary is shipped with SparkContext.addFile (the programmatic form of `spark-submit --files`), so
no node needs hanpipe installed. Where a task finds it depends on the deployment, and Spark itself
decides: executors on a cluster fetch shipped files into their working directory, so the command is
`./hanpipe`; in local mode the executors share the driver's SparkEnv and the file sits in
SparkFiles.getRootDirectory(). Each record is independent, so partitions may be cut anywhere.
"""
import os
import sys
import time

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def main():
    master, binary, src, dst = sys.argv[1:5]
    partitions = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    spark = (SparkSession.builder.master(master).appName("hanpipe-annotate")
             .config("spark.ui.enabled", "false").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    sc.addFile(binary)
    name = os.path.basename(binary)
    exe = SparkFiles.get(name) if master.startswith("local") else "./" + name
    # -j 1: Spark already runs one task per core; hanpipe's own threads would oversubscribe them.
    command = f"{exe} annotate --jsonl -j 1"
    t0 = time.perf_counter()
    lines = sc.textFile(src, minPartitions=partitions)
    out = lines.pipe(command, checkCode=True)
    result = out.collect()       # partition order = file order, and pipe keeps order inside a partition
    dt = time.perf_counter() - t0
    with open(dst, "w", encoding="utf-8") as f:
        for line in result:
            f.write(line + "\n")
    print(f"spark: master={master} partitions={lines.getNumPartitions()} records_in={lines.count()} "
          f"records_out={len(result)} command={command!r} seconds={dt:.1f}")
    spark.stop()


if __name__ == "__main__":
    main()
