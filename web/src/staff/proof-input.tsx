import { useEffect, useRef, useState } from 'preact/hooks';

/** The slice of BarcodeDetector the page uses (not in TypeScript's DOM types yet). */
interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

function detectorClass(): DetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
}

/**
 * The cart's proximity proof: read by the camera where the browser can read QR codes, or typed
 * or pasted (a keyboard-wedge scanner types a QR code's text into the field).
 */
export function ProofInput({
  value,
  onChange,
}: {
  value: string;
  onChange: (text: string) => void;
}) {
  const [scanning, setScanning] = useState(false);
  const [problem, setProblem] = useState<string>();
  const video = useRef<HTMLVideoElement>(null);
  const canScan = detectorClass() !== undefined && !!navigator.mediaDevices?.getUserMedia;

  useEffect(() => {
    if (!scanning) return;
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
        });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stopped && video.current) {
          const codes = await detector.detect(video.current);
          const text = codes[0]?.rawValue;
          if (text) {
            onChange(text.trim());
            setScanning(false);
            return;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      } catch (error) {
        setProblem(
          error instanceof Error
            ? `The camera cannot be used: ${error.message}`
            : 'The camera cannot be used.',
        );
        setScanning(false);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [scanning]);

  return (
    <div class="field">
      <label for="proof">
        Code on the cart's screen
        <span class="hint">Scan the QR code the cart shows, or type or paste its text.</span>
      </label>
      <textarea
        id="proof"
        name="proof"
        rows={3}
        autocomplete="off"
        spellcheck={false}
        class="mono"
        value={value}
        onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
      />
      {canScan ? (
        <div class="row" style={{ marginTop: '0.5rem' }}>
          <button type="button" onClick={() => setScanning(!scanning)}>
            {scanning ? 'Stop camera' : 'Scan with camera'}
          </button>
        </div>
      ) : null}
      {scanning ? (
        <video
          ref={video}
          class="proof-video"
          muted
          playsInline
          aria-label="Camera view for the cart's code"
        />
      ) : null}
      {problem ? (
        <p class="small" role="alert">
          {problem} Type or paste the code instead.
        </p>
      ) : null}
    </div>
  );
}
