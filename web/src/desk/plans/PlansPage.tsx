import { useState } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ITEM_KIND_LABELS, type ItemKind } from '@towerdesk/domain';
import { api } from '../../app/api.ts';
import { useNames } from '../../app/i18n.ts';
import type { Place, Staff } from '../../app/types.ts';
import { errorText, PageTitle, QueryState, useCan } from '../common.tsx';
import { describeRRule } from './schedule.ts';
import { usePlans, useKindOptions } from './shared.tsx';
import type { Plan, TemplateItem } from './types.ts';
import './plans.css';

/**
 * 计划 (IN-1, DESIGN §2.4): every plan with its kind, schedule in words, holiday rule, assignee,
 * template version and whether it runs; its checklist read-only; managers deactivate a plan
 * (tasks not started yet are removed by the server, records stay).
 */
export default function PlansPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const names = useNames();
  const allowed = useCan();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const plans = usePlans();
  const kinds = useKindOptions();
  const [kind, setKind] = useState<string | undefined>();
  const [showInactive, setShowInactive] = useState(false);
  const [viewing, setViewing] = useState<Plan | null>(null);
  const people = useQuery({ queryKey: ['staff', 'all'], queryFn: () => api.get<{ items: Staff[] }>('/api/staff', { limit: 500 }), staleTime: 5 * 60_000 });
  const staffName = (id: string) => people.data?.items.find((s) => s.id === id)?.name ?? '…';
  const deactivate = useMutation({
    mutationFn: (p: Plan) => api.post<Plan>(`/api/plans/${p.id}/deactivate`, {}),
    onSuccess: (p) => {
      void message.success(t('pl.plans.deactivated', { name: p.name }));
      void qc.invalidateQueries({ queryKey: ['plans'] });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const rows = (plans.data?.items ?? []).filter((p) => (showInactive || p.active) && (!kind || p.kind === kind));
  const assignee = (a: Plan['assignee']) => (a.type === 'staff' ? staffName(a.staffId)
    : a.type === 'trade' ? t('pl.plans.trade', { trade: names.trade(a.trade) }) : t('pl.plans.duty', { trade: names.trade(a.trade) }));
  return (
    <div>
      <PageTitle title={t('nav.plans')} sub={t('pl.plans.sub')} />
      <div className="filter-bar">
        <Select allowClear placeholder={t('pl.allKinds')} value={kind} onChange={setKind} options={kinds} style={{ width: 140 }} />
        <span><Switch size="small" checked={showInactive} onChange={setShowInactive} /> {t('pl.plans.showInactive')}</span>
      </div>
      <QueryState loading={plans.isPending} error={plans.error} retry={() => void plans.refetch()}>
        <Table<Plan>
          rowKey="id" size="middle" dataSource={rows} pagination={{ pageSize: 50, showTotal: (n) => t('pl.total', { n }) }} data-testid="plans-table"
          rowClassName={(p) => (p.active ? '' : 'muted')}
          columns={[
            { title: t('pl.plan'), dataIndex: 'name', render: (v: string, p) => <div><div>{en ? p.nameEn ?? v : v}</div><Tag>{p.kindName}</Tag></div> },
            {
              title: t('pl.plans.schedule'), key: 'schedule',
              render: (_, p) => <div><div>{describeRRule(p.rrule, i18n.language)}</div><span className="muted small">{t('pl.plans.minutes', { d: p.durationMinutes, g: p.graceMinutes })}</span></div>,
            },
            { title: t('pl.plans.holiday'), dataIndex: 'holidayRuleName', width: 150 },
            { title: t('pl.assignee'), key: 'assignee', width: 150, render: (_, p) => assignee(p.assignee) },
            {
              title: t('pl.plans.template'), key: 'template', width: 150,
              render: (_, p) => (
                <Button type="link" size="small" onClick={() => setViewing(p)} style={{ padding: 0 }}>
                  {t('pl.plans.checkpoints', { n: p.template.checkpoints.length })} · v{p.version}
                </Button>
              ),
            },
            { title: t('pl.state'), dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">{t('pl.plans.active')}</Tag> : <Tag>{t('pl.plans.inactive')}</Tag>) },
            ...(allowed('plan.write') ? [{
              title: '', key: 'act', width: 80,
              render: (_: unknown, p: Plan) => p.active && (
                <Popconfirm title={t('pl.plans.deactivateConfirm', { name: p.name })} onConfirm={() => deactivate.mutate(p)}>
                  <Button size="small" danger>{t('pl.plans.deactivate')}</Button>
                </Popconfirm>
              ),
            }] : []),
          ]}
        />
      </QueryState>
      {viewing && <TemplateDrawer plan={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}

/** The plan's current checklist, read-only: each checkpoint's place and its items with their rules. */
function TemplateDrawer({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const names = useNames();
  const ids = [...new Set(plan.template.checkpoints.map((c) => c.placeId))];
  const placeQs = useQueries({ queries: ids.map((id) => ({ queryKey: ['places', id], queryFn: () => api.get<Place>(`/api/places/${id}`), staleTime: 5 * 60_000 })) });
  const place = (id: string) => placeQs[ids.indexOf(id)]?.data;
  const rule = (it: TemplateItem) => {
    if ((it.kind === 'number' || it.kind === 'meter') && (it.min !== undefined || it.max !== undefined)) return t('pl.plans.range', { min: it.min ?? '—', max: it.max ?? '—', unit: it.unit ?? '' });
    if (it.kind === 'yes_no') return it.expected ? t('pl.plans.expectYes') : t('pl.plans.expectNo');
    if ((it.kind === 'single_choice' || it.kind === 'multi_choice') && it.failing?.length) return t('pl.plans.failing', { list: it.failing.join('、') });
    if (it.kind === 'photo' && it.required) return t('pl.plans.photoRequired');
    return it.unit ?? '';
  };
  return (
    <Drawer open width={720} onClose={onClose} title={`${en ? plan.nameEn ?? plan.name : plan.name} · ${t('pl.plans.version')} ${plan.version}`} data-testid="template-drawer">
      <Typography.Paragraph type="secondary">
        {describeRRule(plan.rrule, i18n.language)} · {plan.holidayRuleName} · {t('pl.plans.startsOn')} {plan.startsOn}
        <br /><span className="mono small">{plan.rrule}</span>
      </Typography.Paragraph>
      {[...plan.template.checkpoints].sort((a, b) => a.order - b.order).map((c) => {
        const p = place(c.placeId);
        return (
          <div key={c.order} className="pl-cp pl-template-cp">
            <div className="pl-cp-head">
              <span className="pl-cp-order">{c.order}</span>
              <span className="pl-cp-place"><strong>{p ? names.place(p) : '…'}</strong> <span className="muted small mono">{p?.code}</span></span>
              <span className="muted small">{t('pl.plans.items', { n: c.items.length })}</span>
            </div>
            <Table<TemplateItem> size="small" rowKey="id" pagination={false} dataSource={c.items}
              columns={[
                { title: t('pl.answers'), dataIndex: 'label', render: (v: string, it) => (en ? it.labelEn ?? v : v) },
                { title: t('pl.plans.itemKind'), dataIndex: 'kind', width: 110, render: (k: string) => ITEM_KIND_LABELS[k as ItemKind]?.[en ? 'en' : 'zh'] ?? k },
                { title: t('pl.plans.rule'), key: 'rule', render: (_, it) => rule(it) },
              ]} />
          </div>
        );
      })}
    </Drawer>
  );
}
