// PouchDB's usual offline-first path, timed: a local PouchDB (LevelDB on disk) replicates the
// benchmark's events to a running pouchdb-server with db.replicate.to(remote).
//
//   node pouchdb_replicate.js EVENTS.jsonl REMOTE_DB_URL WORKDIR
//
// Loading the local database is not timed; the replication is. Prints one JSON object.
'use strict';

const fs = require('fs');
const path = require('path');
const PouchDB = require('pouchdb');

async function main() {
  const [eventsPath, remoteUrl, workdir] = process.argv.slice(2);
  if (!eventsPath || !remoteUrl || !workdir) {
    throw new Error('usage: node pouchdb_replicate.js EVENTS.jsonl REMOTE_DB_URL WORKDIR');
  }
  const docs = fs.readFileSync(eventsPath, 'utf8').split('\n').filter(Boolean).map((line) => {
    const event = JSON.parse(line);
    return Object.assign({ _id: event.event_uuid }, event);
  });
  const local = new PouchDB(path.join(workdir, 'local-desk'));
  for (let i = 0; i < docs.length; i += 1000) {
    const results = await local.bulkDocs(docs.slice(i, i + 1000));
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(`local load failed: ${JSON.stringify(failed[0])}`);
  }
  const remote = new PouchDB(remoteUrl);
  const start = process.hrtime.bigint();
  const result = await local.replicate.to(remote); // PouchDB's defaults: batches of 100 docs
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const info = await remote.info();
  if (!result.ok || result.docs_written !== docs.length || info.doc_count !== docs.length) {
    throw new Error(`replication incomplete: wrote ${result.docs_written}, remote holds ${info.doc_count} of ${docs.length}`);
  }
  await local.close();
  process.stdout.write(JSON.stringify({
    records: docs.length, seconds, records_per_s: docs.length / seconds, remote_doc_count: info.doc_count,
  }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
