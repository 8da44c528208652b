/**
 * A slow, obviously-correct AppArmor glob matcher for tests: written straight from the rules
 * (see glob.ts), sharing no code with it. It parses the glob into a tree and backtracks over the
 * path's UTF-8 bytes. No variables, and classes only in their plain form: `[abc]`, `[^a-c]`.
 *
 * Rules:
 * - runs of `/` in the glob count as one `/` (except a leading `//x`, kept as is);
 * - `\c` is the char c;
 * - `*` = any run of bytes but `/` (and NUL); `**` = any run of bytes (but NUL); `***` = `**` `*`;
 * - a star run that is a whole path component (the glob text before it ends in a literal `/` of
 *   the same alternative, and after it comes `/` or the end of the whole glob) must first match
 *   one byte that is not `/`;
 * - `?` = one byte but `/`; `[...]` = one byte of the set, `[^...]` one byte not in it (may be `/`);
 * - `{x,y,...}` = any of the alternatives, each a glob itself (possibly empty).
 */

type Node =
  | { k: 'byte'; b: number }
  | { k: 'star'; cross: boolean; needOne: boolean }
  | { k: 'one' }
  | { k: 'set'; bytes: Set<number>; negated: boolean }
  | { k: 'alt'; alts: Node[][] };

function collapseSlashes(g: string): string {
  if (/^\/\/(?!\/)/.test(g)) return `//${collapseSlashes(g.slice(2)).replace(/^\//, '')}`;
  return g.replace(/\/+/g, '/');
}

const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];

function parse(glob: string): Node[] {
  const g = collapseSlashes(glob);
  let i = 0;
  const seq = (inAlt: boolean): Node[] => {
    const out: Node[] = [];
    while (i < g.length) {
      const c = g[i] as string;
      if (inAlt && (c === ',' || c === '}')) break;
      if (c === '\\') {
        out.push(...utf8(g[i + 1] ?? '').map((b): Node => ({ k: 'byte', b })));
        i += 2;
      } else if (c === '*') {
        let n = 0;
        while (g[i] === '*') {
          n++;
          i++;
        }
        const prev = out[out.length - 1];
        const wholeComponent = prev?.k === 'byte' && prev.b === 0x2f && (i === g.length || g[i] === '/');
        for (let k = 0; k < n; k += 2)
          out.push({ k: 'star', cross: k + 1 < n, needOne: wholeComponent && k === 0 });
      } else if (c === '?') {
        out.push({ k: 'one' });
        i++;
      } else if (c === '[') {
        const end = g.indexOf(']', i + 2);
        if (end < 0) throw new Error('unclosed [');
        let body = g.slice(i + 1, end);
        const negated = body.startsWith('^');
        if (negated) body = body.slice(1);
        const bytes = new Set<number>();
        const cs = utf8(body);
        for (let j = 0; j < cs.length; j++) {
          const a = cs[j] as number;
          if (cs[j + 1] === 0x2d && j + 2 < cs.length) {
            const b = cs[j + 2] as number;
            for (let x = Math.min(a, b); x <= Math.max(a, b); x++) bytes.add(x);
            j += 2;
          } else bytes.add(a);
        }
        out.push({ k: 'set', bytes, negated });
        i = end + 1;
      } else if (c === '{') {
        i++;
        const alts = [seq(true)];
        while (g[i] === ',') {
          i++;
          alts.push(seq(true));
        }
        if (g[i] !== '}' || alts.length < 2) throw new Error('bad {}');
        i++;
        out.push({ k: 'alt', alts });
      } else {
        const cp = String.fromCodePoint(g.codePointAt(i) as number);
        out.push(...utf8(cp).map((b): Node => ({ k: 'byte', b })));
        i += cp.length;
      }
    }
    return out;
  };
  const nodes = seq(false);
  if (i !== g.length) throw new Error(`unexpected ${g[i]}`);
  return nodes;
}

/** Does `glob` match `path` (a kernel name: directories end in `/`)? */
export function referenceMatch(glob: string, path: string): boolean {
  const p = utf8(path);
  // match(nodes from n, path from pos), then the continuation k on where it ended
  const match = (nodes: Node[], n: number, pos: number, k: (pos: number) => boolean): boolean => {
    const node = nodes[n];
    if (!node) return k(pos);
    const rest = (q: number) => match(nodes, n + 1, q, k);
    const b = p[pos];
    switch (node.k) {
      case 'byte':
        return b === node.b && rest(pos + 1);
      case 'one':
        return b !== undefined && b !== 0x2f && b !== 0 && rest(pos + 1);
      case 'set':
        return b !== undefined && node.bytes.has(b) !== node.negated && rest(pos + 1);
      case 'alt':
        return node.alts.some((alt) => match(alt, 0, pos, rest));
      case 'star': {
        const ok = (x: number | undefined) => x !== undefined && x !== 0 && (node.cross || x !== 0x2f);
        let q = pos;
        if (node.needOne) {
          if (!ok(p[q]) || p[q] === 0x2f) return false;
          q++;
        }
        for (;;) {
          if (rest(q)) return true;
          if (!ok(p[q])) return false;
          q++;
        }
      }
    }
  };
  return match(parse(glob), 0, 0, (pos) => pos === p.length);
}
