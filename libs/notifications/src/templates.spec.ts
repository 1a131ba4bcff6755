import { RISK_FLAG_TITLES } from '@fh/domain';
import type { RiskFlagCode } from '@fh/domain';
import { composeNotification, type EmailFacts } from './templates';

describe('email templates', () => {
  const facts = (flagCodes: readonly RiskFlagCode[]): EmailFacts => ({
    reference: 'HT-2026-000042',
    link: 'https://console.handover.test/transfers/t-1',
    sendingTeam: 'Birmingham Health Visiting',
    sendingArea: 'Birmingham',
    receivingTeam: 'Sandwell Health Visiting',
    receivingArea: 'Sandwell',
    contactDueAt: null,
    flagCodes,
  });

  it('says how many critical flags a transfer carries, never which kind of concern they are', () => {
    const codes = Object.keys(RISK_FLAG_TITLES) as RiskFlagCode[];
    for (const flagCodes of [codes.slice(0, 1), codes.slice(0, 2), codes]) {
      const email = composeNotification('critical_flags', facts(flagCodes));
      const said = `${email.subject}\n${email.text}`;
      expect(said).toContain('HT-2026-000042');
      expect(said).toContain(
        flagCodes.length === 1 ? 'carries 1 critical flag.' : `carries ${flagCodes.length} critical flags.`,
      );
      for (const { title, why } of Object.values(RISK_FLAG_TITLES)) {
        expect(said).not.toContain(title);
        expect(said).not.toContain(why);
      }
      for (const code of codes) expect(said).not.toContain(code);
      expect(said).not.toMatch(/bruis|injur|baby|mobile|GP|weight|father|carer/i);
    }
  });

  it('asks a host team to acknowledge a host notification, never to accept it', () => {
    const email = composeNotification('notification.contact_confirmed', facts([]));
    const said = `${email.subject}\n${email.text}`;
    expect(said).toContain('acknowledge the host notification, naming your contact');
    expect(said).toContain('the sending practitioner stays accountable');
    expect(said).not.toMatch(/\baccept\b/i);
    expect(composeNotification('contact.confirmed', facts([])).text).toContain('accept the transfer');
  });
});
