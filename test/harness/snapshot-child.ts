// A child process for the live snapshot tests: snapshots PID argv[2] into argv[3] with the live
// engine and prints the result as JSON, so a test can kill the snapshotter mid-way.
import { snapshotProcess } from '../../src/target/live/snapshot-process.js';

const pid = Number(process.argv[2]);
const out = process.argv[3] ?? '';
const result = await snapshotProcess(pid, out);
process.stdout.write(JSON.stringify(result) + '\n');
