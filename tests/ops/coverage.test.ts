import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../src';
import { registeredOpTypes, getOpDef } from '../../src/ops/op_def';
import { caseGradChecked, OpCase } from '../helpers/cases';

/**
 * Coverage (DESIGN.md "Tests"): every registered op has a CPU kernel, and every differentiable op appears
 * with a numeric gradient check in some case table under tests/ops/cases.
 */
function allCases(): OpCase[] {
  const dir = path.join(__dirname, 'cases');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => Object.values(require(path.join(dir, f)) as Record<string, unknown>))
    .filter((v): v is OpCase[] => Array.isArray(v))
    .flat();
}

/** Ops whose numeric gradient check lives in a dedicated test (file named) rather than a case table. */
const CHECKED_ELSEWHERE: Record<string, string> = {};

test('every registered op has a CPU kernel', () => {
  const cpu = tf.createCpuBackend();
  const g = new tf.Graph();
  const missing = registeredOpTypes().filter((type) => {
    const fake = { type, def: getOpDef(type), graph: g } as unknown as tf.Operation;
    return !cpu.kernelFor(fake);
  });
  expect(missing).toEqual([]);
});

test('every differentiable op has a numeric gradient check', () => {
  const checked = new Set(
    allCases()
      .filter(caseGradChecked)
      .flatMap((c) => c.ops),
  );
  const missing = registeredOpTypes().filter((type) => {
    const grad = getOpDef(type).grad;
    return typeof grad === 'function' && !checked.has(type) && !(type in CHECKED_ELSEWHERE);
  });
  expect(missing).toEqual([]);
});

test('case names are unique', () => {
  const names = allCases().map((c) => c.name);
  expect(names.length).toBe(new Set(names).size);
});
