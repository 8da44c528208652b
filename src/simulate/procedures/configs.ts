/**
 * The lab configurations a procedure runs under: the four defences of the issue, each layer of
 * breakwater alone on top of `none` (so a verdict can say which layer stops the attack), and
 * `upgrade` (Docker's defaults plus the fixed release's behaviour). A configuration is the environment bwlab.c
 * and run.sh read (lab/vulnerable/common/bwlab.h) plus the profiles to load.
 */
import { BREAKWATER_PROFILE_NAME } from '../../scheme/apparmor.js';
import { managementProfileName } from '../../scheme/management/profiles.js';
import { DEPLOYABLE_SETTINGS, FIXED_BEHAVIOURS } from '../../scheme/management/settings.js';
import { MANAGEMENT_COMPONENTS } from '../../scheme/management/types.js';
import { breakwaterDefence, type Defence, dockerDefaultDefence, noneDefence } from '../defence.js';
import type { Scenario } from './scenarios.js';

/** The defences of the procedures suite, in report order. */
export const PROCEDURE_DEFENCES = ['none', 'docker-default', 'breakwater', 'breakwater+management'] as const;
export type ProcedureDefence = (typeof PROCEDURE_DEFENCES)[number];

/** What can stop a procedure in the lab (a subset of the report's layers). */
export const PROCEDURE_LAYERS = [
  'seccomp',
  'apparmor',
  'user-namespace',
  'settings',
  'management-apparmor',
  'runtime-settings',
] as const;
export type ProcedureLayer = (typeof PROCEDURE_LAYERS)[number];

export interface LabConfig {
  /** `<defence>` or `only:<layer>` or `docker-only:<layer>` or `upgrade`. */
  id: string;
  /** Environment for run.sh (the BW_* of bwlab.h, BW_MGMT_PROFILE, BW_SETTINGS). */
  env: Record<string, string>;
}

/** Where the lab VM puts the rule files (see vm-lab.ts). */
export const RULES_DIR = '/lab/profiles';

const capsEnv = (d: Defence): string =>
  [...d.capabilities]
    .map((c) => `CAP_${c.toUpperCase()}`)
    .sort()
    .join(',');

interface Parts {
  seccomp?: 'docker-default' | 'breakwater';
  apparmor?: 'docker-default' | typeof BREAKWATER_PROFILE_NAME;
  management?: boolean;
  userns?: boolean;
  /** breakwater's container settings: capabilities, no-new-privileges, masked and read-only paths. */
  settings?: boolean;
  /** The management plane's deployable settings the scenario honours (read-only runtime binary...). */
  deployable?: boolean;
  /** The fixed release's behaviour. */
  fixed?: boolean;
}

function env(scenario: Scenario, p: Parts): Record<string, string> {
  const base = p.settings ? breakwaterDefence() : noneDefence();
  const e: Record<string, string> = {
    BW_CAPS: capsEnv(base),
    BW_MASKED: base.maskedPaths.join(':'),
    BW_READONLY: base.readonlyPaths.filter((x) => x !== '/sys').join(':'),
  };
  if (p.settings) e.BW_NNP = '1';
  if (p.seccomp) e.BW_SECCOMP = `${RULES_DIR}/${p.seccomp}.rules`;
  if (p.apparmor) e.BW_APPARMOR = p.apparmor;
  if (p.management) {
    e.BW_MGMT_PROFILE = managementProfileName(scenario.component as never);
    // Every component's profile, for scenarios that play several management processes.
    for (const c of MANAGEMENT_COMPONENTS)
      e[`BW_MGMT_${c.toUpperCase().replace('-', '_')}`] = managementProfileName(c);
  }
  if (p.userns) e.BW_USERNS = '1';
  const settings = scenario.settings.filter(
    (s) => (p.deployable && s in DEPLOYABLE_SETTINGS) || (p.fixed && s in FIXED_BEHAVIOURS),
  );
  if (settings.length) e.BW_SETTINGS = settings.join(',');
  return e;
}

