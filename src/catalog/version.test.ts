import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BreakwaterError } from '../errors.js';
import type { Affected, Component, VersionRange } from './schema.js';
import { versionSchema } from './schema.js';
import { affectedRangeFor, compareVersions, fixedVersionFor, isAffected } from './version.js';

describe('compareVersions', () => {
  // Each row: a, b, expected sign. Written out by hand (not derived) so an ordering bug shows.
  const table: Array<[string, string, -1 | 0 | 1]> = [
    ['1.1.12', '1.1.11', 1],
    ['1.1.9', '1.1.10', -1],
    ['1.2', '1.2.0', 0],
    ['5.17', '5.17.0.0', 0],
    ['5', '5.0.1', -1],
    ['1.0.0-rc6', '1.0.0-rc7', -1],
    ['1.0.0-rc10', '1.0.0-rc9', 1],
    ['1.0.0-rc95', '1.0.0', -1],
    ['1.0.0-rc95', '0.1.1', 1],
    ['1.2.0-rc.1', '1.2.0-rc1', 0],
    ['1.2.0-rc.3', '1.1.14', 1],
    ['1.2.0-rc.3', '1.2.0', -1],
    ['1.4.0-rc.3', '1.3.3', 1],
    ['5.17-rc3', '5.16.20', 1],
    ['5.17-rc3', '5.17', -1],
    ['2.6.24-rc1', '2.6.23.17', 1],
    ['1.0.0-alpha2', '1.0.0-beta1', -1],
    ['1.0.0-beta9', '1.0.0-rc1', -1],
    ['1.0.0-alpha1', '1.0.0-alpha.1', 0],
    ['18.09.2', '18.9.2', 0],
    ['20.10.14', '20.10.9', 1],
    ['0.12.5', '0.12.4', 1],
  ];
  it.each(table)('compare(%s, %s) = %i', (a, b, sign) => {
    expect(compareVersions(a, b)).toBe(sign);
    expect(compareVersions(b, a)).toBe(-sign || 0);
  });

  it('rejects what the schema rejects, with a stable error code', () => {
    for (const bad of [
      '',
      'v1.1.12',
      '1.1.12+dev',
      '1.2.3.4.5',
      '1.0.0-rc',
      '18.06.1-ce',
      '1.0.0-preview1',
    ]) {
      expect(versionSchema.safeParse(bad).success).toBe(false);
      expect(() => compareVersions(bad, '1.0.0')).toThrow(BreakwaterError);
    }
  });
});

const versionArb = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }),
    fc.option(
      fc.tuple(fc.constantFrom('rc', 'beta', 'alpha'), fc.boolean(), fc.integer({ min: 0, max: 12 })),
    ),
  )
  .map(([parts, pre]) => parts.join('.') + (pre ? `-${pre[0]}${pre[1] ? '.' : ''}${pre[2]}` : ''));

describe('compareVersions properties', () => {
  it('generates only versions the schema accepts', () => {
    fc.assert(fc.property(versionArb, (v) => versionSchema.safeParse(v).success));
  });

  it('is reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(versionArb, versionArb, (a, b) => {
        expect(compareVersions(a, a)).toBe(0);
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(versionArb, versionArb, versionArb, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(compareVersions) as [string, string, string];
        expect(compareVersions(x, y)).toBeLessThanOrEqual(0);
        expect(compareVersions(y, z)).toBeLessThanOrEqual(0);
        expect(compareVersions(x, z)).toBeLessThanOrEqual(0);
        // Equal elements are interchangeable: a = b and b = c imply a = c.
        if (compareVersions(a, b) === 0 && compareVersions(b, c) === 0) expect(compareVersions(a, c)).toBe(0);
        if (compareVersions(a, b) < 0 && compareVersions(b, c) < 0)
          expect(compareVersions(a, c)).toBeLessThan(0);
      }),
    );
  });
});

