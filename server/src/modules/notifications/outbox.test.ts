import nodemailer from 'nodemailer';
import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';
import { emailAdapter, type ChannelAdapter, type Channels, type Page, type Recipient } from './channels.ts';
import { notify, sendOutbox } from './service.ts';

/**
 * The outbox (issue 3 §12): pages written with the change that caused them, sent after commit by
 * the channel adapters — SMS always, e-mail when the account has an address — each once.
 */
const t = await testApp();
const { accountIds, siteId } = t.world;

/** An adapter that records what it was asked to send (optionally failing). */
function recorder(fail = false) {
  const sent: Array<{ id: string; payload: Page; to: Recipient }> = [];
  const adapter: ChannelAdapter = {
    async send(message, to) {
      if (fail) throw new Error('gateway down');
      sent.push({ ...message, to });
    },
  };
  return { sent, adapter };
}

const outboxRows = async () => (await t.db.execute<{ channel: string; account_id: string; attempts: number; sent: boolean; last_error: string | null }>(
  sql`select channel, account_id, attempts, sent_at is not null as sent, last_error from outbox order by channel, account_id`)).rows;

describe('CS-3 CP-4 the outbox: pages by SMS, and by e-mail where an address is known', () => {
  test('an account given an e-mail address keeps it; lists show it masked; a bad address is a 400 naming body.email', async () => {
    const ok = await t.as('admin', { method: 'PATCH', url: `/api/accounts/${accountIds.supervisor}`, payload: { email: 'zhang.wei@jinwen-pm.cn' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().email).toBe('z***@jinwen-pm.cn');
    const bad = await t.as('admin', { method: 'PATCH', url: `/api/accounts/${accountIds.agent}`, payload: { email: 'not-an-address' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('body.email');
    const [row] = (await t.db.execute<{ email: string | null }>(sql`select email from accounts where id = ${accountIds.agent}`)).rows;
    expect(row!.email).toBeNull();
  });

  test('a page to two people: both get an SMS, the one with an address an e-mail too; two sweeps at once send each message once', async () => {
    await notify(t.db, t.clock.now(), [accountIds.supervisor, accountIds.technician], {
      siteId, kind: 'clock.breach', title: { zh: '紧急报修超时未到场 BX-20261203-0001', en: 'Urgent repair: arrival overdue' }, body: '12层 1201室 漏水', entityId: crypto.randomUUID(), page: true,
    });
    expect((await outboxRows()).map((r) => [r.channel, r.account_id])).toEqual(
      [['email', accountIds.supervisor], ...[['sms', accountIds.supervisor], ['sms', accountIds.technician]].sort((a, b) => a[1]!.localeCompare(b[1]!))],
    );

    const sms = recorder();
    const mails: Array<{ from: unknown; to: unknown; subject: unknown; text: unknown }> = [];
    const transport = nodemailer.createTransport({
      name: 'capture', version: '1',
      send(mail, done) {
        mails.push({ from: mail.data.from, to: mail.data.to, subject: mail.data.subject, text: mail.data.text });
        done(null, { envelope: mail.message.getEnvelope(), messageId: 'm1' });
      },
    });
    const channels: Channels = { sms: sms.adapter, wechat: recorder().adapter, email: emailAdapter(transport, 'towerdesk <noreply@towerdesk.local>', 'https://towerdesk.example.com') };
    const counts = await Promise.all([sendOutbox(t.db, t.clock.now(), channels), sendOutbox(t.db, t.clock.now(), channels)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(sms.sent).toHaveLength(2);
    // The technician's phone comes from the staff record; SMS adapters get the full number.
    expect(sms.sent.find((m) => m.to.name === '测试technician')!.to.phone).toBe('13900000001');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual({ name: '测试supervisor', address: 'zhang.wei@jinwen-pm.cn' });
    expect(mails[0]!.subject).toBe('【金文大厦物业】紧急报修超时未到场 BX-20261203-0001');
    expect(String(mails[0]!.text)).toContain('12层 1201室 漏水');
    expect(String(mails[0]!.text)).toMatch(/https:\/\/towerdesk\.example\.com\/work-items\?item=[0-9a-f-]{36}/);
    expect((await outboxRows()).every((r) => r.sent && r.attempts === 1)).toBe(true);

    // Nothing is left to send: a later pass sends nothing again.
    expect(await sendOutbox(t.db, t.clock.now(), channels)).toBe(0);
  });

  test('a failing gateway: the message is retried with a growing wait, five tries at most, the error kept', async () => {
    await t.db.execute(sql`delete from outbox`);
    await notify(t.db, t.clock.now(), [accountIds.technician], { siteId, kind: 'work_item.assigned', title: { zh: '新派单', en: 'New assignment' }, page: true });
    const down = recorder(true);
    const channels: Channels = { sms: down.adapter, wechat: down.adapter, email: down.adapter };
    const tries: number[] = [];
    for (let minute = 0; minute < 20; minute++) {
      tries.push(await sendOutbox(t.db, t.clock.now(), channels));
      t.clock.advance(1);
    }
    // Tries at 0, +30 s (next pass: 1 min), +1.5 min (2 min), +3.5 min (4 min), +7.5 min (8 min); then it gives up.
    expect(tries.map((n, minute) => (n ? minute : null)).filter((m) => m !== null)).toEqual([0, 1, 2, 4, 8]);
    const [row] = await outboxRows();
    expect(row).toMatchObject({ attempts: 5, sent: false, last_error: 'Error: gateway down' });
  });
});
