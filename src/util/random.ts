/**
 * Seeded pseudo-random numbers (xoshiro128**), so random ops are reproducible: TF1's rule is that an op
 * with a seed (or a graph seed) gives the same sequence in every new Session.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    // splitmix32 expands one seed into four non-zero words.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() || 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.nextUint32() + (this.nextUint32() >>> 11) / 2097152) / 4294967296;
  }

  /** Standard normal (Box–Muller, using both values). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Standard normal restricted to [-2, 2] by rejection (TF1's truncated_normal). */
  truncatedNormal(): number {
    for (;;) {
      const z = this.normal();
      if (z >= -2 && z <= 2) return z;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * TF1's seed rule: with an op seed or a graph seed the result is deterministic; with neither, it is not.
 * `opId` distinguishes ops that share the graph seed.
 */
export function resolveSeed(graphSeed: number | undefined, opSeed: number | undefined, opId: number): number {
  if (graphSeed === undefined && opSeed === undefined) return (Math.random() * 4294967296) >>> 0;
  const g = graphSeed ?? 87654321;
  const o = opSeed ?? opId;
  return (Math.imul(g ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(o + 0x165667b1, 0x9e3779b1)) >>> 0;
}
