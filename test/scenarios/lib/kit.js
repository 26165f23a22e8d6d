// Shared kit of the scenario scripts: describes functions, calls and values for the manifest,
// writes the manifest, prints the ready line and holds the thread still. Plain CommonJS so that
// every supported Node major (18 to 26) runs it unchanged; it is not part of the product.
'use strict';
const fs = require('fs');
const util = require('util');

/** Role: the manifest schema version; bump it when a field changes meaning. */
const SCHEMA = 1;

// Deep enough for every known chain below the hold site (V8's default is 10).
Error.stackTraceLimit = 64;

/** Role: the shared word every holding thread waits on; nobody ever notifies it. */
const HOLD = new Int32Array(new SharedArrayBuffer(4));

function positionOf(source, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** The in-process inspector session V8's own view is read through (answers synchronously). */
let session;
function inspectorSession() {
  if (session === undefined) {
    const inspector = require('inspector');
    session = new inspector.Session();
    session.connect();
  }
  return session;
}

/**
 * Role: V8's own [[FunctionLocation]] of `fn` (Runtime.getProperties through an in-process
 * inspector session), 1-based: the oracle for definition lines and columns.
 */
function v8FunctionLocation(fn) {
  const s = inspectorSession();
  const key = `__nodescopeKitFn${Math.random().toString(36).slice(2)}`;
  globalThis[key] = fn;
  let loc;
  try {
    s.post('Runtime.evaluate', { expression: `globalThis.${key}` }, (e, r) => {
      if (e || !r.result.objectId) return;
      s.post('Runtime.getProperties', { objectId: r.result.objectId, ownProperties: true }, (e2, p) => {
        const v = !e2 && p.internalProperties ? p.internalProperties.find((i) => i.name === '[[FunctionLocation]]') : undefined;
        if (v) loc = { line: v.value.value.lineNumber + 1, column: v.value.value.columnNumber + 1 };
      });
      s.post('Runtime.releaseObject', { objectId: r.result.objectId });
    });
  } finally {
    delete globalThis[key];
  }
  return loc;
}

/** A RemoteObject (or property descriptor value) reduced to what the oracle compares. */
function remoteSummary(r) {
  if (r === undefined) return undefined;
  const out = { type: r.type };
  if (r.subtype !== undefined) out.subtype = r.subtype;
  if (r.className !== undefined) out.className = r.className;
  if ('value' in r && r.type !== 'object' && r.type !== 'function') out.value = r.value;
  if (r.unserializableValue !== undefined) out.unserializable = r.unserializableValue;
  // Function descriptions are their whole source: the first line is enough to compare.
  if (r.description !== undefined && (r.type === 'object' || r.type === 'function' || r.type === 'symbol' || r.type === 'bigint')) out.description = r.description.split('\n')[0].slice(0, 200);
  return out;
}

/** Runtime.getProperties of an objectId, own properties and internal ones (synchronous in-process). */
function propertiesOf(objectId) {
  let got;
  inspectorSession().post('Runtime.getProperties', { objectId, ownProperties: true, accessorPropertiesOnly: false, generatePreview: false }, (e, p) => {
    if (!e) got = p;
  });
  return got;
}

/**
 * Role: V8's own view of `value` through an in-process inspector session, for the differential
 * oracle: its RemoteObject (type, className, description), own properties (name, and the value
 * or `get`/`set` for accessors), [[Prototype]]'s className, [[FunctionLocation]] (1-based),
 * [[Scopes]] with their variables, [[Entries]] and, for a string, the whole string.
 */
function v8View(value) {
  const s = inspectorSession();
  const key = `__nodescopeKitView${Math.random().toString(36).slice(2)}`;
  globalThis[key] = value;
  let view;
  try {
    s.post('Runtime.evaluate', { expression: `globalThis.${key}` }, (e, r) => {
      if (e) return;
      const ro = r.result;
      view = { remote: remoteSummary(ro) };
      if (typeof value === 'string') view.string = value;
      if (!ro.objectId) return;
      const p = propertiesOf(ro.objectId);
      if (p === undefined) return;
      view.own = p.result.slice(0, 2000).map((d) => {
        const o = { name: d.name, enumerable: d.enumerable };
        if (d.symbol !== undefined) o.symbol = true;
        if (d.get !== undefined || d.set !== undefined) o.accessor = { get: d.get !== undefined && d.get.type !== 'undefined', set: d.set !== undefined && d.set.type !== 'undefined' };
        else o.value = remoteSummary(d.value);
        return o;
      });
      for (const ip of p.internalProperties || []) {
        if (ip.name === '[[Prototype]]') view.proto = remoteSummary(ip.value);
        if (ip.name === '[[FunctionLocation]]') view.location = { line: ip.value.value.lineNumber + 1, column: ip.value.value.columnNumber + 1 };
        if (ip.name === '[[Scopes]]' && ip.value.objectId) {
          const scopes = propertiesOf(ip.value.objectId);
          view.scopes = [];
          for (const sc of scopes ? scopes.result : []) {
            if (!/^\d+$/.test(sc.name) || !sc.value.objectId) continue;
            // The global scope is the global object's properties: not a context, and huge.
            if (sc.value.description === 'Global') {
              view.scopes.push({ description: 'Global', variables: [] });
              continue;
            }
            const scope = propertiesOf(sc.value.objectId);
            const vars = (scope ? scope.result : []).filter((x) => x.name !== 'object' && x.name !== 'type' && x.name !== 'name');
            view.scopes.push({ description: sc.value.description, variables: vars.map((x) => ({ name: x.name, value: remoteSummary(x.value) })) });
          }
        }
        if (ip.name === '[[Entries]]' && ip.value.objectId) {
          const entries = propertiesOf(ip.value.objectId);
          view.entries = [];
          for (const en of entries ? entries.result : []) {
            if (!/^\d+$/.test(en.name) || !en.value.objectId) continue;
            const kv = propertiesOf(en.value.objectId);
            const get = (n) => {
              const f = kv && kv.result.find((x) => x.name === n);
              return f ? remoteSummary(f.value) : undefined;
            };
            view.entries.push({ key: get('key'), value: get('value') });
          }
        }
      }
      s.post('Runtime.releaseObject', { objectId: ro.objectId });
    });
  } finally {
    delete globalThis[key];
  }
  return view;
}

/**
 * Role: where a function is defined in its file: `def` is V8's own [[FunctionLocation]] (the `(`
 * of the parameters, where V8 puts a function), `token` where Function.prototype.toString's text
 * starts (the `function`/`class`/`async` token, a method's name, an arrow's parameters).
 */
function definitionOf(fn, file) {
  const source = fs.readFileSync(file, 'utf8');
  const text = Function.prototype.toString.call(fn);
  const at = source.indexOf(text);
  const out = {};
  if (at >= 0) out.token = positionOf(source, at);
  const v8 = v8FunctionLocation(fn);
  if (v8) out.def = v8;
  return out;
}

/** Role: one value as the manifest shows it: type, util.inspect text, JSON when it has one. */
function describeValue(v) {
  const out = { type: v === null ? 'null' : typeof v };
  if (v !== null && typeof v === 'object') out.constructor = v.constructor ? v.constructor.name : 'Object';
  out.inspect = util.inspect(v, { depth: 2, breakLength: Infinity, compact: true, maxArrayLength: 16 });
  try {
    const json = JSON.stringify(v);
    if (json !== undefined) out.json = json;
  } catch (e) {
    // Not serialisable (cycle, BigInt): inspect alone describes it.
  }
  return out;
}

/**
 * Role: one known frame of the manifest: the function, how it was called and with what.
 * `extra` may add {inferredName, isConstruct, isAsync, repeat, note}.
 */
function describeCall(fn, file, args, receiver, extra) {
  const d = definitionOf(fn, file);
  const frame = {
    name: fn.name,
    script: file,
    line: d.def ? d.def.line : undefined,
    column: d.def ? d.def.column : undefined,
    formalCount: fn.length,
    argc: args.length,
    args: Array.prototype.map.call(args, describeValue),
  };
  if (d.token) {
    frame.tokenLine = d.token.line;
    frame.tokenColumn = d.token.column;
  }
  if (receiver !== undefined) frame.receiver = describeValue(receiver);
  return Object.assign(frame, extra || {});
}

/** Role: parses V8's `at …` lines (Error.stack) into {function, file, line, column, async}. */
function parseStack(stack) {
  const frames = [];
  for (const raw of String(stack).split('\n')) {
    const m = /^\s*at (async )?(?:(.*?) \((.*):(\d+):(\d+)\)|(.*):(\d+):(\d+))$/.exec(raw);
    if (!m) continue;
    if (m[3] !== undefined) {
      frames.push({ function: m[2], file: m[3], line: +m[4], column: +m[5], async: !!m[1] });
    } else {
      frames.push({ function: '', file: m[6], line: +m[7], column: +m[8], async: !!m[1] });
    }
  }
  return frames;
}

/** Role: this thread's kernel thread id, from /proc/thread-self (sync fs runs on the caller). */
function currentTid() {
  const link = fs.readlinkSync('/proc/thread-self');
  return Number(link.split('/').pop());
}

/** Role: every thread of the process with its kernel name (/proc/self/task/TID/comm). */
function listThreads() {
  const out = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let name = '';
    try {
      name = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch (e) {
      // The thread ended between the listing and the read.
    }
    out.push({ tid: Number(tid), name });
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** Role: the first line at or after `fromLine` of `file` that carries the `@hold` marker. */
function holdLine(file, fromLine) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
    if (lines[i].includes('// @hold')) return i + 1;
  }
  return undefined;
}

/**
 * Role: builds one stack record: known frames innermost first, the raw Error.stack taken in the
 * innermost function, and each frame's current line. The innermost frame's current line is the
 * statement marked `// @hold` after the `new Error()` that `here` is; outer ones come from V8.
 */
function stackRecord(thread, frames, here) {
  const parsed = parseStack(here.stack);
  if (frames.length > 0 && parsed.length > 0) {
    frames[0].currentLine = holdLine(frames[0].script, parsed[0].line);
    frames[0].stackName = parsed[0].function;
  }
  let cursor = 1;
  for (let i = 1; i < frames.length; i++) {
    const name = frames[i].inferredName || frames[i].name;
    for (let j = cursor; j < parsed.length; j++) {
      const p = parsed[j];
      const same = name === '' ? p.function === '' : p.function === name || p.function.endsWith('.' + name) || p.function === 'new ' + name;
      if (!p.async && p.file === frames[i].script && same) {
        frames[i].currentLine = p.line;
        frames[i].stackName = p.function;
        cursor = j + 1;
        break;
      }
    }
  }
  return { thread, tid: currentTid(), frames, errorStack: here.stack, parsedStack: parsed };
}

/** Role: writes the manifest (path from NODESCOPE_MANIFEST or argv[2]) synchronously. */
function writeManifest(scenario, fields) {
  const manifest = Object.assign(
    {
      schema: SCHEMA,
      scenario,
      pid: process.pid,
      nodeVersion: process.version,
      execPath: process.execPath,
      execArgv: process.execArgv,
      threads: listThreads(),
    },
    fields,
  );
  const path = process.env.NODESCOPE_MANIFEST || process.argv[2];
  if (path) fs.writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Role: prints the ready line on fd 1 synchronously, so it is out before the thread holds. */
function ready() {
  fs.writeSync(1, `NODESCOPE_READY ${process.pid}\n`);
}

module.exports = {
  SCHEMA,
  HOLD,
  definitionOf,
  v8View,
  describeValue,
  describeCall,
  parseStack,
  currentTid,
  listThreads,
  stackRecord,
  holdLine,
  writeManifest,
  ready,
};
