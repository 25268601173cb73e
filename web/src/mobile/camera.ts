import { useEffect, useRef, useState } from 'react';

/** The Shape Detection API, present in Chrome on Android; not in TypeScript's DOM types yet. */
interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

export type ScannerState = 'starting' | 'scanning' | 'unsupported' | 'denied' | 'stopped';

/**
 * QR scanning inside the page where the browser can (BarcodeDetector + camera). `onCode` gets each
 * decoded text and returns true when it took the code (the camera then stops). Where the browser
 * cannot (iOS Safari, WeChat), the state is 'unsupported' and the page offers another way.
 */
export function useQrScanner(onCode: (text: string) => boolean | Promise<boolean>, active = true) {
  const video = useRef<HTMLVideoElement>(null);
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  const supported = !!Detector && !!navigator.mediaDevices;
  const [state, setState] = useState<ScannerState>(supported ? 'starting' : 'unsupported');
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    if (!supported || !active) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Detector!({ formats: ['qr_code'] });
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    (async () => {
      try {
        setState('starting');
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
              if (await handler.current(c.rawValue)) {
                stop();
                setState('stopped');
                return;
              }
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
    return stop;
  }, [Detector, supported, active]);

  return { video, state };
}
