export const ROLES = ['reporter', 'editor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs; roles grant sets of these (API.md, Access). */
export const PERMISSIONS = ['read', 'write', 'verdict', 'audit'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  reporter: ['read', 'write'],
  editor: ['read', 'write', 'verdict'],
  auditor: ['read', 'audit'],
  admin: ['read', 'write', 'verdict', 'audit'],
};

export function roleMay(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
