/**
 * @file The `theory` command: the mean-field quantities of one activation at one (σ_w², σ_b²),
 * or, with --config, the per-layer prediction of a run's step-0 record (the same keys as the
 * record's layers, to lay over it). One JSON object on stdout; bad flags are ConfigErrors (exit
 * 2, one `error:` line). Nothing here touches a device: the theory is plain arithmetic.
 */
import { parseActivation, parseConfig } from '../core/config';
import { loadDataset } from '../core/datasets';
import { ConfigError, show } from '../core/errors';
import { flagInt, flagNumber, parseFlags } from '../core/flags';
import { ELEMENTWISE, theoryActivation } from '../core/theory/activation';
import {
  criticalWeightVariance,
  lengthSequence,
  type MeanField,
  meanField,
  TRAINABLE_XI,
} from '../core/theory/mean-field';
import { hiddenLayerStatus } from '../core/theory/prediction';
import { predictStepZero } from '../train/step-zero-theory';
import { readJson } from './files';

const THEORY_USAGE = `Usage: mlp-playground theory --activation NAME --weight-variance X [--bias-variance X]
                             [--alpha X] [--depth N] [--q0 X]
       mlp-playground theory --config FILE

Mean-field signal propagation through a deep random network (Poole et al. 2016, Schoenholz et
al. 2017): for weights of variance σ_w²/fan_in and biases of variance σ_b², the fixed points of
the length and correlation maps, χ₁ and the phase, the depth scales ξ_q and ξ_c, the critical
σ_w² at this σ_b², the trainable depth 6ξ_c, and the length map q⁰ … q^depth. Prints one JSON
object; infinite quantities (ξ at the critical line, q* of an exploding network) are null.

Options:
  --activation NAME     every activation of a hidden layer (softmax acts on rows: no theory)
  --alpha X             the negative slope of leaky_relu, or elu's alpha (their Keras defaults otherwise)
  --weight-variance X   σ_w², the variance of a weight times its fan_in (he_normal: 2)
  --bias-variance X     σ_b² (default 0)
  --depth N             layers of the length map to print (default 50)
  --q0 X                q⁰, the first layer's pre-activation variance (default 1)
  --config FILE         instead: predicted preact_std and act_std of every layer of a run config at
                        step 0, over its first batch, and each hidden layer's χ₁, phase and ξ_c
`;

const FLAGS = {
  values: ['--activation', '--alpha', '--weight-variance', '--bias-variance', '--depth', '--q0', '--config'],
  switches: ['--help'],
  listName: 'theory flags',
};
const SINGLE_FLAGS = FLAGS.values.filter((f) => f !== '--config');

const fail = (message: string) => new ConfigError('', message);

/** JSON has no Infinity: unbounded quantities print as null. */
const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

/** The mean-field quantities under the CLI's (and the record's) snake_case names. */
function meanFieldJson(m: MeanField) {
  return {
    q_star: finite(m.qStar),
    c_star: m.cStar,
    chi_1: m.chi1,
    chi_c: m.chiC,
    xi_q: finite(m.xiQ),
    xi_c: finite(m.xiC),
    phase: m.phase,
    trainable_depth: finite(TRAINABLE_XI * m.xiC),
  };
}

function single(values: Map<string, string>) {
  const name = values.get('--activation');
  if (name === undefined) throw fail('--activation is required (or --config FILE)');
  const weight = values.get('--weight-variance');
  if (weight === undefined) throw fail('--weight-variance is required: σ_w², e.g. 1 for lecun_normal, 2 for he_normal');
  if (!(ELEMENTWISE as readonly string[]).includes(name))
    throw fail(`--activation must be one of ${ELEMENTWISE.join(', ')} (softmax acts on whole rows), got ${show(name)}`);
  const alphaRaw = values.get('--alpha');
  const alpha = alphaRaw === undefined ? undefined : flagNumber('--alpha', alphaRaw, 0);
  if (alpha !== undefined && name !== 'leaky_relu' && name !== 'elu')
    throw fail(`--alpha is only for leaky_relu and elu, not ${name}`);
  const act = theoryActivation(
    parseActivation(alpha === undefined ? name : { name, alpha }, '--activation'),
    '--activation',
  );
  const weightVariance = flagNumber('--weight-variance', weight, 0);
  const biasVariance = flagNumber('--bias-variance', values.get('--bias-variance') ?? '0', 0);
  const depth = flagInt('--depth', values.get('--depth') ?? '50', 0, 100_000);
  const q0 = flagNumber('--q0', values.get('--q0') ?? '1', 0);
  const params = { act, weightVariance, biasVariance };
  return {
    activation: act.name,
    weight_variance: weightVariance,
    bias_variance: biasVariance,
    ...meanFieldJson(meanField(params, q0)),
    critical_weight_variance: criticalWeightVariance(act, biasVariance),
    q: lengthSequence(params, q0, depth).map(finite),
  };
}

async function perLayer(path: string) {
  const cfg = parseConfig(await readJson(path, '--config'));
  const data = (await loadDataset(cfg.dataset, cfg.seed)).train;
  const predicted = predictStepZero(cfg, data);
  const status = hiddenLayerStatus(cfg.layers, data.inputDim);
  return {
    rows: Math.min(cfg.batch_size, data.n),
    layers: predicted.map((p, l) => {
      const s = status[l];
      return {
        layer: l,
        units: cfg.layers[l].units,
        activation: cfg.layers[l].activation.name,
        weight_variance: p.variances?.weightVariance ?? null,
        bias_variance: p.variances?.biasVariance ?? null,
        preact_std: p.preact_std,
        act_std: p.act_std,
        ...(s?.ok ? meanFieldJson(s) : s ? { note: s.reason } : {}),
      };
    }),
  };
}

export async function theoryMain(argv: readonly string[]): Promise<number> {
  const { values, switches } = parseFlags(argv, FLAGS);
  if (switches.has('--help')) {
    process.stdout.write(THEORY_USAGE);
    return 0;
  }
  const config = values.get('--config');
  if (config !== undefined) {
    const extra = SINGLE_FLAGS.find((f) => values.has(f));
    if (extra) throw fail(`${extra} cannot be combined with --config (the config gives every layer's variances)`);
  }
  const out = config === undefined ? single(values) : await perLayer(config);
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}
