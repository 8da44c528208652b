/**
 * The model engine, held to verdicts we can explain (test/corpus/simulate/verdicts.tsv, each row
 * with its reason), and to the property that matters most: the verdicts come from the profile
 * text — delete a rule and what it alone stopped goes through.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TECHNIQUES, techniqueById } from '../catalog/index.js';
import type { Technique } from '../catalog/schema.js';
import { generate } from '../scheme/index.js';
import { appArmorLayer, builtinDefence, type Defence, noneDefence } from './defence.js';
import { decideTechnique } from './model.js';
import { provenanceOf } from './provenance.js';

const root = join(import.meta.dirname, '..', '..');
const defences = new Map(['none', 'docker-default', 'breakwater'].map((id) => [id, builtinDefence(id)]));

const rows = readFileSync(join(root, 'test/corpus/simulate/verdicts.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.split('\t'));

describe('verdicts we can explain', () => {
  it.each(rows)('%s under %s: %s (%s)', (tech, def, verdict, layers) => {
    const t = techniqueById(tech as string) as Technique;
    expect(t, tech).toBeDefined();
    const r = decideTechnique(defences.get(def as string) as Defence, t);
    expect(r.verdict).toBe(verdict);
    expect(r.chains.map((c) => c.steps.find((s) => s.decision === 'deny')?.layer ?? '-').join(',')).toBe(
      layers,
    );
  });
});

describe('every technique under every built-in defence', () => {
  it('gets a verdict with evidence for each chain', () => {
    for (const d of defences.values())
      for (const t of TECHNIQUES) {
        const r = decideTechnique(d, t);
        expect(r.chains.length).toBe(t.chains.length);
        for (const c of r.chains)
          expect(c.steps.length).toBeGreaterThanOrEqual(
            t.chains.find((x) => x.id === c.chain)?.steps.length ?? 0,
          );
        if (r.verdict === 'not-applicable') expect(r.fix).toMatch(/>=/);
      }
  });

  it('under `none`, no step is decided by seccomp or AppArmor', () => {
    const none = defences.get('none') as Defence;
    for (const t of TECHNIQUES)
      for (const c of decideTechnique(none, t).chains)
        for (const s of c.steps) expect(['seccomp', 'apparmor']).not.toContain(s.layer);
  });

  it('breakwater blocks at least everything docker-default blocks', () => {
    const dd = defences.get('docker-default') as Defence;
    const bw = defences.get('breakwater') as Defence;
    for (const t of TECHNIQUES)
      if (decideTechnique(dd, t).verdict === 'blocked')
        expect(decideTechnique(bw, t).verdict, t.id).toBe('blocked');
  });
});

describe('verdicts follow the profile text', () => {
  // Only the generated AppArmor profile as a layer: Docker's runtime defaults, no seccomp, no user namespace.
  const scheme = generate();
  const onlyAppArmor = (text: string): Defence => ({
    ...noneDefence(),
    id: 'apparmor-only',
    apparmor: appArmorLayer(text, 'apparmor.profile'),
  });
  const full = onlyAppArmor(scheme.apparmor);
  const lines = scheme.apparmor.split('\n');
  const provenance = provenanceOf(scheme);

  it('deleting a deny rule lets through what it alone stopped, and only techniques it is credited with', () => {
    let flips = 0;
    for (const [rule, ids] of provenance.apparmor) {
      const at = lines.findIndex((l) => l.trim() === rule);
      expect(at, rule).toBeGreaterThan(-1);
      const without = onlyAppArmor([...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'));
      for (const t of TECHNIQUES) {
        const before = decideTechnique(full, t).verdict;
        const after = decideTechnique(without, t).verdict;
        if (before === 'blocked' && after !== 'blocked') {
          // a flip is always a technique the rule is credited with
          expect(ids, `${t.id} flipped without \`${rule}\``).toContain(t.id);
          flips++;
        }
        // deleting a deny rule never blocks anything new
        if (before !== 'blocked') expect(after, t.id).not.toBe('blocked');
      }
    }
    expect(flips).toBeGreaterThanOrEqual(3);
  });

  it('removing the runtime-socket rule opens the docker socket technique', () => {
    const t = techniqueById('docker-socket-mounted') as Technique;
    expect(decideTechnique(full, t).verdict).toBe('blocked');
    const text = scheme.apparmor.replace(/^.*deny "\/\{,var\/\}run\/\{docker,.*\n/m, '');
    expect(text).not.toBe(scheme.apparmor);
    expect(decideTechnique(onlyAppArmor(text), t).verdict).toBe('not-blocked');
  });
});