const DEFENCE_PARTS: Record<ProcedureDefence, Parts> = {
  none: {},
  'docker-default': { seccomp: 'docker-default', apparmor: 'docker-default' },
  breakwater: { seccomp: 'breakwater', apparmor: BREAKWATER_PROFILE_NAME, userns: true, settings: true },
  'breakwater+management': {
    seccomp: 'breakwater',
    apparmor: BREAKWATER_PROFILE_NAME,
    userns: true,
    settings: true,
    management: true,
    deployable: true,
  },
};

/** The part of a configuration each layer is. */
const LAYER_KEY: Record<ProcedureLayer, keyof Parts> = {
  seccomp: 'seccomp',
  apparmor: 'apparmor',
  'user-namespace': 'userns',
  settings: 'settings',
  'management-apparmor': 'management',
  'runtime-settings': 'deployable',
};

/** `layer` of `defence` alone, on top of none. */
const layerOf = (defence: ProcedureDefence, layer: ProcedureLayer): Parts => ({
  [LAYER_KEY[layer]]: DEFENCE_PARTS[defence][LAYER_KEY[layer]],
});

/** `defence` with `layer` left out. */
function withoutLayer(defence: ProcedureDefence, layer: ProcedureLayer): Parts {
  const p: Parts = { ...DEFENCE_PARTS[defence] };
  delete p[LAYER_KEY[layer]];
  return p;
}

/** The layers a defence is made of (the parts it sets), in PROCEDURE_LAYERS order. */
const layersOf = (d: ProcedureDefence): readonly ProcedureLayer[] =>
  PROCEDURE_LAYERS.filter((l) => DEFENCE_PARTS[d][LAYER_KEY[l]] !== undefined);

export const DEFENCE_LAYERS: Record<ProcedureDefence, readonly ProcedureLayer[]> = {
  none: layersOf('none'),
  'docker-default': layersOf('docker-default'),
  breakwater: layersOf('breakwater'),
  'breakwater+management': layersOf('breakwater+management'),
};

/** Every configuration a scenario runs under. */
export function labConfigs(scenario: Scenario): LabConfig[] {
  return [
    ...PROCEDURE_DEFENCES.map((d) => ({ id: d, env: env(scenario, DEFENCE_PARTS[d]) })),
    ...PROCEDURE_LAYERS.map((l) => ({
      id: `only:${l}`,
      env: env(scenario, layerOf('breakwater+management', l)),
    })),
    ...DEFENCE_LAYERS['docker-default'].map((l) => ({
      id: `docker-only:${l}`,
      env: env(scenario, layerOf('docker-default', l)),
    })),
    // Each layer left out of each defence: a layer whose removal lets the attack through is one
    // the defence needs, even when it stops nothing alone (a management rule guarding a profile).
    ...PROCEDURE_DEFENCES.flatMap((d) =>
      DEFENCE_LAYERS[d].map((l) => ({ id: withoutConfigId(d, l), env: env(scenario, withoutLayer(d, l)) })),
    ),
    // A Docker user who upgrades: Docker's defaults plus the fixed release's behaviour.
    { id: 'upgrade', env: env(scenario, { ...DEFENCE_PARTS['docker-default'], fixed: true }) },
  ];
}

/** The configuration that is `defence` with `layer` left out. */
export const withoutConfigId = (defence: ProcedureDefence, layer: ProcedureLayer): string =>
  `without:${defence}:${layer}`;

/**
 * The benign management workloads run under the four defences: a normal runtime, shim and copy
 * helper must keep working under each (every component's management profile is set).
 */
export function benignConfigs(): LabConfig[] {
  const unit = { component: 'runtime', settings: [] } as unknown as Scenario;
  return PROCEDURE_DEFENCES.map((d) => ({ id: d, env: env(unit, DEFENCE_PARTS[d]) }));
}

/** The ablation configuration that shows whether `layer` of `defence` stops the attack alone. */
export function layerConfigId(defence: ProcedureDefence, layer: ProcedureLayer): string {
  return defence === 'docker-default' ? `docker-only:${layer}` : `only:${layer}`;
}

/** The defences whose profiles the VM must load. */
export function containerDefences(): Defence[] {
  return [dockerDefaultDefence(), breakwaterDefence()];
}
