#!/usr/bin/env python3
"""Independent plain-Python re-implementation of the trec_eval measures the
engine reports, used as the reference the C++ metrics are tested against.

Written from trec_eval's documented semantics (usnistgov/trec_eval 9.x help
texts and measure definitions), not from the engine's code:

* The run's rank column is ignored. Each topic's documents are ordered by score
  descending, ties broken by docno descending (string comparison), exactly as
  trec_eval sorts them before evaluating. A docno listed twice for one topic is
  an error, as in trec_eval.
* A document is relevant when its qrels value is >= 1 (trec_eval's default
  relevance level). Unjudged documents and negative values are not relevant and
  carry no gain.
* ndcg_cut.k (Jarvelin & Kekalainen, trec_eval >= 9.0.5 discount): the gain of
  the document at rank r is its qrels value, discounted by log2(r + 1); the
  ideal DCG sorts every judged document of the topic by value, cut at k.
* P.k divides by k even when fewer than k documents were retrieved.
  recall.k = relevant in the top k / relevant judged. recip_rank = 1 / rank of
  the first relevant document. map = sum of precision at each relevant
  retrieved document / relevant judged. success.k = 1 when any relevant
  document is in the top k. map_cut.k and recip_rank within k restrict the same
  sums to the top k.
* Topics averaged: like `trec_eval -c`, every qrels topic counts, a topic with
  nothing retrieved scores 0; run topics without qrels are ignored. Topics
  whose judgements are all below 1 are left out unless --include-no-relevant
  is given (trec_eval 9 scores them 0).

Usage: trec_eval.py QRELS RUN --metrics ndcg@10,recall@100,p@10,mrr,map,hit@10
       [--include-no-relevant]
Prints one JSON object: {"num_q", "measures", "mean", "per_query",
"missing_from_run", "no_relevant"}.
"""

import argparse
import json
import math
import sys
from collections import defaultdict

ALIASES = {
    "ndcg": "ndcg", "ndcg_cut": "ndcg",
    "recall": "recall",
    "p": "p", "precision": "p",
    "mrr": "mrr", "recip_rank": "mrr",
    "map": "map", "map_cut": "map",
    "hit": "hit", "hits": "hit", "success": "hit",
}


def parse_measure(name):
    text = name.strip().lower()
    base, cutoff = text, None
    for sep in ("@", "."):
        if sep in text:
            base, _, rest = text.partition(sep)
            cutoff = int(rest)
            if cutoff < 1:
                raise ValueError("bad cutoff in " + name)
            break
    if base not in ALIASES:
        raise ValueError("unknown measure " + name)
    kind = ALIASES[base]
    if cutoff is None and kind in ("p", "hit"):
        raise ValueError(name + " needs a cutoff")
    label = kind if cutoff is None else "%s@%d" % (kind, cutoff)
    return kind, cutoff, label


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                sys.exit("%s:%d: expected 4 fields" % (path, number))
            topic, _iteration, docno, value = parts
            value = int(value)
            if docno in qrels[topic] and qrels[topic][docno] != value:
                sys.exit("%s:%d: conflicting judgement" % (path, number))
            qrels[topic][docno] = value
    return qrels


def read_run(path):
    retrieved = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 6:
                sys.exit("%s:%d: expected 6 fields" % (path, number))
            topic, _q0, docno, _rank, score, _tag = parts
            retrieved[topic].append((float(score), docno))
    ordered = {}
    for topic, docs in retrieved.items():
        names = [docno for _score, docno in docs]
        if len(set(names)) != len(names):
            sys.exit("duplicate docno for topic " + topic)
        # (score, docno) descending: higher score first, ties by larger docno.
        docs.sort(reverse=True)
        ordered[topic] = [docno for _score, docno in docs]
    return ordered


def dcg(gains):
    total = 0.0
    for position, gain in enumerate(gains):
        rank = position + 1
        if gain > 0:
            total += gain / math.log2(rank + 1)
    return total


def measure(kind, cutoff, ranking, judged):
    relevant_total = sum(1 for value in judged.values() if value >= 1)
    top = ranking if cutoff is None else ranking[:cutoff]
    values = [judged.get(docno, 0) for docno in top]
    hits = [value >= 1 for value in values]
    if kind == "ndcg":
        ideal_values = sorted((v for v in judged.values() if v > 0), reverse=True)
        if cutoff is not None:
            ideal_values = ideal_values[:cutoff]
        ideal = dcg(ideal_values)
        return dcg(values) / ideal if ideal > 0 else 0.0
    if kind == "recall":
        return sum(hits) / relevant_total if relevant_total else 0.0
    if kind == "p":
        return sum(hits) / cutoff
    if kind == "mrr":
        for position, hit in enumerate(hits):
            if hit:
                return 1.0 / (position + 1)
        return 0.0
    if kind == "map":
        if not relevant_total:
            return 0.0
        found, precision_sum = 0, 0.0
        for position, hit in enumerate(hits):
            if hit:
                found += 1
                precision_sum += found / (position + 1)
        return precision_sum / relevant_total
    if kind == "hit":
        return 1.0 if any(hits) else 0.0
    raise ValueError(kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qrels")
    parser.add_argument("run")
    parser.add_argument("--metrics", default="ndcg@10,recall@100,p@10,mrr,map,hit@10")
    parser.add_argument("--include-no-relevant", action="store_true")
    args = parser.parse_args()

    measures = [parse_measure(name) for name in args.metrics.split(",") if name.strip()]
    qrels = read_qrels(args.qrels)
    run = read_run(args.run)

    per_query, missing, no_relevant = {}, [], []
    for topic in sorted(qrels):
        judged = qrels[topic]
        if not any(value >= 1 for value in judged.values()):
            no_relevant.append(topic)
            if not args.include_no_relevant:
                continue
        ranking = run.get(topic, [])
        if not ranking:
            missing.append(topic)
        per_query[topic] = {label: measure(kind, cutoff, ranking, judged) for kind, cutoff, label in measures}

    count = len(per_query)
    mean = {label: (sum(row[label] for row in per_query.values()) / count if count else 0.0)
            for _kind, _cutoff, label in measures}
    json.dump({"num_q": count, "measures": [label for _k, _c, label in measures], "mean": mean,
               "per_query": per_query, "missing_from_run": missing, "no_relevant": no_relevant},
              sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
