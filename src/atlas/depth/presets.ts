/**
 * @file The trainable-depth experiments the page offers: Schoenholz et al.'s figure on MNIST,
 * sized for a laptop GPU, and a smaller one on a 2-D set for software adapters and the CPU.
 */
const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(6)));

interface DepthPreset {
  id: string;
  title: string;
  config: Record<string, unknown>;
}

export const DEPTH_PRESETS: DepthPreset[] = [
  {
    id: 'circle',
    title: 'Circle: 90 tanh networks of 4 to 40 layers, 16 wide (software adapters and the CPU)',
    config: {
      seed: 1,
      dataset: { name: 'circle', samples: 500, test_fraction: 0.2 },
      activation: 'tanh',
      width: 16,
      depths: range(4, 40, 4),
      weight_variances: range(0.5, 4.5, 0.5),
      bias_variance: 0.05,
      steps: 200,
      batch_size: 32,
      learning_rate: 0.05,
    },
  },
  {
    id: 'mnist',
    title: 'MNIST: 110 tanh networks of 10 to 100 layers, 64 wide (a laptop GPU)',
    config: {
      seed: 1,
      dataset: { name: 'mnist', samples: 2500, test_fraction: 0.2 },
      activation: 'tanh',
      width: 64,
      depths: range(10, 100, 10),
      weight_variances: range(1, 4, 0.3),
      bias_variance: 0.05,
      steps: 500,
      batch_size: 64,
      learning_rate: 0.01,
    },
  },
];
