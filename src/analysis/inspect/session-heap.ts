// Re-export of the session's shared V8Heap for the inspect analyses (see ../session-v8.ts).
export { sessionHeap } from '../session-v8.js';
