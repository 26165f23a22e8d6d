// The baseline of the live pause benchmark: `stack -p` as it was before LiveTarget, a gcore
// snapshot of the whole process read back as a core (Session.openProcess), printing the stack as
// JSON. Run as its own process so that its start-up counts, as nodescope's does.
import { Session } from '../src/analysis/session.js';
import { stackAnalysis } from '../src/analysis/stack.js';

const pid = Number(process.argv[2]);
const s = await Session.openProcess(pid);
try {
  process.stdout.write(JSON.stringify(stackAnalysis(s, {})) + '\n');
} finally {
  s.close();
}
