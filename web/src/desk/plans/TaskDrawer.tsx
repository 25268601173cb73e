import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { QueryState } from '../common.tsx';
import { minute, TaskStateTag } from './shared.tsx';
import type { TaskDetail } from './types.ts';

type Cp = TaskDetail['checkpoints'][number];
type Item = Cp['items'][number];

/**
 * 任务记录: one task as it was done (IN-3, IN-5) — who and when, each checkpoint with the time it
 * was reached and how (QR or by hand), out-of-order and late flags, every answer with its
 * judgement, and the findings it raised linked to their work items (IN-4).
 */
export function TaskDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const task = useQuery({ queryKey: ['tasks', id], queryFn: () => api.get<TaskDetail>(`/api/tasks/${id}`) });
  const d = task.data;
  return (
    <Drawer open width={760} onClose={onClose} title={d ? `${d.planName} · ${minute(d.startsAt)}` : t('pl.task.title')} data-testid="task-drawer">
      <QueryState loading={task.isPending} error={task.error} retry={() => void task.refetch()}>
        {d && (
          <div className="pl-task">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('pl.kind')}>{d.kindName}</Descriptions.Item>
              <Descriptions.Item label={t('pl.state')}><TaskStateTag state={d.state} name={d.stateName} late={d.late} /></Descriptions.Item>
              <Descriptions.Item label={t('pl.task.plannedAt')}>{minute(d.startsAt)} – {minute(d.dueAt).slice(11)}</Descriptions.Item>
              <Descriptions.Item label={t('pl.assignee')}>{d.assigneeName ?? d.assigneeTradeName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('pl.task.started')}>{d.startedAt ? `${minute(d.startedAt)} · ${d.startedByName ?? ''}` : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('pl.task.finished')}>{d.finishedAt ? `${minute(d.finishedAt)} · ${d.finishedByName ?? ''}` : '—'}</Descriptions.Item>
              {d.note && <Descriptions.Item label={t('pl.task.note')} span={2}>{d.note}</Descriptions.Item>}
            </Descriptions>
            {d.findings.length > 0 && (
              <div className="pl-findings" data-testid="task-findings">
                <Typography.Text strong>{t('pl.task.findingsTitle')}：</Typography.Text>
                {d.findings.map((f) => (
                  <Link key={f.id} to={`/work-items?item=${f.id}`} className="pl-finding-link">
                    <Tag color="red">{f.number}</Tag>{f.title} <Typography.Text type="secondary">（{f.stateName}）</Typography.Text>
                  </Link>
                ))}
              </div>
            )}
            <Typography.Title level={5} style={{ marginTop: 16 }}>{t('pl.task.checkpoints')}</Typography.Title>
            {d.checkpoints.length === 0 ? <Empty /> : d.checkpoints.map((c) => <CheckpointBlock key={c.order} cp={c} />)}
          </div>
        )}
      </QueryState>
    </Drawer>
  );
}

function CheckpointBlock({ cp }: { cp: Cp }) {
  const { t } = useTranslation();
  return (
    <div className={`pl-cp pl-cp-${cp.state}`} data-testid="task-checkpoint">
      <div className="pl-cp-head">
        <span className="pl-cp-order">{cp.order}</span>
        <span className="pl-cp-place">
          <strong>{cp.placeName}</strong>
          {cp.placePath && <Typography.Text type="secondary" className="small"> · {cp.placePath}</Typography.Text>}
        </span>
        <span className="pl-cp-flags">
          {cp.state === 'visited' && <Tag color="green">{t('pl.task.scanned', { time: minute(cp.scannedAt).slice(5) })}</Tag>}
          {cp.state === 'missed' && <Tag color="red">{t('pl.task.missed')}</Tag>}
          {cp.state === 'pending' && <Tag>{t('pl.task.pending')}</Tag>}
          {cp.proof && <Tag color={cp.proof === 'qr' ? 'blue' : 'orange'}>{cp.proof === 'qr' ? t('pl.proofQr') : t('pl.proofManual')}</Tag>}
          {cp.outOfOrder && <Tag color="gold">{t('pl.outOfOrder')}</Tag>}
          {cp.late && <Tag color="orange">{t('pl.late')}</Tag>}
        </span>
      </div>
      <Table<Item>
        size="small" rowKey="id" pagination={false} dataSource={cp.items}
        rowClassName={(it) => (it.answer?.finding ? 'pl-row-finding' : '')}
        columns={[
          { title: t('pl.answers'), dataIndex: 'label', width: '34%' },
          { title: t('pl.task.answer'), key: 'answer', width: '26%', render: (_, it) => <AnswerText item={it} /> },
          {
            title: t('pl.task.judgement'), key: 'judgement',
            render: (_, it) => {
              if (!it.answer) return <Typography.Text type="secondary">—</Typography.Text>;
              if (!it.answer.finding) return <Tag color="green">{t('pl.task.normal')}</Tag>;
              return (
                <span>
                  <Tag color="red">{t('pl.task.abnormal')}</Tag>
                  {it.answer.why && <span className="small">{it.answer.why}</span>}
                  {it.answer.findingItem && (
                    <div><Link to={`/work-items?item=${it.answer.findingItem.id}`}>{it.answer.findingItem.number}</Link> <Typography.Text type="secondary" className="small">{it.answer.findingItem.stateName}</Typography.Text></div>
                  )}
                </span>
              );
            },
          },
        ]}
      />
    </div>
  );
}

/** An answer as a person reads it: the number with its unit, 是/否, the choices, N photos. */
function AnswerText({ item }: { item: Item }) {
  const { t } = useTranslation();
  const a = item.answer;
  if (!a) return <Typography.Text type="secondary">{t('pl.task.noAnswer')}</Typography.Text>;
  const v = a.value;
  if (typeof v === 'number') return <span className="mono">{v}{item.unit ? ` ${item.unit}` : ''}</span>;
  if (typeof v === 'boolean') return <span>{v ? t('pl.task.yes') : t('pl.task.no')}</span>;
  if (Array.isArray(v)) return <span>{item.kind === 'photo' ? t('pl.task.photos', { n: v.length }) : v.join('、')}</span>;
  return <span>{v || '—'}</span>;
}
