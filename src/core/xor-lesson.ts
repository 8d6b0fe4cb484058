/**
 * @file The network every tour of this project starts from: the Keras lesson's XOR network, 2-2-1
 * sigmoid units, mean squared error, plain SGD at learning rate 2. A config document (parseConfig
 * and parseAtlasConfig read it): the playground's first lesson, the atlas' XOR presets and
 * benchmark, and tests add a seed, epochs and the rest to it.
 */
export const XOR_LESSON = {
  dataset: { name: 'xor' },
  layers: [
    { units: 2, activation: 'sigmoid' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'mse',
  optimizer: { name: 'sgd', learning_rate: 2 },
};