describe('isAffected', () => {
  const range: VersionRange = { introduced: '1.0.0-rc93', fixed: '1.1.12', lastAffected: '1.1.11' };
  const table: Array<[string, boolean]> = [
    ['1.0.0-rc92', false],
    ['1.0.0-rc93', true],
    ['1.0.0', true],
    ['1.1.11', true],
    ['1.1.12', false],
    ['1.2.0', false],
  ];
  it.each(table)('%s -> %s', (v, expected) => {
    expect(isAffected(range, v)).toBe(expected);
  });

  it('treats a missing bound as open', () => {
    expect(isAffected({ fixed: '1.0.0-rc7', lastAffected: '1.0.0-rc6' }, '0.0.1')).toBe(true);
    expect(isAffected({ introduced: '5.8', lastAffected: '6.1' }, '99.0')).toBe(true);
    expect(isAffected({ introduced: '5.8', lastAffected: '6.1' }, '5.7.19')).toBe(false);
  });
});

// Dirty Pipe's kernel ranges: three fixed stable branches, 5.11-5.14 never fixed, and mainline.
const dirtyPipe: Affected[] = [
  {
    component: 'kernel',
    ranges: [
      { introduced: '5.8-rc1', fixed: '5.10.102', lastAffected: '5.10.101' },
      { introduced: '5.11', fixed: '5.15.25', lastAffected: '5.15.24' },
      { introduced: '5.16', fixed: '5.16.11', lastAffected: '5.16.10' },
      { introduced: '5.17-rc1', fixed: '5.17-rc6', lastAffected: '5.17-rc5' },
    ],
  },
];
// A component with a branch that has no fix at all.
const unfixedBranch: Affected[] = [
  { component: 'runc', ranges: [{ fixed: '1.1.5', lastAffected: '1.1.4' }] },
  { component: 'runc', ranges: [{ introduced: '1.2.0', lastAffected: '1.2.3' }] },
  { component: 'moby', ranges: [{ fixed: '20.10.14', lastAffected: '20.10.13' }] },
];

describe('affectedRangeFor', () => {
  it('finds the branch range that holds the version', () => {
    expect(affectedRangeFor(dirtyPipe, 'kernel', '5.15.3')?.fixed).toBe('5.15.25');
    expect(affectedRangeFor(dirtyPipe, 'kernel', '5.12.19')?.fixed).toBe('5.15.25');
    expect(affectedRangeFor(dirtyPipe, 'kernel', '5.17-rc2')?.fixed).toBe('5.17-rc6');
  });
  it('is undefined for fixed versions, versions before the bug and other components', () => {
    for (const v of ['5.7.19', '5.10.102', '5.15.25', '5.16.11', '5.17', '6.1']) {
      expect(affectedRangeFor(dirtyPipe, 'kernel', v), v).toBeUndefined();
    }
    expect(affectedRangeFor(dirtyPipe, 'runc', '5.10.1')).toBeUndefined();
  });
  it('looks through every entry of the component', () => {
    expect(affectedRangeFor(unfixedBranch, 'runc', '1.2.1')).toEqual({
      introduced: '1.2.0',
      lastAffected: '1.2.3',
    });
  });
});

describe('fixedVersionFor', () => {
  const table: Array<[string, Affected[], Component, string, string | undefined]> = [
    // Same branch first.
    ['5.10 branch', dirtyPipe, 'kernel', '5.10.50', '5.10.102'],
    ['5.15 branch', dirtyPipe, 'kernel', '5.15.24', '5.15.25'],
    ['5.16 branch', dirtyPipe, 'kernel', '5.16.0', '5.16.11'],
    // A never-fixed branch sits in the range of the next fixed branch.
    ['unfixed 5.13 branch', dirtyPipe, 'kernel', '5.13.4', '5.15.25'],
    ['newer than every fix', dirtyPipe, 'kernel', '6.1.0', undefined],
    // Before the bug: not affected, the lowest fix at or above it.
    ['before the bug', dirtyPipe, 'kernel', '5.4.200', '5.10.102'],
    ['branch with no fix and nothing above', unfixedBranch, 'runc', '1.2.1', undefined],
    ['fixed branch', unfixedBranch, 'runc', '1.0.0', '1.1.5'],
    ['other component', unfixedBranch, 'moby', '20.10.1', '20.10.14'],
    ['component not listed', unfixedBranch, 'containerd', '1.0.0', undefined],
  ];
  it.each(table)('%s', (_name, affected, component, v, expected) => {
    expect(fixedVersionFor(affected, component, v)).toBe(expected);
  });
});
