/**
 * The `math_game` plugin ("24 points"): combine up to 6 integers with + − × ÷ (each number used exactly
 * once, any parentheses) to reach a target, 24 by default, and list every distinct solution.
 *
 * Arithmetic is exact (fractions). Two solutions are the same when they differ only by the order of
 * operands of + and × or by regrouping (a+b)+c = a+(b+c), a−(b−c) = a−b+c, and the like: every expression
 * is normalised to a flat sum of signed terms or a flat product of factors over divisors, with sorted operands.
 */

/** Input of the plugin (its JSON arguments). */
export interface MathGameInput {
  numbers: number[];
  target?: number;
}

/** Result of the plugin (its JSON output). */
export interface MathGameResult {
  numbers: number[];
  target: number;
  /** Every distinct solution found, in a stable order (shortest text first, then alphabetical). */
  solutions: string[];
  count: number;
  /** True when the search budget ran out before the whole space was explored. */
  truncated: boolean;
}

/** Raised for arguments the plugin cannot accept. */
export class MathGameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MathGameError';
  }
}

export const MAX_NUMBERS = 6;
const MAX_SOLUTIONS = 200;
/** Distinct intermediate states explored at most (keeps a 6-number search to a fraction of a second). */
const NODE_BUDGET = 60_000;

interface Frac {
  n: number;
  d: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

function frac(n: number, d: number): Frac | null {
  if (d === 0) return null;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  const r = { n: n / g, d: d / g };
  return Number.isSafeInteger(r.n) && Number.isSafeInteger(r.d) ? r : null;
}

/** A normalised expression. */
interface Expr {
  value: Frac;
  /** Canonical key: equal keys = the same solution. */
  key: string;
  kind: 'num' | 'sum' | 'prod';
  /** For sums: positive and negative terms; for products: numerator and denominator factors. */
  plus: Expr[];
  minus: Expr[];
}

function leaf(n: number): Expr {
  return { value: { n, d: 1 }, key: String(n), kind: 'num', plus: [], minus: [] };
}

const byKey = (a: Expr, b: Expr): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function combine(kind: 'sum' | 'prod', plus: Expr[], minus: Expr[], value: Frac): Expr {
  plus.sort(byKey);
  minus.sort(byKey);
  const sep = kind === 'sum' ? ['+', '-'] : ['*', '/'];
  const key = `${kind === 'sum' ? 'S' : 'P'}(${plus.map((e) => e.key).join(sep[0])}${minus.length ? sep[1] + minus.map((e) => e.key).join(sep[1]) : ''})`;
  return { value, key, kind, plus, minus };
}

function parts(e: Expr, kind: 'sum' | 'prod'): [Expr[], Expr[]] {
  return e.kind === kind ? [e.plus, e.minus] : [[e], []];
}

function add(a: Expr, b: Expr, negate: boolean): Expr | null {
  const v = negate ? frac(a.value.n * b.value.d - b.value.n * a.value.d, a.value.d * b.value.d) : frac(a.value.n * b.value.d + b.value.n * a.value.d, a.value.d * b.value.d);
  if (!v) return null;
  const [ap, am] = parts(a, 'sum');
  const [bp, bm] = parts(b, 'sum');
  return negate ? combine('sum', [...ap, ...bm], [...am, ...bp], v) : combine('sum', [...ap, ...bp], [...am, ...bm], v);
}

function mul(a: Expr, b: Expr, divide: boolean): Expr | null {
  const v = divide ? (b.value.n === 0 ? null : frac(a.value.n * b.value.d, a.value.d * b.value.n)) : frac(a.value.n * b.value.n, a.value.d * b.value.d);
  if (!v) return null;
  const [ap, am] = parts(a, 'prod');
  const [bp, bm] = parts(b, 'prod');
  return divide ? combine('prod', [...ap, ...bm], [...am, ...bp], v) : combine('prod', [...ap, ...bp], [...am, ...bm], v);
}

/** Human-readable text with the fewest parentheses, using × and ÷. */
export function render(e: Expr): string {
  if (e.kind === 'num') return e.value.n < 0 ? `(${e.value.n})` : String(e.value.n);
  if (e.kind === 'sum') {
    const pos = e.plus.map(render).join(' + ');
    return e.minus.length ? `${pos} - ${e.minus.map(render).join(' - ')}` : pos;
  }
  const factor = (x: Expr): string => (x.kind === 'sum' ? `(${render(x)})` : render(x));
  // In a divisor, a product must be bracketed too: a ÷ (b × c).
  const divisor = (x: Expr): string => (x.kind === 'num' ? render(x) : `(${render(x)})`);
  const num = e.plus.map(factor).join(' × ');
  return e.minus.length ? `${num} ÷ ${e.minus.map(divisor).join(' ÷ ')}` : num;
}

/** Validates arguments (as parsed from the function call JSON). */
export function parseMathGameInput(args: unknown): Required<MathGameInput> {
  if (typeof args !== 'object' || args === null) throw new MathGameError('arguments must be an object with "numbers"');
  const { numbers, target } = args as { numbers?: unknown; target?: unknown };
  if (!Array.isArray(numbers) || numbers.length < 1 || numbers.length > MAX_NUMBERS) {
    throw new MathGameError(`"numbers" must be a list of 1 to ${MAX_NUMBERS} integers`);
  }
  if (!numbers.every((n) => Number.isInteger(n) && Math.abs(n as number) <= 10_000)) {
    throw new MathGameError('"numbers" must be integers between -10000 and 10000');
  }
  const t = target === undefined || target === null ? 24 : target;
  if (!Number.isInteger(t) || Math.abs(t as number) > 1_000_000) throw new MathGameError('"target" must be an integer');
  return { numbers: numbers as number[], target: t as number };
}

interface Solver {
  /** The search cut into bounded slices, in search order (generated lazily, so the result is unchanged). */
  slices(): Generator<() => void>;
  isTruncated(): boolean;
  result(): MathGameResult;
}

function createSolver(input: MathGameInput): Solver {
  const { numbers, target } = parseMathGameInput(input);
  const found = new Map<string, string>();
  const seen = new Set<string>();
  let nodes = 0;
  let truncated = false;

  /** Marks a state visited; false when it was visited before or the budget is spent. */
  const enter = (list: Expr[]): boolean => {
    const stateKey = list
      .map((e) => e.key)
      .sort()
      .join(',');
    if (seen.has(stateKey)) return false;
    seen.add(stateKey);
    if (++nodes > NODE_BUDGET) {
      truncated = true;
      return false;
    }
    return true;
  };

  const expansions = (list: Expr[]): Expr[][] => {
    const out: Expr[][] = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const rest = list.filter((_, k) => k !== i && k !== j);
        const a = list[i];
        const b = list[j];
        for (const c of [add(a, b, false), add(a, b, true), add(b, a, true), mul(a, b, false), mul(a, b, true), mul(b, a, true)]) {
          if (c) out.push([...rest, c]);
        }
      }
    }
    return out;
  };

  const search = (list: Expr[]): void => {
    if (truncated) return;
    if (list.length === 1) {
      const v = list[0].value;
      if (v.d === 1 && v.n === target && !found.has(list[0].key)) {
        found.set(list[0].key, render(list[0]));
        if (found.size >= MAX_SOLUTIONS) truncated = true;
      }
      return;
    }
    if (!enter(list)) return;
    if (list.length === 2) {
      // Leaf level: build an expression only for the combinations that hit the target.
      const [a, b] = list;
      const hits = (v: Frac | null): boolean => v !== null && v.d === 1 && v.n === target;
      const A = a.value;
      const B = b.value;
      const ops: [boolean, () => Expr | null][] = [
        [hits(frac(A.n * B.d + B.n * A.d, A.d * B.d)), () => add(a, b, false)],
        [hits(frac(A.n * B.d - B.n * A.d, A.d * B.d)), () => add(a, b, true)],
        [hits(frac(B.n * A.d - A.n * B.d, A.d * B.d)), () => add(b, a, true)],
        [hits(frac(A.n * B.n, A.d * B.d)), () => mul(a, b, false)],
        [B.n !== 0 && hits(frac(A.n * B.d, A.d * B.n)), () => mul(a, b, true)],
        [A.n !== 0 && hits(frac(B.n * A.d, B.d * A.n)), () => mul(b, a, true)],
      ];
      for (const [hit, build] of ops) {
        const e = hit ? build() : null;
        if (e) search([e]);
      }
      return;
    }
    for (const next of expansions(list)) {
      search(next);
      if (truncated) return;
    }
  };

  return {
    *slices() {
      // Five or six numbers: slice two levels down (each slice is then at most a four-number search).
      const depth = numbers.length >= 5 ? 2 : 1;
      function* slicesOf(list: Expr[], d: number): Generator<() => void> {
        if (d === 0 || list.length <= 2) {
          yield () => search(list);
          return;
        }
        if (!enter(list)) return;
        for (const next of expansions(list)) {
          yield* slicesOf(next, d - 1);
          if (truncated) return;
        }
      }
      yield* slicesOf(numbers.map(leaf), depth);
    },
    isTruncated: () => truncated,
    result() {
      const solutions = [...found.values()].sort((x, y) => x.length - y.length || (x < y ? -1 : x > y ? 1 : 0));
      return { numbers: [...numbers], target, solutions, count: solutions.length, truncated };
    },
  };
}

