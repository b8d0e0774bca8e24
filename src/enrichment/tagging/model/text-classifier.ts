import { FEATURE_PIPELINE_VERSION, extractFeatures } from './hashed-features';
import { seededRandom, shuffleInPlace } from '../../../common/seeded-random';

export interface TrainingExample {
  text: string;
  labels: string[];
  question?: string;
}

export interface TrainOptions {
  seed?: number;
  epochs?: number;
  l2?: number;
  featureBits?: number;
  learningRate?: number;
  /** A hashed feature must occur in this many training texts to be kept. */
  minDocFrequency?: number;
  /**
   * 0 = no class weighting, 1 = fully balanced. In between trades overall accuracy against recall
   * on rare labels.
   */
  classWeightPower?: number;
  /** Share of the training data held out to tune per-label thresholds. */
  validationFraction?: number;
  onProgress?: (p: { epoch: number; loss: number }) => void;
}

export interface SerializedModel {
  format: 'insight-bank.text-classifier';
  formatVersion: 1;
  pipeline: { version: string; featureBits: number };
  labels: string[];
  /** Trained on single-label data: predict() returns exactly one label. */
  singleLabel: boolean;
  /** base64 Uint32Array: hashed feature slots kept after the document-frequency cut, ascending. */
  features: string;
  /** base64 Float32Array, one inverse document frequency per kept feature. */
  idf: string;
  /** base64 Float32Array, feature-major: weights[feature * labels.length + label]. */
  weights: string;
  bias: number[];
  thresholds: number[];
  metadata: {
    trainedAt: string;
    examples: number;
    seed: number;
    epochs: number;
    l2: number;
    classWeightPower: number;
  };
}

export interface LabelScore {
  label: string;
  confidence: number;
}

export class ModelError extends Error {
  readonly code = 'invalid_input';
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

interface SparseVector {
  ids: Int32Array;
  vals: Float32Array;
}

const DEFAULTS = {
  seed: 42,
  epochs: 12,
  l2: 2e-5,
  featureBits: 18,
  learningRate: 0.8,
  minDocFrequency: 2,
  classWeightPower: 0.5,
  validationFraction: 0.15,
};

/** Two blocks (words, characters) are each L2-normalised, then scaled so the whole vector has unit length. */
const BLOCK_SCALE = Math.SQRT1_2;

class Vectoriser {
  private readonly slotToFeature: Int32Array;

  constructor(
    readonly bits: number,
    readonly features: Uint32Array,
    readonly idf: Float32Array,
  ) {
    this.slotToFeature = new Int32Array(1 << bits).fill(-1);
    features.forEach((slot, i) => (this.slotToFeature[slot] = i));
  }

  static fit(raw: ReturnType<typeof extractFeatures>[], bits: number, minDf: number): Vectoriser {
    const df = new Int32Array(1 << bits);
    for (const doc of raw) {
      const seen = new Set<number>([...doc.words.keys(), ...doc.chars.keys()]);
      for (const slot of seen) df[slot]++;
    }
    const slots: number[] = [];
    for (let s = 0; s < df.length; s++) if (df[s] >= minDf) slots.push(s);
    const n = raw.length;
    const idf = new Float32Array(slots.length);
    slots.forEach((s, i) => (idf[i] = Math.log((1 + n) / (1 + df[s])) + 1));
    return new Vectoriser(bits, Uint32Array.from(slots), idf);
  }

  get size(): number {
    return this.features.length;
  }

