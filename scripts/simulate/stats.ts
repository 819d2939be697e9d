// The report's statistics: Pearson's chi-square test of independence with its p-value
// (the regularised upper incomplete gamma function, by series or continued fraction as in Numerical Recipes §6.2).

function logGamma(x: number): number {
  const c = [
    76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
    -0.5395239384953e-5,
  ];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const k of c) ser += k / ++y;
  return -tmp + Math.log((2.5066282746310002 * ser) / x);
}

/** Q(a, x) = Γ(a, x) / Γ(a): the chance a chi-square variable with 2a degrees of freedom exceeds 2x. */
export function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 500; n++) {
      del *= x / ++ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-14) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

/**
 * Chi-square test of independence on a table of [served, not served] per class. Classes with no one are left
 * out; a table where nobody (or everybody) was served has nothing to test: p = 1.
 */
export function chiSquareIndependence(rows: ReadonlyArray<{ served: number; total: number }>) {
  const used = rows.filter((r) => r.total > 0);
  const n = used.reduce((s, r) => s + r.total, 0);
  const served = used.reduce((s, r) => s + r.served, 0);
  if (used.length < 2 || served === 0 || served === n) return { statistic: 0, df: 0, p: 1 };
  let statistic = 0;
  for (const r of used) {
    const expServed = (r.total * served) / n;
    const expNot = (r.total * (n - served)) / n;
    statistic += (r.served - expServed) ** 2 / expServed + (r.total - r.served - expNot) ** 2 / expNot;
  }
  const df = used.length - 1;
  return { statistic, df, p: upperGammaQ(df / 2, statistic / 2) };
}
