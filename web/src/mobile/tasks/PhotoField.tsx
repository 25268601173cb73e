import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLocalPhoto } from '../offline/queue.ts';
import { addPhoto, useOffline } from '../offline/sync.ts';

/**
 * Photos for a checklist item or a problem, offline too: the picture is kept in IndexedDB and
 * queued for upload (offline/sync.ts), so the value holds local ids until synced; the thumbnail
 * comes from the stored blob, or from the server for photos it already has.
 */
export function PhotoField({ taskId, ids, readOnly, testId, onChange }: {
  taskId: string; ids: string[]; readOnly: boolean; testId: string; onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const { photoUrls } = useOffline();
  const [busy, setBusy] = useState(false);
  const add = async (list: FileList | null, input: HTMLInputElement) => {
    const files = [...(list ?? [])].slice(0, 6 - ids.length);
    input.value = '';
    if (!files.length) return;
    setBusy(true);
    try {
      const added: string[] = [];
      for (const f of files) added.push(await addPhoto(taskId, f, f.name || 'photo.jpg'));
      onChange([...ids, ...added]);
    } finally {
      setBusy(false);
    }
  };
  const src = (id: string) => photoUrls[id] ?? (isLocalPhoto(id) ? '' : `/api/attachments/${id}/content?size=thumb`);
  return (
    <div className="m-photos" data-testid={testId}>
      {ids.length > 0 && (
        <div className="m-photo-grid">
          {ids.map((id, i) => (
            <div key={id} className="m-photo">
              <img src={src(id)} alt={t('m.photos.photoN', { n: i + 1 })} />
              {!readOnly && <button type="button" className="m-photo-remove" aria-label={t('m.photos.remove', { n: i + 1 })} onClick={() => onChange(ids.filter((x) => x !== id))}>×</button>}
            </div>
          ))}
        </div>
      )}
      {!readOnly && ids.length < 6 && (
        <label className="m-btn m-btn-small">
          <input type="file" accept="image/*" capture="environment" hidden data-testid={`${testId}-camera`} disabled={busy}
            onChange={(e) => void add(e.target.files, e.target)} />
          📷 {t('m.task.photo')}
        </label>
      )}
    </div>
  );
}
