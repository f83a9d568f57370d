/** What a device puts in its certificate request; the cloud decides the certificate's subject. */
export interface CsrSubject {
  /** The device's serial; the cloud refuses a CSR whose CN is another serial. */
  readonly commonName: string;
}

/**
 * A device's private key and the only operations on it. A hardware secure element never lets
 * the key out, so no method here returns it; software and hardware implementations are
 * interchangeable behind this interface.
 */
export interface SecureElement {
  /** DER SubjectPublicKeyInfo of the device's P-256 key. */
  publicKeySpki(): Uint8Array;
  /** ECDSA P-256 over SHA-256 of `data`: 64 bytes, r then s (IEEE P1363), as chips return it. */
  sign(data: Uint8Array): Uint8Array;
  /** A PKCS#10 request signed by the key, PEM. */
  createCsr(subject: CsrSubject): Promise<string>;
}
