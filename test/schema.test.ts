/**
 * The JSON Schema for editors: the committed `schema.json` is exactly what `hyperfoil schema` generates (no
 * drift), an independent validator (ajv) accepts every reference and bundled example with it, and it rejects
 * what the reader rejects (an unknown property, a misspelled step).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { benchmarkJsonSchema } from '../src/config/index.js';
import { referenceExamples, repoRoot, SKIP_NO_REFERENCE } from './support/reference.js';

const committed = JSON.parse(readFileSync(join(repoRoot, 'schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ strict: false, allErrors: false }).compile(committed);

function valid(yaml: string): boolean {
  return validate(parse(yaml)) as boolean;
}

describe('benchmark JSON Schema', () => {
  it('is committed as generated (run `npx hyperfoil schema > schema.json` after changing a decoder)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(benchmarkJsonSchema())), committed);
  });

  it('accepts every reference example (divide.hf.yaml only with its extension: test/extensions-cli.test.ts)', { skip: SKIP_NO_REFERENCE }, () => {
    for (const file of referenceExamples()) {
      if (file.endsWith('divide.hf.yaml')) {
        assert.equal(valid(readFileSync(file, 'utf8')), false, 'divide is an extension, not a built-in step');
        continue;
      }
      assert.ok(valid(readFileSync(file, 'utf8')), `${file}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    }
  });

  it('accepts the bundled examples', () => {
    const dir = join(repoRoot, 'examples');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.hf.yaml'))) {
      assert.ok(valid(readFileSync(join(dir, name), 'utf8')), `${name}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    }
  });

  it('rejects an unknown property, a misspelled step and a wrong type', () => {
    const base = 'name: x\nphases:\n- main:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n        - noop\n';
    assert.ok(valid(base));
    assert.equal(valid(`${base}nme: y\n`), false);
    assert.equal(valid(base.replace('- noop', '- nop')), false);
    assert.equal(valid(base.replace('users: 1', 'users: [1]')), false);
  });
});
