import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert, App, AutoComplete, Breadcrumb, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm,
  Select, Space, Switch, Tag, Tree, Typography, type TreeDataNode,
} from 'antd';
import {
  DeleteOutlined, EditOutlined, PlusOutlined, PrinterOutlined, QrcodeOutlined, StopOutlined, SwapOutlined, CheckCircleOutlined,
} from '@ant-design/icons';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { PLACE_CODE_PATTERN, qrPath, type PlaceKind } from '@towerdesk/domain';
import { api } from '../../app/api.ts';
import { PLACE_KIND_KEYS, useNames } from '../../app/i18n.ts';
import type { Page, Place, PlaceDetail } from '../../app/types.ts';
import { applyServerErrors, errorText, PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';

/** Key of the top level in the children map (places without a parent: the buildings). */
const ROOT = '__root__';
/** The API's page limit; a floor or car-park zone has at most a few hundred children. */
const CHILD_LIMIT = 500;
/** Kinds that hold other places. A node of these kinds may be expanded even if it reports no children. */
const CONTAINER_KINDS = new Set<PlaceKind>(['building', 'floor', 'carpark_zone']);

/** The kind a new child most likely has, to save a click: floors in a building, spaces in a zone. */
const DEFAULT_CHILD_KIND: Partial<Record<PlaceKind | typeof ROOT, PlaceKind>> = {
  [ROOT]: 'building', building: 'floor', carpark_zone: 'parking_space',
};

type ChildMap = Record<string, Place[]>;

export default function PlacesPage() {
  const { t } = useTranslation();
  const names = useNames();
  const allowed = useCan();
  const canWrite = allowed('place.write');
  const qc = useQueryClient();
  const toast = useErrorToast();
  const { message } = App.useApp();

  const [children, setChildren] = useState<ChildMap>({});
  const [totals, setTotals] = useState<Record<string, number>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  const [dialog, setDialog] = useState<null | 'create' | 'edit' | 'move'>(null);
  const treeRef = useRef<{ scrollTo: (o: { key: string; align?: 'top' | 'bottom' | 'auto' }) => void } | null>(null);
  const [treeHeight, setTreeHeight] = useState(() => Math.max(320, window.innerHeight - 250));

  useEffect(() => {
    const onResize = () => setTreeHeight(Math.max(320, window.innerHeight - 250));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  const loadChildren = useCallback(async (parentKey: string) => {
    const res = await api.get<Page<Place>>('/api/places', {
      parentId: parentKey === ROOT ? undefined : parentKey, includeInactive: showInactive || undefined, limit: CHILD_LIMIT,
    });
    setChildren((m) => ({ ...m, [parentKey]: res.items }));
    setTotals((m) => ({ ...m, [parentKey]: res.total }));
    return res.items;
  }, [showInactive]);

  // The top level on arrival, and every open node again when "show deactivated" flips.
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;
  const [rootError, setRootError] = useState<unknown>(null);
  const loadRoot = useCallback(() => {
    setChildren({});
    setRootError(null);
    loadChildren(ROOT).catch(setRootError);
    for (const k of expandedRef.current) loadChildren(k).catch(() => setExpanded((e) => e.filter((x) => x !== k)));
  }, [loadChildren]);
  useEffect(loadRoot, [loadRoot]);

  const detail = useQuery({
    queryKey: ['place', selectedId],
    queryFn: () => api.get<PlaceDetail>(`/api/places/${selectedId}`),
    enabled: !!selectedId,
  });

  const parentKeyOf = (p: { parentId: string | null }) => p.parentId ?? ROOT;

  /** Opens the tree down to a place (from search, a breadcrumb, or after create/move) and selects it. */
  const reveal = useCallback(async (id: string) => {
    const d = await qc.fetchQuery({ queryKey: ['place', id], queryFn: () => api.get<PlaceDetail>(`/api/places/${id}`) });
    const chain = d.ancestors.map((a) => a.id);
    await Promise.all([ROOT, ...chain].map((k) => loadChildren(k)));
    setExpanded((e) => [...new Set([...e, ...chain])]);
    setSelectedId(id);
    setTimeout(() => treeRef.current?.scrollTo({ key: id, align: 'auto' }), 50);
  }, [qc, loadChildren]);

  /** After a change: the parent's list again (names, counts, status) and the detail. */
  const refresh = useCallback(async (...parentKeys: string[]) => {
    await Promise.all([...new Set(parentKeys)].map((k) => loadChildren(k)));
    await qc.invalidateQueries({ queryKey: ['place'] });
  }, [loadChildren, qc]);

  const treeData = useMemo(() => {
    const build = (key: string): TreeDataNode[] =>
      (children[key] ?? []).map((p) => {
        const loaded = children[p.id];
        const node: TreeDataNode = {
          key: p.id,
          title: (
            <span className={`place-node${p.active ? '' : ' place-node-inactive'}`} data-code={p.code}>
              <span className="place-node-name">{names.place(p)}</span>
              <span className="place-code">{p.code}</span>
              {!p.active && <Tag className="place-node-tag">{t('places.inactive')}</Tag>}
            </span>
          ),
          // The API's childCount decides; containers stay expandable so an empty floor can be
          // opened and filled.
          isLeaf: (p.childCount ?? 0) === 0 && !CONTAINER_KINDS.has(p.kind) && !(loaded && loaded.length),
          children: loaded ? build(p.id) : undefined,
        };
        const total = totals[p.id];
        if (loaded && total !== undefined && total > loaded.length) {
          node.children = [...(node.children ?? []), { key: `${p.id}:more`, title: <Typography.Text type="secondary">{t('places.more', { n: total - loaded.length })}</Typography.Text>, isLeaf: true, selectable: false }];
        }
        return node;
      });
    return build(ROOT);
  }, [children, totals, names, t]);

  const selected = detail.data;
  const selectedParentKey = selected ? parentKeyOf(selected) : ROOT;

  const act = async (fn: () => Promise<unknown>, done: string, parents: string[]) => {
    try {
      await fn();
      void message.success(done);
      await refresh(...parents);
    } catch (e) {
      toast(e);
    }
  };

  return (
    <div className="places-page">
      <PageTitle
        title={t('nav.places')}
        sub={t('places.sub')}
        extra={canWrite && !selectedId && (
          <Button icon={<PlusOutlined />} onClick={() => setDialog('create')}>{t('places.newTop')}</Button>
        )}
      />
      <div className="places-layout">
        <Card className="places-tree-card" size="small" title={<PlaceSearch onPick={(id) => void reveal(id)} />}
          extra={<Space size={4}><Switch size="small" checked={showInactive} onChange={setShowInactive} /><span className="muted">{t('places.showInactive')}</span></Space>}
        >
          {children[ROOT] === undefined ? (
            <QueryState loading={!rootError} error={rootError} retry={loadRoot}>{null}</QueryState>
          ) : children[ROOT].length === 0 ? (
            <Empty description={t('places.empty')} />
          ) : (
            <Tree
              ref={treeRef as never}
              className="places-tree"
              blockNode
              showLine
              height={treeHeight}
              treeData={treeData}
              expandedKeys={expanded}
              loadedKeys={Object.keys(children)}
              selectedKeys={selectedId ? [selectedId] : []}
              onExpand={(keys) => setExpanded(keys.map(String))}
              loadData={async (node) => {
                if (!children[String(node.key)]) await loadChildren(String(node.key));
              }}
              onSelect={(keys) => {
                const k = keys[0] ? String(keys[0]) : null;
                if (k && !k.endsWith(':more')) setSelectedId(k);
              }}
            />
          )}
        </Card>

        <div className="places-detail">
          {!selectedId ? (
            <Card><Empty description={t('places.pick')} /></Card>
          ) : (
            <QueryState loading={detail.isPending} error={detail.error} retry={() => void detail.refetch()}>
              {selected && (
                <PlaceDetailCard
                  place={selected}
                  childCount={children[selected.id]?.length ?? (children[selectedParentKey]?.find((p) => p.id === selected.id)?.childCount ?? 0)}
                  canWrite={canWrite}
                  onSelect={(id) => void reveal(id)}
                  onCreate={() => setDialog('create')}
                  onEdit={() => setDialog('edit')}
                  onMove={() => setDialog('move')}
                  onToggleActive={() => void act(
                    () => api.post(`/api/places/${selected.id}/${selected.active ? 'deactivate' : 'activate'}`),
                    selected.active ? t('places.deactivated') : t('places.activated'),
                    [selectedParentKey],
                  )}
                  onRegenerate={() => void act(() => api.post(`/api/places/${selected.id}/qr-token`), t('places.qrRegenerated'), [selectedParentKey])}
                  onDelete={() => void act(async () => {
                    await api.del(`/api/places/${selected.id}`);
                    setSelectedId(selected.parentId);
                  }, t('places.deleted'), [selectedParentKey])}
                />
              )}
            </QueryState>
          )}
        </div>
      </div>

      {dialog === 'create' && (
        <PlaceFormDialog
          mode="create"
          parent={selected ?? null}
          onClose={() => setDialog(null)}
          onDone={async (p) => {
            setDialog(null);
            await loadChildren(parentKeyOf(p));
            if (p.parentId) setExpanded((e) => [...new Set([...e, p.parentId!])]);
            await reveal(p.id);
          }}
        />
      )}
      {dialog === 'edit' && selected && (
        <PlaceFormDialog mode="edit" place={selected} parent={null} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); await refresh(selectedParentKey); }} />
      )}
      {dialog === 'move' && selected && (
        <MoveDialog
          place={selected}
          onClose={() => setDialog(null)}
          onDone={async (p) => {
            setDialog(null);
            await refresh(selectedParentKey, parentKeyOf(p));
            await reveal(p.id);
          }}
        />
      )}
    </div>
  );
}