  vectorise(raw: ReturnType<typeof extractFeatures>): SparseVector {
    const ids: number[] = [];
    const vals: number[] = [];
    for (const block of [raw.words, raw.chars]) {
      const from = ids.length;
      let norm = 0;
      for (const [slot, count] of block) {
        const f = this.slotToFeature[slot];
        if (f < 0) continue;
        const v = (1 + Math.log(count)) * this.idf[f];
        ids.push(f);
        vals.push(v);
        norm += v * v;
      }
      if (norm > 0) {
        const k = BLOCK_SCALE / Math.sqrt(norm);
        for (let i = from; i < vals.length; i++) vals[i] *= k;
      }
    }
    return { ids: Int32Array.from(ids), vals: Float32Array.from(vals) };
  }
}

interface Weights {
  w: Float32Array;
  b: Float64Array;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function scoreAll(x: SparseVector, weights: Weights, nLabels: number, out: Float64Array): void {
  const { w, b } = weights;
  for (let l = 0; l < nLabels; l++) out[l] = b[l];
  for (let k = 0; k < x.ids.length; k++) {
    const base = x.ids[k] * nLabels;
    const v = x.vals[k];
    for (let l = 0; l < nLabels; l++) out[l] += w[base + l] * v;
  }
}

/**
 * One-vs-rest logistic regression fitted by SGD. L2 shrinkage is applied lazily through a shared
 * scale factor (weights = scale × v), so each step only touches the text's own features.
 */
function fitWeights(
  vectors: SparseVector[],
  targets: Uint8Array[],
  nLabels: number,
  nFeatures: number,
  opts: typeof DEFAULTS & Pick<TrainOptions, 'onProgress'>,
): Weights {
  const n = vectors.length;
  const v = new Float32Array(nFeatures * nLabels);
  const b = new Float64Array(nLabels);
  const posWeight = new Float64Array(nLabels);
  const negWeight = new Float64Array(nLabels);
  for (let l = 0; l < nLabels; l++) {
    const pos = targets.reduce((acc, t) => acc + t[l], 0);
    const balancedPos = pos > 0 ? n / (2 * pos) : 1;
    const balancedNeg = pos < n ? n / (2 * (n - pos)) : 1;
    posWeight[l] = Math.pow(balancedPos, opts.classWeightPower);
    negWeight[l] = Math.pow(balancedNeg, opts.classWeightPower);
    b[l] = Math.log((pos + 1) / (n - pos + 1));
  }
  const random = seededRandom(opts.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const z = new Float64Array(nLabels);
  const grad = new Float64Array(nLabels);
  let scale = 1;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    const lr = opts.learningRate / Math.sqrt(1 + epoch);
    let loss = 0;
    for (const i of order) {
      const x = vectors[i];
      const y = targets[i];
      for (let l = 0; l < nLabels; l++) z[l] = 0;
      for (let k = 0; k < x.ids.length; k++) {
        const base = x.ids[k] * nLabels;
        const val = x.vals[k];
        for (let l = 0; l < nLabels; l++) z[l] += v[base + l] * val;
      }
      for (let l = 0; l < nLabels; l++) {
        const p = sigmoid(scale * z[l] + b[l]);
        const cw = y[l] ? posWeight[l] : negWeight[l];
        loss -= cw * Math.log(Math.max(1e-12, y[l] ? p : 1 - p));
        grad[l] = cw * (p - y[l]);
        b[l] -= lr * grad[l];
      }
      scale *= 1 - lr * opts.l2;
      const step = lr / scale;
      for (let k = 0; k < x.ids.length; k++) {
        const base = x.ids[k] * nLabels;
        const val = x.vals[k] * step;
        for (let l = 0; l < nLabels; l++) v[base + l] -= grad[l] * val;
      }
      if (scale < 1e-6) {
        for (let j = 0; j < v.length; j++) v[j] *= scale;
        scale = 1;
      }
    }
    opts.onProgress?.({ epoch: epoch + 1, loss: loss / n });
  }
  for (let j = 0; j < v.length; j++) v[j] *= scale;
  return { w: v, b };
}

/** Per-label threshold maximising F1 on held-out data; ties go to the value nearest 0.5. */
function tuneThresholds(probs: Float64Array[], targets: Uint8Array[], nLabels: number): number[] {
  const out: number[] = [];
  for (let l = 0; l < nLabels; l++) {
    let best = 0.5;
    let bestF1 = -1;
    if (!targets.some((t) => t[l] === 1)) {
      out.push(best);
      continue;
    }
    for (let t = 0.05; t <= 0.951; t += 0.025) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      probs.forEach((p, i) => {
        const predicted = p[l] >= t;
        if (predicted && targets[i][l]) tp++;
        else if (predicted) fp++;
        else if (targets[i][l]) fn++;
      });
      const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
      if (
        f1 > bestF1 + 1e-9 ||
        (Math.abs(f1 - bestF1) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best - 0.5))
      ) {
        bestF1 = f1;
        best = t;
      }
    }
    out.push(Math.round(best * 1000) / 1000);
  }
  return out;
}

