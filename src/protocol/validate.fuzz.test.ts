/**
 * Mutation fuzzing of the agent-message validator: tens of thousands of damaged variants of valid messages. Each must
 * either be accepted, as a message that validates again to the same value, or be refused with a ProtocolError —
 * never another exception.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../lib/prng.js';
import { parseAgentMessage, ProtocolError } from './index.js';
import { encodeFuzzMessage, mutateMessage, validTemplates } from './test-support.js';

describe('agent message validator under mutation', () => {
  it('accepts or refuses with a ProtocolError, for 10 000 mutations of every message type', () => {
    const seed = 20261204;
    const random = mulberry32(seed);
    const templates = validTemplates(random);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      const template = templates[i % templates.length]!;
      const mutated = encodeFuzzMessage(mutateMessage(random, template));
      try {
        const message = parseAgentMessage(mutated);
        accepted++;
        assert.deepEqual(parseAgentMessage(JSON.stringify(message)), message, `seed ${seed}, case ${i}: an accepted message validates again`);
      } catch (error) {
        if (!(error instanceof ProtocolError)) {
          assert.fail(`seed ${seed}, case ${i}: ${String(mutated).slice(0, 300)} threw ${(error as Error).stack}`);
        }
        assert.ok(error.message.length < 400, `the reason stays one short line: ${error.message.slice(0, 100)}…`);
        refused++;
      }
    }
    // Both outcomes occur, or the mutations would not be exercising the validator.
    console.log(`# ${accepted} accepted, ${refused} refused`);
    assert.ok(accepted > 200 && refused > 5_000, `accepted ${accepted}, refused ${refused}`);
  });
});
