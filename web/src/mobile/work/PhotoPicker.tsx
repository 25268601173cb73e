import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PHOTOS, type Upload } from '../../app/workItems.ts';
import { uploadPhotos } from '../../app/workQueries.ts';
import { ErrorBox } from '../ui.tsx';

/**
 * Photos for a report, a completion or a comment: taken with the camera or picked from the
 * album, uploaded at once (so the submit only sends ids), shown as thumbnails that can be removed.
 * The server re-encodes them and strips location data.
 */
export function PhotoPicker({ value, onChange, max = MAX_PHOTOS, testId = 'photos', onBusy }: {
  value: Upload[];
  onChange: (next: Upload[]) => void;
  max?: number;
  testId?: string;
  onBusy?: (busy: boolean) => void;
}) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(value);
  current.current = value;
  const room = max - value.length - pending;

  const add = async (list: FileList | null, input: HTMLInputElement) => {
    const files = [...(list ?? [])].slice(0, Math.max(0, room));
    input.value = ''; // the same photo can be chosen again after removing it
    if (!files.length) return;
    setError(null);
    setPending((n) => n + files.length);
    onBusy?.(true);
    try {
      const uploaded = await uploadPhotos(files);
      onChange([...current.current, ...uploaded].slice(0, max));
    } catch (e) {
      setError(e);
    } finally {
      setPending((n) => n - files.length);
      onBusy?.(false);
    }
  };

  return (
    <div className="m-photos" data-testid={testId}>
      <div className="m-photo-grid">
        {value.map((p, i) => (
          <div key={p.id} className="m-photo">
            <img src={p.thumbUrl} alt={t('m.photos.photoN', { n: i + 1 })} />
            <button type="button" className="m-photo-remove" aria-label={t('m.photos.remove', { n: i + 1 })} onClick={() => onChange(value.filter((x) => x.id !== p.id))}>×</button>
          </div>
        ))}
        {Array.from({ length: pending }, (_, i) => <div key={`p${i}`} className="m-photo m-photo-pending" role="status" aria-label={t('m.photos.uploading')}><span /></div>)}
      </div>
      {room > 0 && (
        <div className="m-actions">
          <label className="m-btn m-btn-small">
            <input type="file" accept="image/*" capture="environment" multiple hidden data-testid={`${testId}-camera`} onChange={(e) => void add(e.target.files, e.target)} />
            {t('m.photos.camera')}
          </label>
          <label className="m-btn m-btn-small">
            <input type="file" accept="image/jpeg,image/png,image/webp,image/heic,image/*" multiple hidden data-testid={`${testId}-album`} onChange={(e) => void add(e.target.files, e.target)} />
            {t('m.photos.album')}
          </label>
        </div>
      )}
      <div className="m-hint">{t('m.photos.hint', { n: value.length, max })}</div>
      {error != null && <ErrorBox error={error} />}
    </div>
  );
}
