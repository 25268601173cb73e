import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from './router.ts';
import { scannedPath } from './routes.ts';
import { TopBar } from './ui.tsx';
import { FindPlaceBox } from './FindPlaceBox.tsx';

/** The Shape Detection API, present in Chrome on Android; not in TypeScript's DOM types yet. */
interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

/**
 * Scanning inside the page where the browser can (BarcodeDetector + camera). Elsewhere (iOS
 * Safari, WeChat) the phone's own camera or WeChat Scan opens the label's URL directly, which
 * lands on the same place page, and a code can be typed instead.
 */
export function Scan() {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  const [state, setState] = useState<'starting' | 'scanning' | 'unsupported' | 'denied'>(Detector && navigator.mediaDevices ? 'starting' : 'unsupported');
  const [hint, setHint] = useState<string | null>(null);

  useEffect(() => {
    if (!Detector || !navigator.mediaDevices) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        setState('scanning');
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const codes = await detector.detect(video.current);
            for (const c of codes) {
              const path = scannedPath(c.rawValue, window.location.origin);
              if (path) {
                navigate(path, { replace: true });
                return;
              }
              setHint(t('m.scanner.notOurs'));
            }
          } catch {
            // a frame that could not be read; try the next one
          }
          timer = window.setTimeout(() => void tick(), 250);
        };
        void tick();
      } catch {
        if (!stopped) setState('denied');
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [Detector, t]);

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
