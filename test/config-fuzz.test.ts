/**
 * Mutation fuzzing of the benchmark reader: thousands of damaged variants of the example benchmarks (deleted or
 * duplicated lines, swapped and replaced values, broken indentation, random bytes, truncation). Every one must end in
 * a valid benchmark or a BenchmarkError whose problems carry positions — never another exception, never a hang.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseBenchmark } from '../src/config/index.js';
import { BenchmarkError } from '../src/lib/index.js';
import { referenceExamples, SKIP_NO_REFERENCE } from './support/reference.js';
import { mulberry32 as rng } from '../src/lib/prng.js';


const TOKENS = ['-1', '0', '1e999', '[', '{', '}', ']', '!param X', '!concat', '!foreach', '*nope', '&a', '~', 'null',
  '"', "'", ':', '- ', '10 ms', '5x', 'true', 'NaN', '${', '$${x}', '${urlencode:}', '\t', '%', '@', '|', '>', '#',
  'a'.repeat(300), '999999999999999999999', '.[]', 'x <- 1 .. 0', '0.5', 'constantRate', 'phases', 'http://h/p'];

function mutate(text: string, random: () => number): string | Buffer {
  const lines = text.split('\n');
  const pick = (n: number): number => Math.floor(random() * n);
  const line = pick(lines.length);
  switch (pick(8)) {
    case 0: lines.splice(line, 1); break;
    case 1: lines.splice(line, 0, lines[pick(lines.length)] ?? ''); break;
    case 2: { // swap the values of two `key: value` lines
      const other = pick(lines.length);
      const a = /^(\s*-?\s*[^:#]+:\s*)(.+)$/.exec(lines[line] ?? '');
      const b = /^(\s*-?\s*[^:#]+:\s*)(.+)$/.exec(lines[other] ?? '');
      if (a && b) {
        lines[line] = `${a[1]}${b[2]}`;
        lines[other] = `${b[1]}${a[2]}`;
      }
      break;
    }
    case 3: lines[line] = (lines[line] ?? '').replace(/:\s*(.+)$/, `: ${TOKENS[pick(TOKENS.length)]}`); break;
    case 4: lines[line] = ' '.repeat(pick(5)) + (lines[line] ?? '').trimStart(); break;
    case 5: return text.slice(0, pick(text.length));
    case 6: {
      const bytes = Buffer.from(text);
      for (let i = 0; i < 1 + pick(4); i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    }
    default: lines[line] = `${lines[line] ?? ''} ${TOKENS[pick(TOKENS.length)]}`;
  }
  return lines.join('\n');
}

describe('benchmark reader under mutation', { skip: SKIP_NO_REFERENCE }, () => {
  it('ends every mutated example in a valid benchmark or a positioned BenchmarkError', () => {
    const examples = referenceExamples().map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    assert.ok(examples.length >= 10, 'the reference examples are there');
    const CASES = 3000;
    let valid = 0;
    let invalid = 0;
    const started = Date.now();
    for (let n = 0; n < CASES; n++) {
      const random = rng(n);
      const example = examples[n % examples.length] as { path: string; text: string };
      let input: string | Buffer = example.text;
      for (let m = 0; m < 1 + Math.floor(random() * 3); m++) input = mutate(typeof input === 'string' ? input : input.toString('latin1'), random);
      // Resolve data files next to the real example; the fake name keeps messages short.
      const fileName = join(dirname(example.path), basename(example.path));
      const caseStarted = Date.now();
      try {
        parseBenchmark(input, { fileName, params: {} });
        valid++;
      } catch (error) {
        if (!(error instanceof BenchmarkError)) {
          assert.fail(`case ${n} (${basename(example.path)}) threw ${String((error as Error)?.stack ?? error)}`);
        }
        assert.ok(error.problems.length > 0, `case ${n}: an error lists its problems`);
        for (const p of error.problems) {
          assert.ok(p.line >= 1 && p.column >= 1 && p.message.length > 0, `case ${n}: problem has a position and a message`);
        }
        invalid++;
      }
      assert.ok(Date.now() - caseStarted < 2000, `case ${n} took too long`);
    }
    assert.equal(valid + invalid, CASES);
    // Visible in the test output: how the cases split.
    console.log(`fuzz: ${CASES} cases, ${valid} valid, ${invalid} rejected, ${Date.now() - started} ms`);
  });
});
