import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { TRADE_KEYS, useNames } from '../../app/i18n.ts';
import type { Company, Occupant, Page, Place, Staff } from '../../app/types.ts';

function useDebounced(value: string, ms = 250) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * A Select that searches the server as the user types (registers hold hundreds of rows, too many
 * to list), and keeps showing the labels of values chosen earlier even when they are not in the
 * current result page.
 */
export function RemoteSelect<T extends { id: string }>(props: Omit<SelectProps, 'options' | 'showSearch'> & {
  queryKey: string;
  search: (q: string) => Promise<Page<T>>;
  label: (row: T) => string;
  /** Labels for values already set (e.g. an occupant's current units), keyed by id. */
  known?: Record<string, string>;
}) {
  const { queryKey, search, label, known, ...rest } = props;
  const [q, setQ] = useState('');
  const debounced = useDebounced(q);
  const found = useQuery({ queryKey: ['pick', queryKey, debounced], queryFn: () => search(debounced) });
  // Callers pass `label` inline; a ref keeps it from re-running the effect on every render.
  const labelRef = useRef(label);
  labelRef.current = label;
  const [seen, setSeen] = useState<Record<string, string>>(known ?? {});
  // Labels of set values may arrive after mount (fetched by the caller); results win over them.
  const knownKey = JSON.stringify(known ?? {});
  useEffect(() => {
    const k = JSON.parse(knownKey) as Record<string, string>;
    if (Object.keys(k).length) setSeen((s) => ({ ...k, ...s }));
  }, [knownKey]);
  useEffect(() => {
    if (!found.data) return;
    setSeen((s) => ({ ...s, ...Object.fromEntries(found.data.items.map((r) => [r.id, labelRef.current(r)])) }));
  }, [found.data]);
  const options = useMemo(() => {
    const ids = new Set(found.data?.items.map((r) => r.id) ?? []);
    const selected = ([] as unknown[]).concat(rest.value ?? []).filter((v): v is string => typeof v === 'string' && !ids.has(v));
    return [
      ...selected.map((id) => ({ value: id, label: seen[id] ?? id })),
      ...(found.data?.items ?? []).map((r) => ({ value: r.id, label: labelRef.current(r) })),
    ];
  }, [found.data, rest.value, seen]);
  return (
    <Select
      {...rest}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.isFetching}
      options={options}
      onBlur={() => setQ('')}
    />
  );
}

export function CompanySelect(props: Omit<SelectProps, 'options' | 'showSearch'> & { known?: Record<string, string> }) {
  return (
    <RemoteSelect<Company>
      allowClear
      {...props}
      queryKey="companies"
      search={(q) => api.get<Page<Company>>('/api/companies', { q, limit: 30 })}
      label={(c) => c.name}
    />
  );
}

/** Office units are the leasable places (kind office_unit), e.g. JW-T1-F12-1203. */
export function UnitSelect(props: Omit<SelectProps, 'options' | 'showSearch'> & { known?: Record<string, string> }) {
  const names = useNames();
  return (
    <RemoteSelect<Place>
      mode="multiple"
      allowClear
      {...props}
      queryKey="units"
      search={(q) => api.get<Page<Place>>('/api/places', { kind: 'office_unit', q, limit: 50 })}
      label={(p) => `${names.place(p)} · ${p.code}`}
    />
  );
}

export function StaffSelect(props: Omit<SelectProps, 'options' | 'showSearch'> & { known?: Record<string, string> }) {
  return (
    <RemoteSelect<Staff>
      allowClear
      {...props}
      queryKey="staff"
      search={(q) => api.get<Page<Staff>>('/api/staff', { q, limit: 30 })}
      label={(s) => `${s.name} · ${s.employeeNo} · ${s.position}`}
    />
  );
}

export function OccupantSelect(props: Omit<SelectProps, 'options' | 'showSearch'> & { known?: Record<string, string> }) {
  return (
    <RemoteSelect<Occupant>
      allowClear
      {...props}
      queryKey="occupants"
      search={(q) => api.get<Page<Occupant>>('/api/occupants', { q, limit: 30 })}
      label={(o) => `${o.name} · ${o.phone}${o.companyName ? ` · ${o.companyName}` : ''}`}
    />
  );
}

export function TradeSelect(props: Omit<SelectProps, 'options'>) {
  const names = useNames();
  const { t } = useTranslation();
  return (
    <Select
      mode="multiple"
      allowClear
      placeholder={t('reg.tradesPlaceholder')}
      {...props}
      showSearch={{ optionFilterProp: 'label' }}
      options={TRADE_KEYS.map((k) => ({ value: k, label: names.trade(k) }))}
    />
  );
}

/** Any place of the site (a unit, a public area, a plant room), searched by code or name. */
export function PlaceSelect(props: Omit<SelectProps, 'options' | 'showSearch'> & { known?: Record<string, string> }) {
  const names = useNames();
  return (
    <RemoteSelect<Place>
      allowClear
      {...props}
      queryKey="places"
      search={(q) => api.get<Page<Place>>('/api/places', { q, limit: 30 })}
      label={(p) => `${names.place(p)} · ${p.code}`}
    />
  );
}
