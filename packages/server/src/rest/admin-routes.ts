/**
 * What the admin console reads besides the operations API (Basic auth):
 *
 *   GET /v1/admin/stats → this node's samples for the live charts
 *   GET /v1/admin/nodes → the live nodes of the deployment, with their sessions
 */
import type { Route } from './router.js';

/** The node's view the admin routes answer from. */
export interface AdminView {
  stats(): Record<string, unknown>;
  nodes(): Promise<Record<string, unknown>>;
}

export function adminRoutes(view: AdminView): Route[] {
  return [
    {
      name: 'admin_stats',
      method: 'GET',
      path: '/v1/admin/stats',
      auth: 'operator',
      handle: () => Promise.resolve(view.stats()),
    },
    {
      name: 'admin_nodes',
      method: 'GET',
      path: '/v1/admin/nodes',
      auth: 'operator',
      handle: () => view.nodes(),
    },
  ];
}
