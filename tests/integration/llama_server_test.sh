#!/usr/bin/env bash
# Chat (streamed), usage accounting and embeddings through the engine's providers
# against a real llama-server on loopback. Usage: ragwb llama-server model.gguf repo
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
echo "1 passed, 0 failed"
