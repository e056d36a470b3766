// Differential test against the reference implementation: Java HdrHistogram, the library Hyperfoil uses.
// It runs only where a JDK and the HdrHistogram jar are available (set HDRHISTOGRAM_JAR, or have it in the local
// Maven repository); elsewhere it is skipped and says why. The same values go through Java and through our code,
// and the encodings, figures, percentile distribution CSV and iteration steps must agree exactly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { histogramCsv } from './csv.js';
import { decodeHistogramInto, encodeHistogram } from './hdr-encoding.js';
import { HistogramWalk } from './histogram-iteration.js';
import { StatsSnapshot } from './snapshot.js';
import { randomLatenciesNs } from './test-support.js';

function findJar(): string | undefined {
  const fromEnv = process.env.HDRHISTOGRAM_JAR;
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  const base = join(homedir(), '.m2/repository/org/hdrhistogram/HdrHistogram');
  if (!existsSync(base)) return undefined;
  for (const version of readdirSync(base).sort().reverse()) {
    const jar = join(base, version, `HdrHistogram-${version}.jar`);
    if (existsSync(jar)) return jar;
  }
  return undefined;
}

function javaAvailable(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

const JAR = findJar();
const SKIP = !javaAvailable() ? 'no java on PATH' : JAR === undefined ? 'HdrHistogram jar not found' : false;

const JAVA_SOURCE = `
import org.HdrHistogram.*;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.util.*;

public class HdrProbe {
  public static void main(String[] args) throws Exception {
    Histogram h = new Histogram(60_000_000_000L, 2);
    String ours = null;
    for (String line : Files.readAllLines(Paths.get(args[0]))) {
      if (line.startsWith("v ")) h.recordValue(Long.parseLong(line.substring(2)));
      else if (line.startsWith("e ")) ours = line.substring(2);
    }
    ByteBuffer plain = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoByteBuffer(plain);
    System.out.println("plain " + Base64.getEncoder().encodeToString(Arrays.copyOf(plain.array(), n)));
    ByteBuffer compressed = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int c = h.encodeIntoCompressedByteBuffer(compressed);
    System.out.println("compressed " + Base64.getEncoder().encodeToString(Arrays.copyOf(compressed.array(), c)));
    StringBuilder p = new StringBuilder("percentiles");
    for (double q : new double[] {0, 0.5, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100}) p.append(' ').append(h.getValueAtPercentile(q));
    System.out.println(p);
    System.out.println("stats " + h.getTotalCount() + " " + h.getMinValue() + " " + h.getMaxValue() + " " + h.getMean() + " " + h.getStdDeviation());
    for (HistogramIterationValue v : h.percentiles(5)) System.out.println("pstep " + v.getValueIteratedFrom() + " " + v.getValueIteratedTo() + " " + v.getCountAddedInThisIterationStep() + " " + v.getTotalCountToThisValue() + " " + v.getPercentileLevelIteratedTo());
    for (HistogramIterationValue v : h.linearBucketValues(1_000_000)) System.out.println("lstep " + v.getValueIteratedFrom() + " " + v.getValueIteratedTo() + " " + v.getCountAddedInThisIterationStep() + " " + v.getTotalCountToThisValue() + " " + v.getPercentileLevelIteratedTo());
    java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
    h.outputPercentileDistribution(new java.io.PrintStream(csv), 5, 1000_000.0, true);
    System.out.println("csv " + Base64.getEncoder().encodeToString(csv.toByteArray()));
    if (ours != null) {
      Histogram d = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(ours)), 0);
      System.out.println("decodedEqual " + d.equals(h));
    }
  }
}
`;

function runJava(values: readonly number[], ours: Buffer): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hdr-probe-'));
  try {
    writeFileSync(join(dir, 'HdrProbe.java'), JAVA_SOURCE);
    writeFileSync(join(dir, 'input.txt'), values.map((v) => `v ${v}\n`).join('') + `e ${ours.toString('base64')}\n`);
    const result = spawnSync('java', ['-cp', JAR!, join(dir, 'HdrProbe.java'), join(dir, 'input.txt')], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 60_000,
    });
    assert.equal(result.status, 0, `java failed: ${result.stderr}`);
    const byKind = new Map<string, string[]>();
    for (const line of result.stdout.split('\n')) {
      const space = line.indexOf(' ');
      if (space < 0) continue;
      const kind = line.slice(0, space);
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(line.slice(space + 1));
    }
    return byKind;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function walkSteps(walk: HistogramWalk): number[][] {
  const steps: number[][] = [];
  while (walk.hasNext()) {
    const s = walk.next();
    steps.push([s.valueIteratedFrom, s.valueIteratedTo, s.countAddedInThisStep, s.totalCountToThisValue, s.percentileLevelIteratedTo]);
  }
  return steps;
}

describe('interoperability with Java HdrHistogram (skipped without a JDK and the jar)', { skip: SKIP }, () => {
  const values = [0, 1, 255, 256, 60_000_000_000, ...randomLatenciesNs(20_000, 41)];
  const snapshot = new StatsSnapshot();
  for (const v of values) snapshot.recordResponse(v);
  let java: Map<string, string[]>;

  it('runs the Java probe', () => {
    java = runJava(values, encodeHistogram(snapshot.histogram));
  });

  it('writes the same plain V2 bytes; each side decodes the other compressed form', () => {
    assert.equal(encodeHistogram(snapshot.histogram, { compress: false }).toString('base64'), java.get('plain')![0]);
    assert.deepEqual(java.get('decodedEqual'), ['true']);
    const fromJava = new StatsSnapshot();
    decodeHistogramInto(Buffer.from(java.get('compressed')![0]!, 'base64'), fromJava.histogram);
    assert.deepEqual(Array.from(fromJava.histogram._counts), Array.from(snapshot.histogram._counts));
  });

  it('computes the same percentiles, min, max, mean and standard deviation', () => {
    const ours = [0, 0.5, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100].map((p) => snapshot.valueAtPercentileNs(p));
    assert.equal(ours.join(' '), java.get('percentiles')![0]);
    const [count, min, max, mean, stdDev] = java.get('stats')![0]!.split(' ').map(Number);
    assert.deepEqual(
      [snapshot.histogram.totalCount, snapshot.minNs(), snapshot.maxNs(), snapshot.meanNs(), snapshot.stdDevNs()],
      [count, min, max, mean, stdDev],
    );
  });

  it('writes the same percentile distribution CSV, byte for byte', () => {
    assert.equal(histogramCsv(snapshot), Buffer.from(java.get('csv')![0]!, 'base64').toString('utf8'));
  });

  it('walks percentiles and 1 ms linear buckets in the same steps', () => {
    const parse = (lines: string[]): number[][] => lines.map((l) => l.split(' ').map(Number));
    assert.deepEqual(walkSteps(HistogramWalk.percentiles(snapshot.histogram, 5)), parse(java.get('pstep')!));
    assert.deepEqual(walkSteps(HistogramWalk.linear(snapshot.histogram, 1_000_000)), parse(java.get('lstep')!));
  });
});
