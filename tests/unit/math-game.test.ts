import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectMathGameRequest, MathGameError, parseChineseNumber, solveMathGame, solveMathGameAsync } from '../../src/server/emulator/plugins/math-game';

/** Evaluates a rendered solution exactly (× ÷ − + and parentheses) with fractions. */
function evaluate(expr: string): { n: bigint; d: bigint } {
  const tokens = expr.match(/\d+|[()+\-×÷]/g) ?? [];
  let i = 0;
  const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
  const norm = (n: bigint, d: bigint) => {
    if (d < 0n) [n, d] = [-n, -d];
    const k = g(n, d) || 1n;
    return { n: n / k, d: d / k };
  };
  const primary = (): { n: bigint; d: bigint } => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      i++;
      return v;
    }
    if (t === '-') {
      const v = primary();
      return { n: -v.n, d: v.d };
    }
    return { n: BigInt(t), d: 1n };
  };
  const product = () => {
    let v = primary();
    while (tokens[i] === '×' || tokens[i] === '÷') {
      const op = tokens[i++];
      const w = primary();
      v = op === '×' ? norm(v.n * w.n, v.d * w.d) : norm(v.n * w.d, v.d * w.n);
    }
    return v;
  };
  const sum = (): { n: bigint; d: bigint } => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++];
      const w = product();
      v = op === '+' ? norm(v.n * w.d + w.n * v.d, v.d * w.d) : norm(v.n * w.d - w.n * v.d, v.d * w.d);
    }
    return v;
  };
  return sum();
}

/** Independent existence check: value-only search over all pairings with exact fractions. */
function reachable(values: { n: bigint; d: bigint }[], target: bigint): boolean {
  if (values.length === 1) return values[0].d !== 0n && values[0].n * 1n === target * values[0].d;
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      if (i === j) continue;
      const a = values[i];
      const b = values[j];
      const rest = values.filter((_, k) => k !== i && k !== j);
      const options = [
        { n: a.n * b.d + b.n * a.d, d: a.d * b.d },
        { n: a.n * b.d - b.n * a.d, d: a.d * b.d },
        { n: a.n * b.n, d: a.d * b.d },
        ...(b.n !== 0n ? [{ n: a.n * b.d, d: a.d * b.n }] : []),
      ];
      for (const o of options) if (reachable([...rest, o], target)) return true;
    }
  }
  return false;
}

function numbersIn(expr: string): number[] {
  return (expr.match(/\d+/g) ?? []).map(Number).sort((a, b) => a - b);
}

describe('math_game solver', () => {
  it('3 3 8 8 has exactly one solution: 8 ÷ (3 − 8 ÷ 3)', () => {
    expect(solveMathGame({ numbers: [3, 3, 8, 8] })).toEqual({
      numbers: [3, 3, 8, 8],
      target: 24,
      solutions: ['8 ÷ (3 - 8 ÷ 3)'],
      count: 1,
      truncated: false,
    });
  });

  it('treats commutative and regrouped forms as one solution', () => {
    const r = solveMathGame({ numbers: [6, 6, 6, 6] });
    expect(r.solutions).toEqual(['6 + 6 + 6 + 6', '6 × 6 - 6 - 6']);
    expect(solveMathGame({ numbers: [1, 2, 3, 4] }).solutions).toEqual(['1 × 2 × 3 × 4', '2 × 3 × 4 ÷ 1', '4 × (1 + 2 + 3)', '(1 + 3) × (2 + 4)']);
  });

  it('reports no solution for 1 1 1 1 and honours other targets and counts', () => {
    expect(solveMathGame({ numbers: [1, 1, 1, 1] }).count).toBe(0);
    expect(solveMathGame({ numbers: [5, 5], target: 10 }).solutions).toEqual(['5 + 5']);
    expect(solveMathGame({ numbers: [24] }).solutions).toEqual(['24']);
  });

  it('every solution evaluates exactly to the target and uses each number once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 30 }), (numbers, target) => {
        const r = solveMathGame({ numbers, target });
        for (const s of r.solutions) {
          const v = evaluate(s);
          expect(v.d).toBe(1n);
          expect(v.n).toBe(BigInt(target));
          expect(numbersIn(s)).toEqual([...numbers].sort((a, b) => a - b));
        }
        expect(new Set(r.solutions).size).toBe(r.solutions.length);
        // Complete: a solution is reported exactly when one exists.
        expect(r.count > 0).toBe(reachable(numbers.map((n) => ({ n: BigInt(n), d: 1n })), BigInt(target)));
      }),
      { numRuns: 60 },
    );
  });

  it('six numbers: bounded search, valid solutions, truncated flag', () => {
    const r = solveMathGame({ numbers: [1, 2, 3, 4, 5, 6] });
    expect(r.count).toBeGreaterThan(0);
    expect(r.truncated).toBe(true);
    for (const s of r.solutions.slice(0, 20)) expect(evaluate(s)).toEqual({ n: 24n, d: 1n });
  });

  it('the sliced asynchronous search gives exactly the synchronous result', async () => {
    for (const numbers of [[3, 3, 8, 8], [1, 5, 7, 11, 13], [13, 11, 7, 5, 3, 2]]) {
      expect(await solveMathGameAsync({ numbers })).toEqual(solveMathGame({ numbers }));
    }
  });

  it('rejects bad arguments with a typed error', () => {
    expect(() => solveMathGame({ numbers: [] })).toThrow(MathGameError);
    expect(() => solveMathGame({ numbers: [1, 2, 3, 4, 5, 6, 7] })).toThrow(MathGameError);
    expect(() => solveMathGame({ numbers: [1.5, 2] })).toThrow(MathGameError);
    expect(() => solveMathGame({ numbers: [1, 2], target: 2.5 })).toThrow(MathGameError);
  });
});

describe('24-points requests in free text', () => {
  it('finds the numbers in Chinese and English requests', () => {
    expect(detectMathGameRequest('请帮我用三、八、八、三算出二十四点。')).toEqual({ numbers: [3, 8, 8, 3], target: 24 });
    expect(detectMathGameRequest('Can you make 24 points with 3 8 8 3?')).toEqual({ numbers: [3, 8, 8, 3], target: 24 });
    expect(detectMathGameRequest('用4 4 10 10算24点')).toEqual({ numbers: [4, 4, 10, 10], target: 24 });
    expect(detectMathGameRequest('用1 2 3 4 5算十点')).toEqual({ numbers: [1, 2, 3, 4, 5], target: 10 });
  });

  it('ignores texts that are not such requests', () => {
    expect(detectMathGameRequest('What is the weather like in Shanghai today?')).toBeNull();
    expect(detectMathGameRequest('I have 24 apples')).toBeNull();
    expect(detectMathGameRequest('24 points')).toBeNull();
  });

  it('parses Chinese numerals', () => {
    expect([parseChineseNumber('二十四'), parseChineseNumber('十三'), parseChineseNumber('一百零五'), parseChineseNumber('两')]).toEqual([24, 13, 105, 2]);
    expect(parseChineseNumber('abc')).toBeNull();
  });
});
