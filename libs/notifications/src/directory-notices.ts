import type { ComposedEmail } from './templates.js';

/**
 * Told to an area's safeguarding leads when someone in their area is granted the safeguarding lead
 * role (issue 12 item 1). It names the team and area only — never the person, nor their address —
 * so a lead who did not expect it looks in the directory and raises it.
 */
export function composeLeadGranted(facts: { team: string; area: string }): ComposedEmail {
  return {
    subject: `Directory: safeguarding lead role granted in ${facts.area}`,
    text: [
      `A practitioner in ${facts.team} (${facts.area}) was granted the safeguarding lead role; see the directory.`,
      '',
      'Two admins made this change (one proposed it, another approved it). If you did not expect it,',
      'raise it with your information governance lead.',
    ].join('\n'),
  };
}
