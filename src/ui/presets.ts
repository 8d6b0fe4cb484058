/**
 * @file The lessons: each a short text saying what to look at, a config, and (for side-by-side
 * lessons) the initializers to compare. The configs are plain documents of the engine's schema,
 * parsed when applied, so a lesson can never drift from what parseConfig accepts
 * (presets.test.ts parses every one and trains the XOR lesson on the CPU engine).
 */
import { configToJSON, parseConfig } from '../core/config';
import type { Initializer, RunConfig } from '../core/types';
import { parseInitList } from './initializer-spec';
import type { Mode } from './state/types';

interface Lesson {
  id: string;
  title: string;
  /** What to look at, in two or three sentences. */
  text: string;
  config: Record<string, unknown>;
  mode: Mode;
  /** The compare set (used in compare mode; offered otherwise). */
  compare: string;
  /** Target loss for "steps to reach". */
  target: number;
}

const hidden = (n: number, units: number, activation: string, kernel?: unknown) =>
  Array.from({ length: n }, () => ({ units, activation, ...(kernel ? { kernel_initializer: kernel } : {}) }));

const SEVEN = 'zeros,random_normal,random_uniform,glorot_uniform,glorot_normal,he_uniform,he_normal';

export const LESSONS: readonly Lesson[] = [
  {
    id: 'xor',
    title: 'XOR, the Keras lesson network',
    text: 'The smallest problem no linear model solves: 2 inputs, 2 sigmoid hidden units, 1 sigmoid output, mean squared error and plain SGD. Press play and watch the loss fall in steps while the decision boundary bends into two bands; accuracy reaches 1.0 within a few hundred epochs.',
    config: {
      seed: 1,
      dataset: { name: 'xor' },
      layers: [
        { units: 2, activation: 'sigmoid', kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' },
        { units: 1, activation: 'sigmoid', kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' },
      ],
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 2, momentum: 0 },
      batch_size: 4,
      epochs: 1000,
      log_every: 10,
    },
    mode: 'single',
    compare: SEVEN,
    target: 0.05,
  },
  {
    id: 'zeros',
    title: 'Zero initialization and symmetry',
    text: 'Every kernel starts at zero, so every hidden unit computes the same thing and receives the same gradient: they stay identical forever, and four hidden units act as one. Look at the unit-health chart and the kernel histograms (one spike per layer), and at the accuracy stuck below 1.0. Then apply glorot_uniform to all layers and train again.',
    config: {
      seed: 1,
      dataset: { name: 'xor' },
      layers: [
        { units: 4, activation: 'sigmoid', kernel_initializer: 'zeros' },
        { units: 1, activation: 'sigmoid', kernel_initializer: 'zeros' },
      ],
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 2 },
      batch_size: 4,
      epochs: 2000,
      log_every: 10,
    },
    mode: 'single',
    compare: 'zeros,glorot_uniform',
    target: 0.05,
  },
  {
    id: 'scales',
    title: 'Too small, appropriate, too large',
    text: 'Ten tanh layers of 64 units with normal weights of three scales. With stddev 0.01 the signal shrinks about tenfold per layer and vanishes; with stddev 1 every unit saturates at ±1; 0.125 = 1/√64 keeps activations alive through the depth. Compare the depth profiles and the loss curves.',
    config: {
      seed: 1,
      dataset: { name: 'circle', samples: 500, noise: 0.05, test_fraction: 0.2 },
      layers: [...hidden(10, 64, 'tanh'), { units: 1, activation: 'sigmoid' }],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.05 },
      batch_size: 32,
      epochs: 100,
      log_every: 5,
    },
    mode: 'compare',
    compare: 'random_normal:stddev=0.01,random_normal:stddev=0.125,random_normal:stddev=1',
    target: 0.2,
  },
  {
    id: 'deep-tanh',
    title: 'Deep tanh: ±1/√n versus Glorot',
    text: 'The "standard" uniform initialization U(−1/√n, 1/√n) has variance 1/(3n), so each tanh layer shrinks the signal by about √3: by layer 8 the activations (and the back-propagated gradients) are tiny. Glorot and Bengio (2010) derived glorot_uniform to keep both variances constant. Watch the depth profile of act_std and grad_std.',
    config: {
      seed: 1,
      dataset: { name: 'mnist', samples: 5000, test_fraction: 0.2 },
      layers: [...hidden(8, 256, 'tanh'), { units: 10, activation: 'softmax' }],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.05 },
      batch_size: 32,
      epochs: 10,
      log_every: 10,
    },
    mode: 'compare',
    compare: 'random_uniform:minval=-0.0625:maxval=0.0625,glorot_uniform',
    target: 0.5,
  },
  {
    id: 'relu30',
    title: '30 ReLU layers: Glorot versus He',
    text: 'ReLU zeroes half of its inputs, so with Glorot weights the variance halves at every layer: after 30 layers the signal is a million times weaker and the gradients reaching the first layers are tiny, so learning is slow. He et al. (2015) doubled the variance (he_normal: 2/fan_in) to compensate. Compare the depth profiles and the loss curves.',
    config: {
      seed: 1,
      dataset: { name: 'circle', samples: 500, noise: 0.05, test_fraction: 0.2 },
      layers: [...hidden(30, 64, 'relu'), { units: 1, activation: 'sigmoid' }],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.01 },
      batch_size: 32,
      epochs: 50,
      log_every: 5,
    },
    mode: 'compare',
    compare: 'glorot_normal,he_normal',
    target: 0.2,
  },
  {
    id: 'selu',
    title: 'SELU with lecun_normal: self-normalizing',
    text: 'SELU with lecun_normal weights (variance 1/fan_in) drives every layer towards mean 0 and standard deviation 1 (Klambauer et al., 2017), without batch normalization: the depth profile of act_mean and act_std stays flat over 20 layers. The inputs are pure N(0, 1) noise, the ideal probe for signal propagation (the loss only measures memorization). Compare with he_normal and glorot_uniform to see the fixed point lost.',
    config: {
      seed: 1,
      dataset: { name: 'random', samples: 2000, dim: 64, classes: 2 },
      layers: [
        ...hidden(20, 128, 'selu', 'lecun_normal'),
        { units: 1, activation: 'sigmoid', kernel_initializer: 'lecun_normal' },
      ],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.01 },
      batch_size: 64,
      epochs: 20,
      log_every: 5,
    },
    mode: 'single',
    compare: 'lecun_normal,he_normal,glorot_uniform',
    target: 0.5,
  },
];

/**
 * Whether `cfg` is still the lesson's network and training (the seed aside: a new seed repeats
 * the lesson with other draws). A config edited away from it is the user's own experiment, and
 * the link and the Keras script stop naming the lesson.
 */
export function isLessonConfig(id: string, cfg: RunConfig): boolean {
  const lesson = findLesson(id);
  if (!lesson) return false;
  const own = lessonState(lesson).config;
  return JSON.stringify(configToJSON({ ...cfg, seed: own.seed })) === JSON.stringify(configToJSON(own));
}

export function findLesson(id: string | null): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The parsed config and compare set of a lesson. */
export function lessonState(l: Lesson): { config: RunConfig; compare: Initializer[] } {
  return { config: parseConfig(structuredClone(l.config)), compare: parseInitList(l.compare) };
}
