// `parseHtml … onEmbeddedResource: fetchResource` against a real server: the page's resources are fetched like a
// browser does (relative links resolved against the page, external ones skipped), at most `maxResources`, each
// under its own metric, and `onCompletion` runs once all are fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atOnceYaml, runBenchmark, startServer } from './harness.test-support.js';

const PAGE = `<html><head><link rel="stylesheet" href="css/site.css"><script src="/js/app.js"></script></head>
<body><img src="img/logo.png"><img src="http://elsewhere.example/ad.png"><iframe src="/frame.html"></iframe></body></html>`;

function scenario(maxResources: number): string {
  return `
- main:
  - httpRequest:
      GET: /site/index.html
      handler:
        body:
          parseHtml:
            onEmbeddedResource:
              fetchResource:
                maxResources: ${maxResources}
                concurrency: 2
                onCompletion:
                - setInt: fetched <- 1
  - awaitInt:
      var: fetched
      equalTo: 1
  - httpRequest:
      GET: /after
`;
}

test('fetches the page\'s resources, resolved against the page, then runs onCompletion', async () => {
  const server = await startServer((req, res) => {
    if (req.url === '/site/index.html') res.setHeader('content-type', 'text/html');
    res.end(req.url === '/site/index.html' ? PAGE : 'resource');
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 1, scenario(10)));
    const urls = server.seen.map((s) => s.url);
    assert.deepEqual(urls.slice(1, -1).sort(), ['/frame.html', '/js/app.js', '/site/css/site.css', '/site/img/logo.png']);
    assert.equal(urls[0], '/site/index.html');
    assert.equal(urls.at(-1), '/after', 'onCompletion ran after every resource was fetched');
    assert.equal(result.counters.failed, 0);
    // Each resource is recorded under its own path (one target: the selectors see the path alone).
    assert.equal(result.stats.get('/site/img/logo.png')?.responseCount, 1);
    assert.equal(result.stats.get('/js/app.js')?.responseCount, 1);
  } finally {
    await server.close();
  }
});

test('maxResources caps what is fetched', async () => {
  const server = await startServer((req, res) => {
    if (req.url === '/site/index.html') res.setHeader('content-type', 'text/html');
    res.end(req.url === '/site/index.html' ? PAGE : 'resource');
  });
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 1, scenario(2)));
    const resources = server.seen.map((s) => s.url).filter((u) => u !== '/site/index.html' && u !== '/after');
    assert.equal(resources.length, 2, resources.join(' '));
    assert.equal(server.seen.at(-1)?.url, '/after');
  } finally {
    await server.close();
  }
});
