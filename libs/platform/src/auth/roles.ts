export const ROLES = ['reporter', 'editor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs; roles grant sets of these (API.md, Access). `sources:identity` reveals who a
 * protected source is in reads; `sources:shred` destroys that for good and `keys:rotate` re-wraps
 * the source keys under a new master key (docs/security.md).
 */
export const PERMISSIONS = [
  'read',
  'write',
  'verdict',
  'audit',
  'sources:identity',
  'sources:shred',
  'keys:rotate',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  reporter: ['read', 'write'],
  editor: ['read', 'write', 'verdict', 'sources:identity'],
  auditor: ['read', 'audit'],
  admin: ['read', 'write', 'verdict', 'audit', 'sources:identity', 'sources:shred', 'keys:rotate'],
};

export function roleMay(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
