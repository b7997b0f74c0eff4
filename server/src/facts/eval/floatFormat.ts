// Prints doubles exactly as C's printf does (`%g` with precision 6 for JSON and `--json` output in
// Nix 2.8, `%f` for toString), using the exact decimal value of the double and round-half-even,
// so ties such as 123456.5 -> "123456" come out as in C, where JS's toFixed/toExponential differ.

/** The exact value of a finite non-zero |x| as digits × 10^pow. */
function exact(x: number): { digits: bigint; pow: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) return { digits: mant << BigInt(exp), pow: 0 };
  // mant / 2^k = mant * 5^k / 10^k
  return { digits: mant * 5n ** BigInt(-exp), pow: exp };
}

/** round(digits × 10^(pow + decimals)), ties to even. */
function roundAt(digits: bigint, pow: number, decimals: number): bigint {
  const shift = pow + decimals;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  const q = digits / div;
  const r2 = (digits % div) * 2n;
  if (r2 > div || (r2 === div && q % 2n === 1n)) return q + 1n;
  return q;
}

function withPoint(n: bigint, decimals: number): string {
  if (decimals <= 0) return n.toString();
  const s = n.toString().padStart(decimals + 1, '0');
  return s.slice(0, s.length - decimals) + '.' + s.slice(s.length - decimals);
}

const stripZeros = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return null;
}

/** printf("%g") with precision 6. */
export function formatG(x: number, precision = 6): string {
  const sp = special(x);
  if (sp) return sp;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, pow } = exact(x);
  let e = digits.toString().length - 1 + pow;
  let n = roundAt(digits, pow, precision - 1 - e);
  if (n.toString().length > precision) {
    e++;
    n = roundAt(digits, pow, precision - 1 - e);
  }
  if (e < -4 || e >= precision) {
    const m = stripZeros(withPoint(n, precision - 1));
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return sign + stripZeros(withPoint(n, precision - 1 - e));
}

/** printf("%f"): six decimals. */
export function formatF(x: number): string {
  const sp = special(x);
  if (sp) return sp;
  if (x === 0) return Object.is(x, -0) ? '-0.000000' : '0.000000';
  const { digits, pow } = exact(x);
  return (x < 0 ? '-' : '') + withPoint(roundAt(digits, pow, 6), 6);
}
