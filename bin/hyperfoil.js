#!/usr/bin/env node
// Entry point of the `hyperfoil` command: the compiled CLI lives in dist/ (built by `npm install`).
import { main } from '../dist/src/cli/main.js';

// `hyperfoil schema | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
