/**
 * @file Brent's root finder (R. P. Brent, "Algorithms for Minimization without Derivatives",
 * 1973, the zeroin procedure): bisection's guarantee with secant and inverse quadratic steps'
 * speed. The theory's fixed points and critical lines are all roots of smooth monotone maps
 * found inside a bracket, where this converges in a dozen evaluations.
 */

/** A root of `f` in [a, b], where f(a) and f(b) have opposite signs (or one is 0), to `tol`. */
export function brent(f: (x: number) => number, a: number, b: number, tol = 1e-13): number {
  let fa = f(a),
    fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new RangeError(`brent: f(${a}) = ${fa} and f(${b}) = ${fb} do not bracket a root`);
  let c = a,
    fc = fa,
    d = b - a,
    e = d;
  for (let iter = 0; iter < 200; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const half = 0.5 * (c - b);
    if (Math.abs(half) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Try interpolation: secant with two points, inverse quadratic with three.
      const s = fb / fa;
      let p: number, q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const qa = fa / fc,
          r = fb / fc;
        p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : half > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}
