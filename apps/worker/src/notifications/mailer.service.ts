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
      ignoreTLS: config.smtpUrl.startsWith('smtp://') && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(config.smtpUrl).hostname),
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: email.to, subject: email.subject, text: email.text, messageId: email.messageId });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/** 5xx replies, authentication and address problems will not get better by trying again. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.code === 'EAUTH' || e.code === 'EENVELOPE';
}
