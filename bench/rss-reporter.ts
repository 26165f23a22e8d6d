// Preload (`node --import`) for benchmarks: writes the process's peak RSS in KiB to
// $NODESCOPE_RSS_FILE when it exits, so a benchmark can report a child's peak memory.
import { writeFileSync } from 'node:fs';

const file = process.env.NODESCOPE_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
