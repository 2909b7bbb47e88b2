import type { NightjarConfig, RoleName } from '@nightjar/config';
import { ROLE_NAMES } from '@nightjar/config';
import { ConfigError } from '@nightjar/core';
import type { Logger, Registry, Role } from '@nightjar/runtime';
import type { Ports } from './adapters.ts';
import { apiRole } from './roles/api-role.ts';
import { collectorRole } from './roles/collector-role.ts';
import { detectorRole } from './roles/detector-role.ts';
import { notifierRole } from './roles/notifier-role.ts';
import { sinkRole } from './roles/sink-role.ts';

/** What a role factory receives: only the ports it declared, plus process services. */
export interface RoleContext {
  readonly config: NightjarConfig;
  readonly ports: Ports;
  readonly log: Logger;
  readonly metrics: Registry;
}

export interface RoleDefinition {
  readonly name: RoleName;
  /** The ports this role uses; the composition root opens only these. */
  readonly needs: readonly (keyof Ports)[];
  create(context: RoleContext): Role;
}

/**
 * The roles this build ships. A role lands here when its service exists;
 * `all` means every entry, and naming a role that is not here is a usage error.
 */
export const AVAILABLE_ROLES: readonly RoleDefinition[] = [
  sinkRole,
  apiRole,
  detectorRole,
  notifierRole,
  collectorRole,
];

export function selectRoles(requested: readonly string[]): RoleDefinition[] {
  const wanted = requested.includes('all') ? AVAILABLE_ROLES.map((role) => role.name) : requested;
  return wanted.map((name) => {
    const definition = AVAILABLE_ROLES.find((role) => role.name === name);
    if (definition) return definition;
    const known = (ROLE_NAMES as readonly string[]).includes(name);
    throw new ConfigError([
      known
        ? `roles: "${name}" is not part of this build yet (available: ${AVAILABLE_ROLES.map((role) => role.name).join(', ') || 'none'})`
        : `roles: unknown role "${name}" (roles: ${ROLE_NAMES.join(', ')}, or all)`,
    ]);
  });
}
