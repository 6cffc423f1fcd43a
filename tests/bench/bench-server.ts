/** Child process of the benchmark: the real app on a DATA_DIR, or a bare Express JSON route, on a free port. */
import express from 'express';
import { createApp } from '../../server/app.ts';
import { DEFAULT_READ_LIMITS } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';

const [mode, dataDir] = process.argv.slice(2);
let app: express.Express;
if (mode === 'app') {
  const store = await EmbeddedStore.open({ dataDir: dataDir! });
  // Reads are not rate-limited here: the benchmark measures throughput from one address.
  app = createApp({ store, config: { requestBodyLimit: '1mb', reads: { ...DEFAULT_READ_LIMITS, readsPerMinute: 1_000_000 } } });
} else {
  app = express();
  app.get('/api/nodes/:id', (req, res) => {
    res.json({ node: { id: req.params.id, label: 'Topic', name_en: 'x', name_km: 'x', sources: [] }, linkCounts: {} });
  });
}
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`ready ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => process.exit(0));
