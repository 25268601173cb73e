import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api.ts';
import { useNames } from '../app/i18n.ts';
import type { Page, Place } from '../app/types.ts';
import { linkProps } from './router.ts';
import { Card, ErrorBox, Spinner } from './ui.tsx';

/** Field staff look a place up by code or name when a label is missing or unreadable. */
export function FindPlaceBox({ title }: { title: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 300);
    return () => clearTimeout(id);
  }, [q]);
  const found = useQuery({
    queryKey: ['places', 'find', debounced],
    queryFn: () => api.get<Page<Place>>('/api/places', { q: debounced, limit: 20 }),
    enabled: debounced.length > 0,
  });
  return (
    <Card title={title}>
      <input className="m-input" type="search" enterKeyHint="search" placeholder={t('m.findPlaceHint')} value={q} onChange={(e) => setQ(e.target.value)} />
      {found.isFetching && <Spinner />}
      {found.error && <ErrorBox error={found.error} retry={() => void found.refetch()} />}
      {found.data && (
        found.data.items.length === 0 ? <p className="m-muted">{t('m.noResults')}</p> : (
          <ul className="m-list">
            {found.data.items.map((p) => (
              <li key={p.id}>
                <a className="m-list-item" {...linkProps(`/m/places/${p.id}`)}>
                  <span><span>{names.place(p)}</span><small className="m-code">{p.code}</small></span>
                  <span className="m-chev">›</span>
                </a>
              </li>
            ))}
          </ul>
        )
      )}
    </Card>
  );
}