function toBase64(array: Float32Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Float32Array | Uint32Array>(
  text: string,
  Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const buf = Buffer.from(text, 'base64');
  if (buf.byteLength % Ctor.BYTES_PER_ELEMENT !== 0)
    throw new ModelError('model array has a bad length');
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Ctor(copy);
}

/**
 * Multi-label text classifier learnt from a partner's own coded examples: hashed TF-IDF features
 * (see hashed-features.ts) and one logistic regression per label. Deterministic for a given seed.
 */
export class TextClassifier {
  private readonly scratch: Float64Array;

  private constructor(
    private readonly vectoriser: Vectoriser,
    private readonly labels: string[],
    private readonly weights: Weights,
    private readonly thresholds: number[],
    private readonly singleLabel: boolean,
    private readonly metadata: SerializedModel['metadata'],
  ) {
    this.scratch = new Float64Array(labels.length);
  }

  static train(examples: TrainingExample[], options: TrainOptions = {}): TextClassifier {
    const usable = examples.filter((e) => e.text.trim() !== '' && e.labels.length > 0);
    if (usable.length < 2)
      throw new ModelError('training needs at least two labelled, non-empty texts');
    const opts = { ...DEFAULTS, ...stripUndefined(options), onProgress: options.onProgress };
    if (opts.featureBits < 10 || opts.featureBits > 24)
      throw new ModelError('featureBits must be 10..24');
    const labels = [...new Set(usable.flatMap((e) => e.labels))].sort();
    if (labels.length < 2) throw new ModelError('training needs at least two distinct labels');
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const singleLabel = usable.every((e) => new Set(e.labels).size === 1);

    const raw = usable.map((e) => extractFeatures(e.text, e.question, opts.featureBits));
    const targets = usable.map((e) => {
      const t = new Uint8Array(labels.length);
      for (const l of e.labels) t[labelIndex.get(l)!] = 1;
      return t;
    });

    let thresholds = labels.map(() => 0.5);
    const holdOut = Math.floor(usable.length * opts.validationFraction);
    if (holdOut >= 20) {
      const order = shuffleInPlace(
        Array.from({ length: usable.length }, (_, i) => i),
        seededRandom(opts.seed ^ 0x5bd1e995),
      );
      const valIdx = order.slice(0, holdOut);
      const trainIdx = order.slice(holdOut);
      const foldVectoriser = Vectoriser.fit(
        trainIdx.map((i) => raw[i]),
        opts.featureBits,
        opts.minDocFrequency,
      );
      const foldWeights = fitWeights(
        trainIdx.map((i) => foldVectoriser.vectorise(raw[i])),
        trainIdx.map((i) => targets[i]),
        labels.length,
        foldVectoriser.size,
        { ...opts, onProgress: undefined },
      );
      const probs = valIdx.map((i) => {
        const out = new Float64Array(labels.length);
        scoreAll(foldVectoriser.vectorise(raw[i]), foldWeights, labels.length, out);
        return out.map(sigmoid);
      });
      thresholds = tuneThresholds(
        probs,
        valIdx.map((i) => targets[i]),
        labels.length,
      );
    }

    const vectoriser = Vectoriser.fit(raw, opts.featureBits, opts.minDocFrequency);
    const weights = fitWeights(
      raw.map((r) => vectoriser.vectorise(r)),
      targets,
      labels.length,
      vectoriser.size,
      opts,
    );
    return new TextClassifier(vectoriser, labels, weights, thresholds, singleLabel, {
      trainedAt: new Date().toISOString(),
      examples: usable.length,
      seed: opts.seed,
      epochs: opts.epochs,
      l2: opts.l2,
      classWeightPower: opts.classWeightPower,
    });
  }

  get labelSet(): readonly string[] {
    return this.labels;
  }

  /** Probability for every label, most likely first. */
  scores(text: string, question?: string): LabelScore[] {
    const x = this.vectoriser.vectorise(extractFeatures(text, question, this.vectoriser.bits));
    scoreAll(x, this.weights, this.labels.length, this.scratch);
    return this.labels
      .map((label, l) => ({ label, confidence: round(sigmoid(this.scratch[l])) }))
      .sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
  }

  /**
   * Labels whose probability passes their tuned threshold, most likely first. At least one label
   * is always returned (the most likely), and exactly one when the model learnt from single-label
   * data, because that is the shape of coding it was taught.
   */
  predict(text: string, question?: string): LabelScore[] {
    const all = this.scores(text, question);
    if (this.singleLabel) return all.slice(0, 1);
    const threshold = new Map(this.labels.map((l, i) => [l, this.thresholds[i]]));
    const above = all.filter((s) => s.confidence >= (threshold.get(s.label) ?? 0.5));
    return above.length > 0 ? above : all.slice(0, 1);
  }

  toJSON(): SerializedModel {
    return {
      format: 'insight-bank.text-classifier',
      formatVersion: 1,
      pipeline: { version: FEATURE_PIPELINE_VERSION, featureBits: this.vectoriser.bits },
      labels: [...this.labels],
      singleLabel: this.singleLabel,
      features: toBase64(this.vectoriser.features),
      idf: toBase64(this.vectoriser.idf),
      weights: toBase64(this.weights.w),
      bias: Array.from(this.weights.b),
      thresholds: [...this.thresholds],
      metadata: { ...this.metadata },
    };
  }

  static fromJSON(m: SerializedModel): TextClassifier {
    if (m.format !== 'insight-bank.text-classifier' || m.formatVersion !== 1) {
      throw new ModelError('not a text classifier model, or an unsupported format version');
    }
    if (m.pipeline.version !== FEATURE_PIPELINE_VERSION) {
      throw new ModelError(
        `model was trained with feature pipeline ${m.pipeline.version}; this build uses ${FEATURE_PIPELINE_VERSION}; retrain it`,
      );
    }
    const features = fromBase64(m.features, Uint32Array);
    const idf = fromBase64(m.idf, Float32Array);
    const w = fromBase64(m.weights, Float32Array);
    const nLabels = m.labels.length;
    if (
      idf.length !== features.length ||
      w.length !== features.length * nLabels ||
      m.bias.length !== nLabels ||
      m.thresholds.length !== nLabels
    ) {
      throw new ModelError('model arrays do not agree in size');
    }
    const vectoriser = new Vectoriser(m.pipeline.featureBits, features, idf);
    return new TextClassifier(
      vectoriser,
      [...m.labels],
      { w, b: Float64Array.from(m.bias) },
      [...m.thresholds],
      m.singleLabel,
      { ...m.metadata },
    );
  }
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
