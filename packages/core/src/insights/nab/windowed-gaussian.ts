/**
 * NAB's "windowed Gaussian" reference detector, written from its published description so our scorer can be
 * checked against the scoreboard (39.6 / 20.9 / 47.4): the score of a value is 1 − the two-sided Gaussian tail
 * probability of its distance from the mean of a window of past values (the first 6 400 values, then slid
 * forward 100 values at a time). Not used for detection: HOMEPOT's detector is models/streaming-anomaly.ts.
 */

/**
 * erfc(x) for x ≥ 0 to double precision (the scorer's thresholds sit within 1e-13 of 1, so a rough fit would
 * reorder the detections): the Maclaurin series of erf below 2.5, the continued fraction of erfc above.
 */
export function erfc(x: number): number {
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail up.
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function windowedGaussianScores(values: readonly number[], windowSize = 6400, stepSize = 100): number[] {
  let window: number[] = [];
  let step: number[] = [];
  let mean = 0;
  let m2 = 0;
  let sd = 1;
  const setSd = () => {
    sd = Math.sqrt(m2 / window.length) || 0.000001;
  };
  return values.map((value) => {
    const score = window.length > 0 ? 1 - 0.5 * erfc(Math.abs(value - mean) / sd / Math.SQRT2) : 0;
    if (window.length < windowSize) {
      // While the window grows: Welford's running mean and sum of squared deviations.
      window.push(value);
      const d = value - mean;
      mean += d / window.length;
      m2 += d * (value - mean);
      setSd();
    } else {
      step.push(value);
      if (step.length === stepSize) {
        window = window.slice(stepSize).concat(step);
        step = [];
        mean = window.reduce((a, b) => a + b, 0) / window.length;
        m2 = window.reduce((a, b) => a + (b - mean) * (b - mean), 0);
        setSd();
      }
    }
    return score;
  });
}
