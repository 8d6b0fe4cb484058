/**
 * @file The 2-D classification sets of the classic TensorFlow Playground (circle, xor2d, gauss,
 * spiral), with the same geometry and noise units (0 to 0.5), so intuitions from that tool
 * carry over. Reimplemented from its construction (tensorflow/playground, src/dataset.ts) with
 * two changes: every draw comes from the seeded counter RNG, and labels are classes 0/1
 * (playground -1 -> 0, +1 -> 1).
 *
 * As in the playground, circle and xor2d keep the points clean and apply noise only to the
 * label (the label is that of the point moved by the noise), gauss widens the clusters, and
 * spiral jitters the points themselves. Rows come in generation order (class 1 first); the
 * split and the trainer shuffle. The playground generates `samples/2` points per class
 * (rounded up, so an odd count yields one extra point); here class 1 gets ceil(samples/2)
 * and class 0 floor(samples/2), so there are exactly `samples` rows.
 *
 * Draws: row i (over the whole set) uses counter index i with attempt k for its k-th number.
 */
import { CounterRng, Stream } from '../rng';
import type { Dataset } from '../types';

type PlaneName = 'circle' | 'xor2d' | 'gauss' | 'spiral';

const RADIUS = 5;

export function makePlane(name: PlaneName, samples: number, noise: number, seed: number): Dataset {
  const rng = new CounterRng(seed, 0, Stream.dataset);
  const uni = (a: number, b: number, i: number, k: number) => a + rng.uniform(i, k) * (b - a);
  const n = samples;
  const n1 = Math.ceil(n / 2);
  const x = new Float32Array(n * 2);
  const labels = new Uint32Array(n);
  const put = (i: number, px: number, py: number, cls: number) => {
    x[2 * i] = px;
    x[2 * i + 1] = py;
    labels[i] = cls;
  };

  switch (name) {
    case 'circle': {
      // Class 1 drawn inside radius 2.5, class 0 in the ring [3.5, 5); the radius is uniform
      // (not area-uniform), as in the playground, so the inner disc is denser near the center.
      for (let i = 0; i < n; i++) {
        const inner = i < n1;
        const r = inner ? uni(0, RADIUS * 0.5, i, 0) : uni(RADIUS * 0.7, RADIUS, i, 0);
        const angle = uni(0, 2 * Math.PI, i, 1);
        const px = r * Math.sin(angle),
          py = r * Math.cos(angle);
        const qx = px + uni(-RADIUS, RADIUS, i, 2) * noise;
        const qy = py + uni(-RADIUS, RADIUS, i, 3) * noise;
        put(i, px, py, Math.hypot(qx, qy) < RADIUS * 0.5 ? 1 : 0);
      }
      break;
    }
    case 'xor2d': {
      // Uniform on [-5, 5]^2 pushed 0.3 away from both axes; class 1 where x*y >= 0.
      const pad = (v: number) => v + (v > 0 ? 0.3 : -0.3);
      for (let i = 0; i < n; i++) {
        const px = pad(uni(-5, 5, i, 0)),
          py = pad(uni(-5, 5, i, 1));
        const qx = px + uni(-5, 5, i, 2) * noise,
          qy = py + uni(-5, 5, i, 3) * noise;
        put(i, px, py, qx * qy >= 0 ? 1 : 0);
      }
      break;
    }
    case 'gauss': {
      // Class 1 around (2, 2), class 0 around (-2, -2); variance 0.5 at noise 0 rising
      // linearly to 4 at noise 0.5.
      const sd = Math.sqrt(0.5 + (noise / 0.5) * 3.5);
      for (let i = 0; i < n; i++) {
        const c = i < n1 ? 2 : -2;
        put(i, c + sd * rng.normal(i, 0), c + sd * rng.normal(i, 1), i < n1 ? 1 : 0);
      }
      break;
    }
    case 'spiral': {
      // Two interleaved arms of 1.75 turns out to radius 5, the second rotated by pi.
      for (let i = 0; i < n; i++) {
        const first = i < n1;
        const m = first ? n1 : n - n1;
        const j = first ? i : i - n1;
        const r = (j / m) * 5;
        const t = ((1.75 * j) / m) * 2 * Math.PI + (first ? 0 : Math.PI);
        put(i, r * Math.sin(t) + uni(-1, 1, i, 0) * noise, r * Math.cos(t) + uni(-1, 1, i, 1) * noise, first ? 1 : 0);
      }
      break;
    }
  }
  return { name, x, labels, n, inputDim: 2, classes: 2 };
}
