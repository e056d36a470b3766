#!/usr/bin/env node
// Entry point of the `hyperfoil` command: the compiled CLI lives in dist/ (built by `npm install`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