/** Finds a place anywhere in the tree by code or name. */
function PlaceSearch({ onPick }: { onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(id);
  }, [q]);
  const found = useQuery({
    queryKey: ['places', 'search', debounced],
    queryFn: () => api.get<Page<Place>>('/api/places', { q: debounced, limit: 20, includeInactive: true }),
    enabled: debounced.length > 0,
  });
  return (
    <AutoComplete
      value={q}
      onChange={setQ}
      style={{ width: '100%' }}
      options={(found.data?.items ?? []).map((p) => ({
        value: p.id,
        label: (
          <div className="place-option">
            <span>{names.place(p)}</span>
            <span className="place-code">{p.code}</span>
          </div>
        ),
      }))}
      onSelect={(id: string) => {
        setQ('');
        onPick(id);
      }}
    >
      <Input.Search placeholder={t('places.search')} allowClear />
    </AutoComplete>
  );
}

function PlaceDetailCard(props: {
  place: PlaceDetail;
  childCount: number;
  canWrite: boolean;
  onSelect: (id: string) => void;
  onCreate: () => void;
  onEdit: () => void;
  onMove: () => void;
  onToggleActive: () => void;
  onRegenerate: () => void;
  onDelete: () => void;
}) {
  const { place: p, canWrite } = props;
  const { t } = useTranslation();
  const names = useNames();
  return (
    <Card
      className="place-detail"
      title={
        <Space wrap>
          <span data-testid="place-title">{names.place(p)}</span>
          <Tag color="blue">{names.kind(p.kind)}</Tag>
          {p.active ? <Tag color="green">{t('places.active')}</Tag> : <Tag>{t('places.inactive')}</Tag>}
        </Space>
      }
    >
      <Breadcrumb
        className="place-breadcrumb"
        items={[
          ...p.ancestors.map((a) => ({ title: <a onClick={() => props.onSelect(a.id)}>{a.name}</a> })),
          { title: p.name },
        ]}
      />
      <Descriptions
        column={2}
        size="small"
        bordered
        items={[
          { key: 'code', label: t('places.code'), children: <Typography.Text copyable className="place-code-lg">{p.code}</Typography.Text> },
          { key: 'kind', label: t('places.kind'), children: names.kind(p.kind) },
          { key: 'name', label: t('places.name'), children: p.name },
          { key: 'nameEn', label: t('places.nameEn'), children: p.nameEn ?? '—' },
          { key: 'area', label: t('places.area'), children: p.areaM2 != null ? `${p.areaM2} m²` : '—' },
          { key: 'children', label: t('places.children'), children: props.childCount },
        ]}
      />
      {canWrite && (
        <>
          <div className="place-actions">
            <Button type="primary" icon={<PlusOutlined />} onClick={props.onCreate} disabled={!p.active}>{t('places.newChild')}</Button>
            <Button icon={<EditOutlined />} onClick={props.onEdit}>{t('places.edit')}</Button>
            <Button icon={<SwapOutlined />} onClick={props.onMove}>{t('places.move')}</Button>
            <Button icon={<PrinterOutlined />} href={`/places/${p.id}/labels`} target="_blank" data-testid="print-labels">{t('places.printLabels')}</Button>
            <Popconfirm title={p.active ? t('places.confirmDeactivate') : t('places.confirmActivate')} onConfirm={props.onToggleActive}>
              <Button icon={p.active ? <StopOutlined /> : <CheckCircleOutlined />}>{p.active ? t('places.deactivate') : t('places.activate')}</Button>
            </Popconfirm>
            <Popconfirm title={t('places.confirmDelete')} description={t('places.deleteHint')} onConfirm={props.onDelete} okButtonProps={{ danger: true }}>
              <Button danger icon={<DeleteOutlined />} disabled={props.childCount > 0}>{t('places.delete')}</Button>
            </Popconfirm>
          </div>
          {p.qrToken && <QrPanel token={p.qrToken} code={p.code} name={p.name} onRegenerate={props.onRegenerate} />}
        </>
      )}
    </Card>
  );
}

