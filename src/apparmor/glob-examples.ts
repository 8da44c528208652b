/**
 * Example paths a compiled glob matches: the witnesses a lint check evaluates to find out what a
 * rule really grants ("`/proc/** w` lets you write `/proc/sys/x`").
 *
 * Examples are generated from the matcher's final regex (stage 4 in glob.ts), not from the glob
 * text, so every AppArmor quirk the compiler resolved (`[^h]` matching `/`, `**` needing one
 * character, alternations, variables) is already in it. The regex syntax is the small one
 * glob.ts emits: literals, `\xNN`, `\/`, classes, `(?:...)`, `|`, `*`, `+`.
 *
 * The set is small and deterministic: each alternative, each repetition taken zero, one and (when
 * the repeated part can be `/`) a two-component time, and a class's first "ordinary" member.
 */
import type { GlobMatcher } from './glob.js';

type Node =
  | { t: 'lit'; s: string }
  | { t: 'class'; neg: boolean; set: Set<number> }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; min: 0 | 1; node: Node };

/** Characters preferred in examples, in order: readable names first, then digits and separators. */
const PREFERRED = 'xabcsyk0129_.-/';

class RegexReader {
  private p = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.p !== this.s.length)
      throw new Error(`glob-examples: unexpected '${this.s[this.p]}' in ${this.s}`);
    return n;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.s[this.p] === '|') {
      this.p++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? (alts[0] as Node) : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.p < this.s.length && this.s[this.p] !== '|' && this.s[this.p] !== ')') {
      let atom = this.atom();
      const q = this.s[this.p];
      if (q === '*' || q === '+') {
        this.p++;
        atom = { t: 'rep', min: q === '*' ? 0 : 1, node: atom };
      }
      items.push(atom);
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  private atom(): Node {
    const c = this.s[this.p];
    if (c === '(') {
      if (this.s.startsWith('(?:', this.p)) this.p += 3;
      else this.p++;
      const n = this.alt();
      if (this.s[this.p] !== ')') throw new Error(`glob-examples: unclosed group in ${this.s}`);
      this.p++;
      return n;
    }
    if (c === '[') return this.charClass();
    return { t: 'lit', s: String.fromCharCode(this.char()) };
  }

  private char(): number {
    const c = this.s[this.p] as string;
    if (c === '\\') {
      const n = this.s[this.p + 1];
      if (n === 'x') {
        const code = Number.parseInt(this.s.slice(this.p + 2, this.p + 4), 16);
        this.p += 4;
        return code;
      }
      this.p += 2;
      return (n as string).charCodeAt(0);
    }
    this.p++;
    return c.charCodeAt(0);
  }

  private charClass(): Node {
    this.p++; // [
    let neg = false;
    if (this.s[this.p] === '^') {
      neg = true;
      this.p++;
    }
    const set = new Set<number>();
    while (this.s[this.p] !== ']') {
      if (this.p >= this.s.length) throw new Error(`glob-examples: unclosed class in ${this.s}`);
      const a = this.char();
      if (this.s[this.p] === '-' && this.s[this.p + 1] !== ']') {
        this.p++;
        const b = this.char();
        for (let x = a; x <= b; x++) set.add(x);
      } else set.add(a);
    }
    this.p++; // ]
    return { t: 'class', neg, set };
  }
}

const classHas = (n: Extract<Node, { t: 'class' }>, c: number): boolean => n.set.has(c) !== n.neg;

/** The byte a class contributes to examples: a preferred printable one, else any it allows. */
function classPick(n: Extract<Node, { t: 'class' }>, avoidSlash: boolean): string | undefined {
  for (const ch of PREFERRED) {
    const c = ch.charCodeAt(0);
    if (avoidSlash && c === 0x2f) continue;
    if (classHas(n, c)) return ch;
  }
  for (let c = 0x21; c < 0x7f; c++) if (classHas(n, c)) return String.fromCharCode(c);
  for (let c = 0x80; c < 0x100; c++) if (classHas(n, c)) return String.fromCharCode(c);
  return undefined;
}

/** Cap on examples per node, so nested alternations stay small (a glob expands to at most this). */
const CAP = 24;

/** Up to `max` items spread evenly over `xs` (keeps both ends of a long product). */
function spread<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.floor((i * (xs.length - 1)) / (max - 1))] as T);
  return out;
}

function examples(n: Node): string[] {
  switch (n.t) {
    case 'lit':
      return [n.s];
    case 'class': {
      const pick = classPick(n, true) ?? classPick(n, false);
      return pick === undefined ? [] : [pick];
    }
    case 'alt':
      return spread([...new Set(n.alts.flatMap(examples))], CAP);
    case 'seq': {
      let acc = [''];
      for (const it of n.items) {
        const xs = examples(it);
        const next: string[] = [];
        for (const a of acc) for (const x of xs) next.push(a + x);
        acc = spread([...new Set(next)], CAP);
      }
      return acc;
    }
    case 'rep': {
      const one = examples(n.node);
      const out = n.min === 0 ? [''] : [];
      out.push(...one);
      // A repetition that may cross `/` (`**`) also gets a deeper example: x/x.
      if (n.node.t === 'class' && classHas(n.node, 0x2f) && one.length) {
        const first = one[0] as string;
        out.push(`${first}/${first}`);
      }
      return out;
    }
  }
}

/**
 * Paths the matcher matches (UTF-8 text, as queries take them). Every example is re-tested
 * against the matcher, so a generator mistake can only make the list shorter, never wrong.
 */
export function globExamples(m: GlobMatcher): string[] {
  const src = m.regex.source.replace(/^\^\(\?:/, '').replace(/\)\$$/, '');
  const raw = examples(new RegexReader(src).parse());
  const out: string[] = [];
  for (const latin1 of raw) {
    if (latin1.includes('\x00')) continue;
    const path = Buffer.from(latin1, 'latin1').toString('utf8');
    if (m.test(path) && !out.includes(path)) out.push(path);
  }
  return out;
}
