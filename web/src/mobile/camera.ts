import { useEffect, useRef, useState } from 'react';

/** The Shape Detection API, present in Chrome on Android; not in TypeScript's DOM types yet. */
interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

/** Reads the QR codes in the current video frame. */
type FrameReader = (video: HTMLVideoElement) => Promise<string[]>;

/**
 * BarcodeDetector where the browser has it; elsewhere (Chromium on Linux, iOS Safari, WeChat's
 * browser) jsQR on a canvas copy of the frame, loaded only when needed (precached for offline by
 * vite.config.ts). Frames are scaled down to 640 px: enough for a label held in the frame, and
 * jsQR's time grows with the pixel count.
 */
async function frameReader(): Promise<FrameReader> {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (Detector) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video)).map((c) => c.rawValue);
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!ctx || !video.videoWidth) return [];
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
    return code?.data ? [code.data] : [];
  };
}

export type ScannerState = 'starting' | 'scanning' | 'unsupported' | 'denied' | 'stopped';

/**
 * QR scanning inside the page with the camera (BarcodeDetector, else jsQR). `onCode` gets each
 * decoded text and returns true when it took the code (the camera then stops). Without a camera
 * API (plain http on a LAN host, old browsers) the state is 'unsupported' and the page offers
 * another way; a refused camera is 'denied'.
 */
export function useQrScanner(onCode: (text: string) => boolean | Promise<boolean>, active = true) {
  const video = useRef<HTMLVideoElement>(null);
  const supported = !!navigator.mediaDevices?.getUserMedia;
  const [state, setState] = useState<ScannerState>(supported ? 'starting' : 'unsupported');
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    if (!supported || !active) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    (async () => {
      try {
        setState('starting');
        const read = await frameReader();
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) {
          stream.getTracks().forEach((tr) => tr.stop()); // left the page while the camera opened
          return;
        }
        video.current.srcObject = stream;
        await video.current.play();
        setState('scanning');
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const codes = await read(video.current);
            for (const c of codes) {
              if (await handler.current(c)) {
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
  }, [supported, active]);

  return { video, state };
}
