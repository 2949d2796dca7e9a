import { describe, expect, it } from 'vitest';
import { announceCost, type Io } from '../src/progress.js';

function io(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, stdout: () => undefined, stderr: (t) => lines.push(t), isTTY: false };
}

describe('announceCost (run-time estimate before long runs)', () => {
  it('announces a run above 5 s with its evaluations, the measured cost each and the total', () => {
    const out = io();
    expect(announceCost(out, { label: 'analyze', evaluations: 1344, msPerEvaluation: 12.5 })).toBe(16800);
    expect(out.lines).toEqual(['liesym: analyze makes about 1,344 model evaluations at 12.5 ms each (measured when the model was opened): about 17 s of model time alone; fewer --samples or a smaller --image-size make it shorter\n']);
  });

  it('says minutes and hours for longer runs', () => {
    const out = io();
    announceCost(out, { label: 'check', evaluations: 100_000, msPerEvaluation: 3 });
    announceCost(out, { label: 'check', evaluations: 100_000, msPerEvaluation: 300 });
    expect(out.lines[0]).toMatch(/about 5 min of model time alone;/);
    expect(out.lines[1]).toMatch(/at 300\.0 ms each .*about 8\.3 h of model time alone;/);
  });

  it('is silent for short runs and when the cost was not measured', () => {
    const out = io();
    expect(announceCost(out, { label: 'analyze', evaluations: 1000, msPerEvaluation: 0.2 })).toBeCloseTo(200, 9);
    expect(announceCost(out, { label: 'analyze', evaluations: 1000, msPerEvaluation: undefined })).toBeUndefined();
    expect(out.lines).toEqual([]);
  });
});
