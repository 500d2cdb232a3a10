/**
 * Grafana server-side math expressions (`$A * 1000 / $B`) over series joined by time, as the
 * dashboards and alert rules use them: + - * / comparisons and parentheses, on numbers.
 */
export type Series = Map<number, number>;

type Token = { kind: 'num'; value: number } | { kind: 'ref'; name: string } | { kind: 'op'; op: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)|\$([A-Z])|(>=|<=|==|!=|&&|\|\||[-+*/()<>]))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) out.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'ref', name: m[2] });
    else out.push({ kind: 'op', op: m[3]! });
  }
  if (src.slice(re.lastIndex).trim()) throw new Error(`cannot parse expression ${src}`);
  return out;
}

const LEVELS = [['||'], ['&&'], ['>', '<', '>=', '<=', '==', '!='], ['+', '-'], ['*', '/']];
/**
 * binaryOp of pkg/expr/mathexp/exp.go: `||` and `&&` short-circuit on their left operand, then any NaN
 * operand gives NaN (comparisons included, where JavaScript would answer false).
 */
const apply = (op: string, a: number, b: number): number => {
  if (op === '||' && a !== 0) return 1;
  if (op === '&&' && a === 0) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return {
    '||': +(a !== 0 || b !== 0),
    '&&': +(a !== 0 && b !== 0),
    '>': +(a > b),
    '<': +(a < b),
    '>=': +(a >= b),
    '<=': +(a <= b),
    '==': +(a === b),
    '!=': +(a !== b),
    '+': a + b,
    '-': a - b,
    '*': a * b,
    '/': a / b,
  }[op]!;
};

/** Evaluates the expression at each time present in every series it refers to (Grafana joins on time). */
export function evaluate(expression: string, refs: Record<string, Series>): Series {
  const tokens = tokenize(expression);
  const names = [...new Set(tokens.filter((t) => t.kind === 'ref').map((t) => (t as { name: string }).name))];
  const times = names.length ? [...refs[names[0]!]!.keys()].filter((t) => names.every((n) => refs[n]?.has(t))) : [0];
  const out: Series = new Map();
  for (const time of times) {
    let i = 0;
    const level = (l: number): number => {
      if (l === LEVELS.length) return atom();
      let left = level(l + 1);
      while (i < tokens.length && tokens[i]!.kind === 'op' && LEVELS[l]!.includes((tokens[i] as { op: string }).op)) {
        const op = (tokens[i++] as { op: string }).op;
        left = apply(op, left, level(l + 1));
      }
      return left;
    };
    const atom = (): number => {
      const t = tokens[i++];
      if (!t) throw new Error(`unexpected end of ${expression}`);
      if (t.kind === 'num') return t.value;
      if (t.kind === 'ref') return refs[t.name]!.get(time)!;
      if (t.op === '(') {
        const v = level(0);
        i++;
        return v;
      }
      if (t.op === '-') return -atom(); // NaN stays NaN, as unaryOp does
      throw new Error(`unexpected ${t.op} in ${expression}`);
    };
    out.set(time, level(0));
  }
  return out;
}
