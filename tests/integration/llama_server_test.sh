#!/usr/bin/env bash
# Chat (streamed), usage accounting, embeddings, a HyDE transform and LLM-judged
# metrics through the engine's providers against a real llama-server on loopback. Usage: ragwb llama-server model.gguf repo
set -euo pipefail
ragwb="$1"; server="$2"; model="$3"; repo="$4"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
chat_port="$(free_port)"; emb_port="$(free_port)"
"$server" -m "$model" --host 127.0.0.1 --port "$chat_port" -c 256 -np 1 >"$work/chat.log" 2>&1 & pids+=($!)
"$server" -m "$model" --host 127.0.0.1 --port "$emb_port" -c 256 -np 1 --embeddings --pooling mean >"$work/emb.log" 2>&1 & pids+=($!)
for port in "$chat_port" "$emb_port"; do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.25
  done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || { echo "llama-server on $port did not start"; cat "$work"/*.log; exit 1; }
done
export OPENAI_API_KEY="sk-integration-test-key"

# Embeddings: one unit-length vector per line, dimension probed from the server.
printf 'hello world\nretrieval augmented generation\nthe same text\nthe same text\n' >"$work/texts.txt"
"$ragwb" embed --embedder openai:tiny --base-url "http://127.0.0.1:$emb_port/v1" --texts "$work/texts.txt" -q >"$work/vectors.txt"
python3 - "$work/vectors.txt" <<'PY'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 4, len(rows)
dims = {len(r) for r in rows}
assert len(dims) == 1 and dims.pop() > 0
for r in rows:
    assert abs(math.sqrt(sum(x * x for x in r)) - 1.0) < 1e-4
assert rows[2] == rows[3], "identical texts must embed identically"
assert rows[0] != rows[1]
print("embeddings ok:", len(rows), "x", len(rows[0]))
PY

# Chat: a streamed answer over retrieved context, with usage from the server.
"$ragwb" eval --beir "$repo/resources/demo" --retriever bm25 --project "$work/demo.ragwb" -q >/dev/null
"$ragwb" ask "$work/demo.ragwb" "compare runs" --chat llamacpp:tiny --base-url "http://127.0.0.1:$chat_port" \
  --max-tokens 16 --budget 120 --top-k 2 >"$work/answer.txt" 2>"$work/ask.err"
test -s "$work/answer.txt" || { echo "no streamed text"; cat "$work/ask.err"; exit 1; }
grep -q "usage [0-9]* in / 16 out" "$work/ask.err" || { echo "no usage accounting"; cat "$work/ask.err"; exit 1; }
if grep -rq "$OPENAI_API_KEY" "$work/ask.err" "$work/demo.ragwb"; then echo "key leaked"; exit 1; fi
echo "chat ok: $(head -c 60 "$work/answer.txt" | tr -d '\n')"
# A HyDE query transform: the real model writes the hypothetical passage that the
# dense and hybrid lanes would search with; usage comes from the server.
"$ragwb" query "$work/demo.ragwb" "compare runs" --retriever bm25 --transform hyde --variants 1 \
  --chat llamacpp:tiny --base-url "http://127.0.0.1:$chat_port/v1" >"$work/query.txt" 2>"$work/query.err"
grep -q "^hyde passage 1: ." "$work/query.err" || { echo "no hyde passage"; cat "$work/query.err"; exit 1; }
grep -q "1 answered call(s), [0-9]* in / [0-9]* out tokens" "$work/query.err" || { echo "no transform usage"; cat "$work/query.err"; exit 1; }
test -s "$work/query.txt" || { echo "no results after the transform"; exit 1; }
echo "hyde ok"
# LLM-judged metrics with the real server as judge: a random-weights model never
# returns valid judge JSON within its 256-token context, so every judged score must
# come out unmeasured (never averaged as 0) and --fail-under must fail (exit 3).
"$ragwb" evalset import --project "$work/demo.ragwb" --beir "$repo/resources/demo" >/dev/null
set +e
"$ragwb" judge --project "$work/demo.ragwb" --eval-set demo --judge llamacpp:tiny \
  --base-url "http://127.0.0.1:$chat_port/v1" --limit 2 --judge-attempts 2 --context-chunks 1 \
  --fail-under faithfulness=0.5 -q >"$work/judge.txt" 2>"$work/judge.err"
code=$?
set -e
test "$code" = 3 || { echo "judge exit $code, expected 3"; cat "$work/judge.txt" "$work/judge.err"; exit 1; }
for metric in faithfulness answer_relevance context_precision context_recall; do
  grep -Eq "^  $metric +n/a +measured 0/2" "$work/judge.txt" || { echo "$metric not unmeasured"; cat "$work/judge.txt"; exit 1; }
done
grep -Eq "judge +[1-9][0-9]* calls" "$work/judge.txt" || { echo "the judge was never called"; cat "$work/judge.txt"; exit 1; }
echo "judge ok: every score unmeasured, exit 3"
echo "1 passed, 0 failed"
