import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statusOf } from './http-error.js';
import { PATH_PARAMS } from './params.js';
import { parseTarget, Router } from './router.js';

const noop = () => {};

describe('REST router parameters', () => {
  it('refuses to build a route whose parameter has no declared checker', () => {
    assert.throws(() => new Router([{ method: 'GET', path: '/thing/{thingId}', handler: noop }], PATH_PARAMS),
      /route \/thing\/\{thingId\}: no checker is declared for \{thingId\}/);
  });

  it('binds parameters through their checkers, after percent-decoding', () => {
    const router = new Router([
      { method: 'GET', path: '/run/{runId}/file', handler: noop },
      { method: 'GET', path: '/benchmark/{name}', handler: noop },
    ], PATH_PARAMS);
    const status = (target: string): number | Record<string, string> => {
      try {
        return router.match('GET', parseTarget(target).segments).params;
      } catch (error) {
        const code = statusOf(error);
        assert.ok(code !== undefined, `an expected error: ${String(error)}`);
        return code;
      }
    };
    assert.deepEqual(status('/run/00AF/file'), { runId: '00AF' });
    assert.deepEqual(status('/run/last/file'), { runId: 'last' });
    assert.equal(status('/run/00af/file'), 404, 'lower-case hex is not a run id');
    assert.equal(status('/run/..%2F..%2Fetc/file'), 404);
    assert.equal(status('/run/%2E%2E/file'), 404);
    assert.deepEqual(status('/benchmark/my-bench.v2'), { name: 'my-bench.v2' });
    assert.equal(status('/benchmark/..%2Fx'), 400);
    assert.equal(status('/benchmark/a%00b'), 400);
    assert.equal(status(`/benchmark/${'x'.repeat(201)}`), 400);
  });
});
