import { at, type Check } from '../../types.js';

export const unconfinedExec: Check<'unconfined' | 'fallback'> = {
  meta: {
    id: 'unconfined-exec',
    description: 'A program can be executed unconfined (ux, Ux, or a px/cx fallback to unconfined).',
    severity: 'high',
    remediation:
      'Use `ix` (inherit this profile) or `Px`/`Cx` to a named profile; never `ux`, and not the `pux`/`cux` fallbacks.',
    messages: {
      unconfined:
        '`{{rule}}` executes {{path}} unconfined ({{mode}}): that program and everything it starts run with no AppArmor profile at all',
      fallback:
        '`{{rule}}` falls back to unconfined ({{mode}}) when no profile for {{path}} is loaded: a missing or renamed profile silently removes confinement',
    },
  },
  run(ctx, report) {
    for (const r of ctx.profile.file) {
      if (r.deny || !r.exec || !/[uU]x$/.test(r.exec)) continue;
      const plain = r.exec === 'ux' || r.exec === 'Ux';
      report({
        messageId: plain ? 'unconfined' : 'fallback',
        data: { rule: r.ref.text, mode: r.exec, path: r.path?.source ?? '(any path)' },
        pos: at(r.ref),
      });
    }
  },
};
