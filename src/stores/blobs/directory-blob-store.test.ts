import { tempDir } from '../../../test-support/temp-dir.js';
import { runBlobStoreContract } from './blob-store.contract.js';
import { DirectoryBlobStore } from './directory-blob-store.js';

runBlobStoreContract('directory', async (t) => new DirectoryBlobStore(await tempDir(t, 'blobs-')));
