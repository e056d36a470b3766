#!/usr/bin/env node
// Builds the single-file agent bundle from the compiled dist/ (run after `tsc`):
//   node scripts/build-agent-bundle.mjs   → dist/agent-bundle/hyperfoil-agent.mjs
import { buildAgentBundle } from '../dist/src/deploy/ssh/agent-bundle.js';

const bundle = await buildAgentBundle();
console.log(`agent bundle: ${bundle.path} (${Math.round(bundle.content.length / 1024)} KiB, sha256 ${bundle.sha256.slice(0, 12)}…)`);
