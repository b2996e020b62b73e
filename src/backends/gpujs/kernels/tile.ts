import { sizeOf, stridesOf } from '../../../graph/shape';
import { coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';
import { at, out0 } from './util';

/** Tile (each output element reads its source modulo the input's dims) and its summing gradient. */
registerKernel('gpu', 'Tile', {
  hostInputs: [1],
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const lines = [coords(out.shape)];
    const idx = v.shape.map((d, k) => {
      lines.push(`const t${k} = c${k} - Math.floor(c${k} / ${ilit(d)}) * ${ilit(d)};`);
      return `t${k}`;
    });
    const p = makeProgram(sizeOf(out.shape), ['x'], `${lines.join('\n')}\nreturn x[${at(v.shape, idx)}];`);
    return [ctx.run(p, [v], out.shape, out.dtype)];
  },
});

registerKernel('gpu', 'TileGrad', {
  shapeInputs: [1],
  hostInputs: [2],
  run: ([dy], ctx) => {
    const g = asGpu(dy);
    const out = out0(ctx);
    if (g.size === out.shape.reduce((a, b) => a * b, 1)) return [g.share(out.shape)];
    const rank = out.shape.length;
    const st = stridesOf(g.shape);
    const lines = [coords(out.shape), 'let s = 0.0;'];
    let close = '';
    const terms: string[] = [];
    for (let k = 0; k < rank; k++) {
      const m = (g.shape[k] as number) / (out.shape[k] as number);
      if (m > 1) {
        lines.push(`for (let m${k} = 0; m${k} < ${ilit(m)}; m${k}++) {`);
        close += '}';
        terms.push(`(c${k} + m${k} * ${ilit(out.shape[k] as number)}) * ${ilit(st[k] as number)}`);
      } else terms.push(`c${k} * ${ilit(st[k] as number)}`);
    }
    lines.push(`s += g[${terms.join(' + ') || '0'}];`, close, 'return s;');
    const p = makeProgram(sizeOf(out.shape), ['g'], lines.join('\n'));
    return [ctx.run(p, [g], out.shape, out.dtype)];
  },
});
