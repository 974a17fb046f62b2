// Reference for start-up benchmarks: the smallest Node HTTP server that speaks the engine's CLI
// (`--port N`, other flags ignored), prints the same listening line and answers /api/health.
import { createServer } from 'node:http';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 0;
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(req.url === '/api/health' ? '{"ok":true,"version":"bare"}' : '{}');
});
server.listen(port, '127.0.0.1', () => {
  console.log(`NVR listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