/** Finds every distinct solution. Deterministic; bounded by a node budget. */
export function solveMathGame(input: MathGameInput): MathGameResult {
  const solver = createSolver(input);
  for (const slice of solver.slices()) {
    slice();
    if (solver.isTruncated()) break;
  }
  return solver.result();
}

/**
 * The same search (same result) in slices, yielding to the event loop between them, so that a six-number
 * game never stalls the other sessions' real-time audio.
 */
export async function solveMathGameAsync(input: MathGameInput): Promise<MathGameResult> {
  const solver = createSolver(input);
  for (const slice of solver.slices()) {
    slice();
    if (solver.isTruncated()) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return solver.result();
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Parses a Chinese numeral up to 9999 (e.g. 二十四, 十三, 一百零五); null if it is not one. */
export function parseChineseNumber(text: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(text)) return null;
  let total = 0;
  let digit = 0;
  let seenUnit = false;
  for (const ch of text) {
    if (ch in CN_DIGITS) {
      digit = CN_DIGITS[ch];
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
    total += (digit === 0 && unit === 10 && !seenUnit ? 1 : digit) * unit;
    digit = 0;
    seenUnit = true;
  }
  return total + digit;
}

/**
 * Recognises a request for the 24-points game in free text ("24 points with 3 8 8 3", "用三、八、八、三算出二十四点")
 * and returns the numbers (the target is the number right before 点/points when it is not 24). Null when the
 * text is not such a request.
 */
export function detectMathGameRequest(text: string): { numbers: number[]; target: number } | null {
  const tokens: { value: number; index: number; end: number }[] = [];
  const re = /-?\d+|[零〇一二两三四五六七八九十百千]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = /\d/.test(m[0]) ? Number(m[0]) : parseChineseNumber(m[0]);
    if (value !== null && Number.isSafeInteger(value)) tokens.push({ value, index: m.index, end: m.index + m[0].length });
  }
  const game = /(\d+|[零〇一二两三四五六七八九十百千]+)\s*(点|點|points?|game)/i.exec(text);
  const mentions24 = /24|二十四/.test(text);
  if (!game && !mentions24) return null;
  if (!/点|點|point|game|make|算|得|solve/i.test(text)) return null;
  let target = 24;
  let targetIndex = -1;
  if (game) {
    const t = /\d/.test(game[1]) ? Number(game[1]) : parseChineseNumber(game[1]);
    if (t !== null) {
      target = t;
      targetIndex = game.index;
    }
  } else {
    const t = tokens.find((tok) => tok.value === 24);
    if (t) targetIndex = t.index;
  }
  const numbers = tokens.filter((tok) => tok.index !== targetIndex).map((tok) => tok.value);
  if (numbers.length < 2 || numbers.length > MAX_NUMBERS) return null;
  return { numbers, target };
}
