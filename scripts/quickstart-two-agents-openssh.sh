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

url=""
for _ in $(seq 100); do
  url="$(sed -n 's/.*listening on \(http:\/\/[^;]*\);.*/\1/p' "$work/controller.log" | head -1)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the controller did not start:" >&2; cat "$work/controller.log" >&2; exit 1; }

# The quickstart as a user types it, through the shell on a pipe.
set +e
printf 'connect %s\nupload %s\nrun\nwait\nstats\n' "$url" "$work/two-agents.hf.yaml" \
  | node "$repo/bin/hyperfoil.js" cli | tee "$work/cli.log"
cli_exit=${PIPESTATUS[1]}
set -e
# The shell exits with the outcome of the run `wait` saw. The quickstart keeps Hyperfoil's default SLA (blockedRatio
# 0) with one shared connection per agent, so whenever two of an agent's requests overlap the run fails that SLA, as
# it does in Hyperfoil: exit 1 with that message is the quickstart's own verdict; any other failure is ours.
if [ "$cli_exit" -ne 0 ] && ! { [ "$cli_exit" -eq 1 ] && grep -q 'Progress was blocked waiting for a free connection' "$work/cli.log"; }; then
  echo "two-agents quickstart: the shell exited $cli_exit (logs in $work)" >&2
  exit 1
fi

# What the run must show: ~100 requests split between both agents, per-agent counts adding up to the total, and
# merged percentiles equal to those of the union of both agents' histograms (merged, never averaged).
URL="$url" REPO="$repo" node --input-type=module <<'EOF'
import { createRequire } from 'node:module';
const require = createRequire(`${process.env.REPO}/package.json`);
const hdr = require('hdr-histogram-js');
const url = process.env.URL;
const get = async (path) => {
  const response = await fetch(`${url}${path}`);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const fail = (message) => { console.error(`two-agents quickstart: ${message}`); process.exit(1); };
const run = await get('/run/last');
const all = await get(`/run/${run.id}/stats/all/json`);
if (run.errors.length > 0) fail(`run errors: ${run.errors.join('; ')}`);
if (!run.agents.every((a) => a.status === 'STOPPED')) fail(`agents: ${JSON.stringify(run.agents)}`);
const total = all.stats.reduce((n, s) => n + s.total.summary.requestCount, 0);
// 10 users/s for 10 s with Poisson arrivals: 100 expected, standard deviation 10; 3.5 sd each side.
if (total < 65 || total > 135) fail(`${total} requests, expected about 100`);
const perAgent = Object.fromEntries(all.agents.map((a) => [a.name, a.stats.reduce((n, s) => n + s.total.summary.requestCount, 0)]));
if (Object.keys(perAgent).sort().join() !== 'agent-one,agent-two') fail(`agents in all.json: ${Object.keys(perAgent)}`);
if (Object.values(perAgent).some((n) => n === 0)) fail(`an agent did no request: ${JSON.stringify(perAgent)}`);
if (perAgent['agent-one'] + perAgent['agent-two'] !== total) fail(`per-agent ${JSON.stringify(perAgent)} do not add up to ${total}`);
const totals = (await get(`/run/${run.id}/stats/total`)).statistics;
const decode = (item) => hdr.decodeFromCompressedBase64(item.data, 32, false);
for (const stat of totals) {
  const query = `phase=${encodeURIComponent(stat.phase)}&stepId=${stat.stepId}&metric=${encodeURIComponent(stat.metric)}`;
  const merged = decode((await get(`/run/${run.id}/stats/histogram?${query}`))[0]);
  const union = hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: merged.highestTrackableValue, numberOfSignificantValueDigits: 2, useWebAssembly: false });
  for (const agent of ['agent-one', 'agent-two']) union.add(decode((await get(`/run/${run.id}/stats/histogram?${query}&agent=${agent}`))[0]));
  if (union.totalCount !== stat.summary.responseCount) fail(`${stat.metric}: union has ${union.totalCount} samples, total ${stat.summary.responseCount}`);
  for (const [key, p] of [['50.0', 50], ['90.0', 90], ['99.0', 99], ['99.9', 99.9], ['99.99', 99.99]]) {
    const fromUnion = union.getValueAtPercentile(p);
    if (merged.getValueAtPercentile(p) !== fromUnion) fail(`${stat.metric} p${p}: merged ${merged.getValueAtPercentile(p)} != union ${fromUnion}`);
    if (stat.summary.percentileResponseTime[key] !== fromUnion) fail(`${stat.metric} p${p}: reported ${stat.summary.percentileResponseTime[key]} != union ${fromUnion}`);
  }
}
console.log(`run ${run.id}: ${total} requests ${JSON.stringify(perAgent)}; merged percentiles equal the union's`);
EOF
echo "two-agents quickstart over OpenSSH: passed (logs in $work)"
