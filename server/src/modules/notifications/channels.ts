import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { maskEmail, maskPhone } from '../../platform/mask.ts';

/**
 * Outside channels behind one interface (issue 3 §12). The outbox sweep hands each message and
 * its recipient to the adapter of the message's channel; an adapter either delivers or throws
 * (the sweep retries with a growing wait, five times at most).
 */
export interface Recipient {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface Page {
  kind: string;
  title: string;
  body: string | null;
  entityId: string | null;
}

export interface ChannelAdapter {
  send(message: { id: string; payload: Page }, to: Recipient): Promise<void>;
}

export type Channel = 'sms' | 'wechat' | 'email';
export type Channels = Record<Channel, ChannelAdapter>;

export const DEFAULT_FROM = '金文大厦物业 towerdesk <noreply@towerdesk.local>';

/**
 * Writes the message to the log and counts it sent: the default until a gateway is configured, so
 * the outbox does not grow and an operator can see what would have gone out.
 */
export function logOnly(channel: Channel, log: Pick<FastifyBaseLogger, 'info'>): ChannelAdapter {
  return {
    async send(message, to) {
      log.info({ outbox: message.id, channel, to: { name: to.name, phone: maskPhone(to.phone), email: maskEmail(to.email) }, payload: message.payload }, 'outbox message (log-only adapter)');
    },
  };
}

/** E-mail through SMTP (nodemailer). Plain text, Chinese first; a link to the item when the public address is known. */
export function emailAdapter(transport: Transporter, from: string, publicUrl?: string): ChannelAdapter {
  return {
    async send(message, to) {
      if (!to.email) throw new Error('recipient has no e-mail address');
      const { title, body, entityId } = message.payload;
      const link = publicUrl && entityId ? `\n\n${publicUrl.replace(/\/$/, '')}/work-items?item=${entityId}` : '';
      await transport.sendMail({
        from,
        to: to.name ? { name: to.name, address: to.email } : to.email,
        subject: `【金文大厦物业】${title}`,
        text: `${title}${body ? `\n\n${body}` : ''}${link}\n\n—— towerdesk 自动通知，请勿直接回复`,
      });
    },
  };
}

/**
 * The adapters of this process: SMS and WeChat log only (no gateway contract yet); e-mail goes
 * out by SMTP when SMTP_URL is set (e.g. `smtps://user:pass@smtp.example.com`), else logs too.
 */
export function channelsFromConfig(cfg: { SMTP_URL?: string; SMTP_FROM: string; PUBLIC_URL?: string }, log: Pick<FastifyBaseLogger, 'info'>): Channels {
  return {
    sms: logOnly('sms', log),
    wechat: logOnly('wechat', log),
    email: cfg.SMTP_URL ? emailAdapter(nodemailer.createTransport(cfg.SMTP_URL), cfg.SMTP_FROM, cfg.PUBLIC_URL) : logOnly('email', log),
  };
}
