import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQrScanner } from './camera.ts';
import { navigate } from './router.ts';
import { scannedPath } from './routes.ts';
import { TopBar } from './ui.tsx';
import { FindPlaceBox } from './FindPlaceBox.tsx';

/**
 * Scanning inside the page where the browser can (BarcodeDetector + camera). Elsewhere (iOS
 * Safari, WeChat) the phone's own camera or WeChat Scan opens the label's URL directly, which
 * lands on the same place page, and a code can be typed instead.
 */
export function Scan() {
  const { t } = useTranslation();
  const [hint, setHint] = useState<string | null>(null);
  const { video, state } = useQrScanner((text) => {
    const path = scannedPath(text, window.location.origin);
    if (path) {
      navigate(path, { replace: true });
      return true;
    }
    setHint(t('m.scanner.notOurs'));
    return false;
  });

  return (
    <>
      <TopBar title={t('m.scanner.title')} back="/m/" />
      <main className="m-main">
        {(state === 'starting' || state === 'scanning') && (
          <div className="m-camera">
            <video ref={video} playsInline muted />
            <div className="m-camera-frame" />
            <div className="m-camera-hint">{state === 'starting' ? t('m.scanner.starting') : hint ?? t('m.scanner.aim')}</div>
          </div>
        )}
        {state === 'unsupported' && <p className="m-note">{t('m.scanner.unsupported')}</p>}
        {state === 'denied' && <p className="m-note">{t('m.scanner.denied')}</p>}
        <FindPlaceBox title={t('m.scanner.manual')} />
      </main>
    </>
  );
}
