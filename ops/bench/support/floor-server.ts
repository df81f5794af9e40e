/**
 * The Express floor of `crud-latency.ts`: an Express 5 process whose one route answers a
 * constant, measured with the same generator and rate as the api. What the api adds on top of
 * it is ours. Listens on PORT (127.0.0.1) and prints `ready` once it does.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/constant', (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