/** The place's QR as printed on its label, drawn here from the same URL the server encodes. */
function QrPanel({ token, code, name, onRegenerate }: { token: string; code: string; name: string; onRegenerate: () => void }) {
  const { t } = useTranslation();
  const url = `${window.location.origin}${qrPath(token)}`;
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }).then((s) => live && setSvg(s));
    return () => { live = false; };
  }, [url]);
  return (
    <div className="qr-panel">
      {svg && <img className="qr-img" alt={`QR ${code}`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />}
      <div className="qr-info">
        <Typography.Text strong>{t('places.qr')}</Typography.Text>
        <Typography.Text type="secondary">{t('places.qrHint', { name })}</Typography.Text>
        <Typography.Text copyable={{ text: url }} className="qr-url">{url}</Typography.Text>
        <Popconfirm title={t('places.confirmRegenerate')} description={t('places.regenerateHint')} onConfirm={onRegenerate}>
          <Button size="small" icon={<QrcodeOutlined />}>{t('places.regenerate')}</Button>
        </Popconfirm>
      </div>
    </div>
  );
}

interface PlaceFormValues { code: string; name: string; nameEn?: string; kind: PlaceKind; areaM2?: number | null; sort?: number | null }
const PLACE_FIELDS = ['code', 'name', 'nameEn', 'kind', 'areaM2', 'sort'] as const;

