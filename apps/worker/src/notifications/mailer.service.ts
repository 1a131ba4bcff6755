import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { createTransport, Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/** nodemailer's SMTP transport to SMTP_URL. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = config.mailFrom;
    this.transport = createTransport({
      url: config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // A mail catcher on this machine offers no certificate worth checking; anywhere else STARTTLS
      // is used whenever the relay offers it (or smtps:// from the start).
      ignoreTLS:
        config.smtpUrl.startsWith('smtp://') &&
        ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(config.smtpUrl).hostname),
    });
  }

  /** Throws an SmtpFailure (codes only) when the relay refuses or cannot be reached. */
  async send(email: OutgoingEmail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
      });
    } catch (error) {
      throw SmtpFailure.of(error);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/**
 * A failed send with only its codes: the reply code (550), the enhanced status code (5.1.1) and
 * nodemailer's error code (EENVELOPE, EMESSAGE, ECONNECTION…). A relay's reply text names the
 * mailbox it refused (an address, often a person's name), so it is dropped here, before the error
 * reaches emails.last_error, a log line or BullMQ (failedReason, stacktrace).
 */
export class SmtpFailure extends Error {
  constructor(
    readonly code: string | undefined,
    readonly responseCode: number | undefined,
    readonly enhancedStatus: string | undefined,
  ) {
    super(['SMTP send failed:', code, responseCode, enhancedStatus].filter(Boolean).join(' '));
    this.name = 'SmtpFailure';
  }

  static of(error: unknown): SmtpFailure {
    const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown };
    const code = typeof e.code === 'string' && /^[A-Z0-9_]{1,32}$/.test(e.code) ? e.code : undefined;
    const responseCode =
      typeof e.responseCode === 'number' && Number.isInteger(e.responseCode) ? e.responseCode : undefined;
    const enhanced =
      typeof e.response === 'string' ? /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(e.response)?.[1] : undefined;
    return new SmtpFailure(code, responseCode, enhanced);
  }
}

/** 5xx replies, authentication and address problems will not get better by trying again. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.code === 'EAUTH' || e.code === 'EENVELOPE';
}
