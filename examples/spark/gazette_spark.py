#!/usr/bin/env python3
"""Run gazette over a JSON Lines corpus with Apache Spark.

Spark splits the corpus (one article per line: id, text, optional date,
url, title) into partitions; each partition is piped through one
`gazette extract --stream` process (RDD.pipe), which answers with one
JSON line per article: {"document": {...}, "entities": [...], "events": [...]}.
The events are written as a CSV table with the same columns, cell rules
and quoting as gazette's own events.csv.

    spark-submit examples/spark/gazette_spark.py \\
        --input corpus.jsonl --output out/ --gazette /usr/local/bin/gazette \\
        -- --dct 2021-11-24

Everything after `--` is passed to `gazette extract --stream` (for example
--dct, --day-first, --gazetteers DIR: the folder must exist on every
worker). On a cluster, ship the binary with `spark-submit --files
/path/to/gazette` and pass `--gazette ./gazette`.

Output: OUTPUT/events/part-*.csv (Spark writes a folder of parts; with
--tables you can add entities and documents). A partition whose gazette
process fails makes the job fail; bad input lines are not failures: they
come back as documents with status "error", as in documents.csv.
"""

import argparse
import json
import shlex
import sys

# The columns of gazette's tables, in order (src/output/mod.rs).
HEADERS = {
    "entities": ["doc", "sentence", "start", "end", "type", "text", "canonical", "code",
                 "country", "source"],
    "events": ["doc", "sentence", "date", "date_text", "source", "source_code", "source_agent",
               "code", "label", "target", "target_code", "target_agent", "quad_class", "goldstein",
               "mentions", "trigger", "rule", "evidence"],
    "documents": ["doc", "bytes", "sentences", "dct", "dct_source", "entities", "events",
                  "status", "message", "title", "url"],
}


def cell(value, raw_cells):
    """A value as gazette's CSV writes it: numbers as written in the JSON,
    text with a leading ' when it starts like a formula (unless raw)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = "" if value is None else str(value)
    if not raw_cells and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def rows(line, table, raw_cells):
    """The rows of one table in one gazette --stream line."""
    record = json.loads(line)
    items = [record["document"]] if table == "documents" else record[table]
    return [tuple(cell(item[c], raw_cells) for c in HEADERS[table]) for item in items]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="JSON Lines corpus (any path Spark reads)")
    p.add_argument("--output", required=True, help="folder for the tables (one sub-folder each)")
    p.add_argument("--gazette", default="gazette", help="the gazette binary on the workers")
    p.add_argument("--tables", default="events",
                   help="comma-separated tables to write: events, entities, documents")
    p.add_argument("--partitions", type=int, default=None, help="number of partitions")
    p.add_argument("--raw-cells", action="store_true", help="as gazette's --raw-cells")
    p.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    p.add_argument("gazette_args", nargs="*", help="after --: more `gazette extract` flags")
    args = p.parse_args(argv)
    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    for t in tables:
        if t not in HEADERS:
            p.error(f"unknown table {t!r} (events, entities, documents)")

    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType, StructField, StructType

    builder = SparkSession.builder.appName("gazette").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")

    corpus = sc.textFile(args.input, minPartitions=args.partitions)
    # Blank lines are no articles; gazette skips them too, keeping
    # one output line per input line.
    articles = corpus.filter(lambda line: line.strip() != "")
    command = " ".join(shlex.quote(a) for a in
                       [args.gazette, "extract", "--stream", "--quiet", *args.gazette_args])
    # gazette exits 1 when some articles failed (they are in the output as
    # documents with status "error"), so the exit code is not checked here;
    # instead every article must have come back.
    results = articles.pipe(command, checkCode=False).cache()
    sent, got = articles.count(), results.count()
    if sent != got:
        raise SystemExit(f"gazette_spark: {sent} articles sent but {got} results came back; "
                         "see the executors' stderr for gazette's messages")

    raw = args.raw_cells
    for table in tables:
        schema = StructType([StructField(c, StringType(), True) for c in HEADERS[table]])
        data = results.flatMap(lambda line, t=table: rows(line, t, raw))
        (spark.createDataFrame(data, schema)
         .write.mode("overwrite")
         .option("header", True)
         .option("quote", '"')
         .option("escape", '"')       # RFC 4180 "" inside quoted cells, like gazette
         .option("emptyValue", "")    # empty cells stay empty, not ""
         .option("ignoreLeadingWhiteSpace", False)   # Spark trims by default
         .option("ignoreTrailingWhiteSpace", False)
         .csv(f"{args.output.rstrip('/')}/{table}"))
    print(f"gazette_spark: {got} articles → {', '.join(tables)} in {args.output}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