function PlaceFormDialog(props: { mode: 'create' | 'edit'; parent: PlaceDetail | null; place?: PlaceDetail; onClose: () => void; onDone: (p: Place) => void | Promise<void> }) {
  const { t } = useTranslation();
  const names = useNames();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlaceFormValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { mode, parent, place } = props;

  const initial: Partial<PlaceFormValues> = mode === 'edit' && place
    ? { code: place.code, name: place.name, nameEn: place.nameEn ?? '', kind: place.kind, areaM2: place.areaM2, sort: place.sort }
    : { code: parent ? `${parent.code}-` : '', kind: DEFAULT_CHILD_KIND[parent ? parent.kind : ROOT] };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setProblem(null);
    const common = {
      name: v.name.trim(), nameEn: v.nameEn?.trim() || null, kind: v.kind,
      areaM2: v.areaM2 ?? null, ...(v.sort != null ? { sort: v.sort } : {}),
    };
    try {
      const saved = mode === 'create'
        ? await api.post<Place>('/api/places', { parentId: parent?.id ?? null, code: v.code.trim().toUpperCase(), ...common })
        : await api.patch<Place>(`/api/places/${place!.id}`, common);
      void message.success(mode === 'create' ? t('places.created', { code: saved.code }) : t('places.saved'));
      await props.onDone(saved);
    } catch (e) {
      setProblem(applyServerErrors(form, e, PLACE_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={mode === 'create' ? (parent ? t('places.newChildOf', { name: parent.name }) : t('places.newTop')) : t('places.editTitle', { code: place?.code })}
      onCancel={props.onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      confirmLoading={busy}
      destroyOnHidden
      width={560}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initial} preserve={false} data-testid="place-form">
        <Form.Item
          name="code"
          label={t('places.code')}
          extra={mode === 'create' ? t('places.codeHint') : t('places.codeStable')}
          normalize={(v: string) => v.toUpperCase()}
          rules={[{ required: true }, { pattern: PLACE_CODE_PATTERN, message: t('places.codePattern') }, { min: 2, max: 40 }]}
        >
          <Input disabled={mode === 'edit'} className="mono" autoFocus={mode === 'create'} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="name" label={t('places.name')} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ flex: 1, marginRight: 12 }}>
            <Input placeholder={t('places.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('places.nameEn')} rules={[{ max: 100 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="kind" label={t('places.kind')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={PLACE_KIND_KEYS.map((k) => ({ value: k, label: names.kind(k) }))}
            placeholder={t('places.kindPlaceholder')}
            data-testid="place-kind"
          />
        </Form.Item>
        <Space size="large">
          <Form.Item name="areaM2" label={t('places.area')}>
            <InputNumber min={0} max={1_000_000} precision={0} suffix="m²" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="sort" label={t('places.sort')} extra={t('places.sortHint')}>
            <InputNumber min={0} max={100_000} precision={0} style={{ width: 120 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** Moves a place (with everything under it) to another parent; the server refuses cycles (409). */
function MoveDialog({ place, onClose, onDone }: { place: PlaceDetail; onClose: () => void; onDone: (p: Place) => void | Promise<void> }) {
  const { t } = useTranslation();
  const names = useNames();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const found = useQuery({
    queryKey: ['places', 'search', q],
    queryFn: () => api.get<Page<Place>>('/api/places', { q, limit: 30 }),
    enabled: q.trim().length > 0,
  });
  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setProblem(null);
    try {
      const moved = await api.post<Place>(`/api/places/${place.id}/move`, { parentId: target });
      void message.success(t('places.moved'));
      await onDone(moved);
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const current = place.ancestors[place.ancestors.length - 1];
  return (
    <Modal open title={t('places.moveTitle', { name: place.name })} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !target }} confirmLoading={busy} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">
        {t('places.moveCurrent')}: {current ? `${current.name} (${current.code})` : t('places.topLevel')}
      </Typography.Paragraph>
      <Select
        showSearch={{ filterOption: false, onSearch: setQ }}
        style={{ width: '100%' }}
        placeholder={t('places.moveTarget')}
        value={target}
        onChange={setTarget}
        loading={found.isFetching}
        notFoundContent={q ? undefined : t('places.typeToSearch')}
        options={(found.data?.items ?? []).filter((p) => p.id !== place.id).map((p) => ({
          value: p.id,
          label: `${names.place(p)} · ${p.code} · ${names.kind(p.kind)}`,
        }))}
      />
    </Modal>
  );
}
