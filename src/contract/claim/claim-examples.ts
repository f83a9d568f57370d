import type { ClaimRequest } from '../messages/claim-request.js';
import type { ClaimResponse } from '../messages/claim-response.js';

const CSR_PEM = `-----BEGIN CERTIFICATE REQUEST-----
MIHLMHQCAQAwEjEQMA4GA1UEAwwHQ0MtMDAwMTBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABNF/WDBUH3RRfRqBsSQKKso0nUc746vcQLUFsug/hHn39SpzNGLZhZkR
u8LMr7nFVL8tJS22s6ndxdXTFrve1vygADAKBggqhkjOPQQDAgNHADBEAiAYJCV1
uqYVNWjFp7ksqUqPYSAz5XTffJeSLLLhPdvDvwIgLi6yqjehqxuXMTbAkGj3Jxqu
kpY9MeVgFe1KM9Ny/BU=
-----END CERTIFICATE REQUEST-----
`;

const nonce = '0b6f7a52-3c1d-4e8f-9a0b-1c2d3e4f5a6b';

/** One valid example of each claim document, published beside their schemas. */
export const CLAIM_EXAMPLES: { 'claim-request': ClaimRequest; 'claim-response': ClaimResponse } = {
  'claim-request': {
    schema_version: 1,
    type: 'claim-request',
    serial: 'CC-0001',
    csr: CSR_PEM,
    nonce,
    ts: '2026-12-06T09:15:02.123Z',
  },
  'claim-response': {
    schema_version: 1,
    type: 'claim-response',
    serial: 'CC-0001',
    nonce,
    ts: '2026-12-06T09:15:02.201Z',
    outcome: 'refused',
    reason: 'serial-claimed',
    detail: "'CC-0001' is already provisioned with another key; a serial claims once",
  },
};
