#!/usr/bin/env bash
# Hyperfoil's clustered quickstart (two-agents.hf.yaml) against a REAL OpenSSH server on 127.0.0.1:22, as a user
# would run it: `hyperfoil controller` with the default ssh deployer, the example server on :8080, the benchmark
# uploaded and started over REST. Meant for CI machines (run as root, Debian): it installs openssh-server if
# needed, creates ~/.ssh/id_rsa if absent, authorizes it for the local sshd, and stops everything it started.
#
#   bash scripts/quickstart-two-agents-openssh.sh [path/to/two-agents.hf.yaml]
#
# Environment: EXAMPLE_PORT (default 8080; the benchmark's localhost:8080 is rewritten to it), SSH_PORT (default 22).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
benchmark="${1:-$repo/../shared/hyperfoil-reference/examples/two-agents.hf.yaml}"
example_port="${EXAMPLE_PORT:-8080}"
ssh_port="${SSH_PORT:-22}"
work="$(mktemp -d /tmp/hf-quickstart-XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$work/sshd.pid" ]; then kill "$(cat "$work/sshd.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT

[ -f "$benchmark" ] || { echo "benchmark $benchmark not found" >&2; exit 2; }
if [ ! -x /usr/sbin/sshd ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
fi

# The key the ssh deployer uses by default (sshKey: id_rsa in ~/.ssh), authorized for this user.
mkdir -p ~/.ssh && chmod 700 ~/.ssh
[ -f ~/.ssh/id_rsa ] || ssh-keygen -q -t rsa -b 3072 -N '' -f ~/.ssh/id_rsa
touch ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys
grep -qxF "$(cat ~/.ssh/id_rsa.pub)" ~/.ssh/authorized_keys || cat ~/.ssh/id_rsa.pub >> ~/.ssh/authorized_keys

# sshd on loopback only, with its own host key and pid file (no system service needed).
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
/usr/sbin/sshd -p "$ssh_port" -o ListenAddress=127.0.0.1 -o HostKey="$work/host_key" -o PidFile="$work/sshd.pid" \
  -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o UsePAM=no

node "$repo/bin/hyperfoil.js" example-server --port "$example_port" --no-https -q > "$work/example-server.log" 2>&1 &
pids+=($!)
node "$repo/bin/hyperfoil.js" controller --port 0 --root-dir "$work/root" > "$work/controller.log" 2>&1 &
pids+=($!)

sed -e "s/localhost:8080/localhost:$example_port/" -e "s/localhost:22\$/localhost:$ssh_port/" -e "s/port: 22\$/port: $ssh_port/" \
  "$benchmark" > "$work/two-agents.hf.yaml"

WORK="$work" node --input-type=module <<'EOF'
import { readFileSync } from 'node:fs';
const work = process.env.WORK;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let url;
for (let i = 0; i < 100 && !url; i++) {
  await sleep(100);
  url = /listening on (http:\/\/\S+?);/.exec(readFileSync(`${work}/controller.log`, 'utf8'))?.[1];
}
if (!url) throw new Error(`the controller did not start:\n${readFileSync(`${work}/controller.log`, 'utf8')}`);
const upload = await fetch(`${url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: readFileSync(`${work}/two-agents.hf.yaml`) });
if (upload.status !== 204) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
const startedAt = Date.now();
const start = await fetch(`${url}/benchmark/two-agents/start`);
if (start.status !== 202) throw new Error(`start: ${start.status} ${await start.text()}`);
const { id } = await start.json();
let run;
let deployMs;
for (let i = 0; i < 600; i++) {
  await sleep(100);
  run = await (await fetch(`${url}/run/${id}`)).json();
  if (deployMs === undefined && run.started !== undefined) deployMs = Date.now() - startedAt;
  if (run.completed) break;
}
const stats = await (await fetch(`${url}/run/${id}/stats/total`, { headers: { accept: 'application/json' } })).json();
const requests = (stats.statistics ?? []).reduce((sum, s) => sum + (s.summary?.requestCount ?? 0), 0);
console.log(`run ${id}: deploy ${deployMs} ms, agents ${run.agents.map((a) => `${a.name}[${a.status}]`).join(', ')}, ${requests} requests, errors ${JSON.stringify(run.errors)}`);
// 10 users/s for 10 s with Poisson arrivals: about 100 requests, standard deviation 10; ±3.5 sd.
const ok = run.completed && run.errors.length === 0 && run.agents.every((a) => a.status === 'STOPPED') && requests >= 65 && requests <= 135;
if (!ok) {
  console.log(readFileSync(`${work}/controller.log`, 'utf8'));
  process.exit(1);
}
EOF
echo "two-agents quickstart over OpenSSH: passed (logs in $work)"
