// The roles of towerdesk accounts (REQUIREMENTS, "Roles used below"). The server's permission
// table and the work-item kinds both speak in these names, so they live in the pure package.

export const ROLES = ['admin', 'supervisor', 'agent', 'technician', 'guard', 'cleaner', 'gardener', 'occupant', 'owner_rep'] as const;
export type Role = (typeof ROLES)[number];

/** zh-CN / en-US names of the roles, as the desk and the phone screens show them. */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  supervisor: { zh: '主管', en: 'Supervisor' },
  agent: { zh: '客服', en: 'Service agent' },
  technician: { zh: '维修工', en: 'Technician' },
  guard: { zh: '安保', en: 'Security guard' },
  cleaner: { zh: '保洁', en: 'Cleaner' },
  gardener: { zh: '绿化', en: 'Gardener' },
  occupant: { zh: '业主/使用人', en: 'Occupant' },
  owner_rep: { zh: '业主方代表', en: "Owner's representative" },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
