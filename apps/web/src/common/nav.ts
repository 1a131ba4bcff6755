import type { Practitioner } from './web-request.js';

/** One item of the service navigation. `show` decides who sees it (roles come from the directory). */
export interface NavItem {
  href: string;
  text: string;
  show: (practitioner: Practitioner) => boolean;
}

/**
 * The console's navigation, in order. Extension point: a new section (e.g. `/transfers/new`,
 * `/monitoring`) adds its entry here when its pages exist.
 */
export const NAV_ITEMS: NavItem[] = [
  { href: '/', text: 'Your work', show: (p) => p.role !== 'admin' },
  { href: '/transfers/new', text: 'Start a transfer', show: (p) => p.role === 'practitioner' || p.role === 'manager' },
  // Issue 14 item 3: requests to and from other areas (everyone who may see them: not admins).
  { href: '/transfer-requests', text: 'Transfer requests', show: (p) => p.role !== 'admin' },
  {
    href: '/monitoring',
    text: 'Monitoring',
    show: (p) => p.role === 'manager' || p.role === 'safeguarding_lead' || p.role === 'admin',
  },
];

/** The items for this practitioner, with the current one marked (govukServiceNavigation's shape). */
export function navigationFor(
  practitioner: Practitioner | null,
  path: string,
): { href: string; text: string; active: boolean }[] {
  if (!practitioner) return [];
  const current = path.split(/[?#]/)[0];
  return NAV_ITEMS.filter((item) => item.show(practitioner)).map((item) => ({
    href: item.href,
    text: item.text,
    active: item.href === '/' ? current === '/' : current === item.href || current.startsWith(`${item.href}/`),
  }));
}
