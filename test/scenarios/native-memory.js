// Scenario: native memory of known shape. A small N-API addon, compiled here with the system gcc
// against the Node binary's own headers (include/node), leaks LEAKED malloc blocks (marker
// NODESCOPE_LEAK_nnnn, pointers dropped) and keeps KEPT blocks of the same size in a global array
// (marker NODESCOPE_KEPT_nnnn, reachable), both on a thread whose stack it unmaps afterwards. JS holds known Buffer and Uint8Array memory, and a
// libuv pool of POOL threads has run and gone idle. One external string of EXTERNAL one-byte
// characters (V8's externalize-string extension: its characters are malloc'd) is held too. The manifest records every address and size.
// nodescope-hold: wait
// nodescope-flags: --expose-externalize-string
'use strict';
process.env.UV_THREADPOOL_SIZE = '16';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const kit = require('./lib/kit.js');

const POOL = 16;
const LEAKED = 37;
const KEPT = 11;
const BLOCK = 1000;
const BUFFERS = { count: 24, bytes: 1 << 20 };
const UINT8 = { count: 8, bytes: 512 << 10 };
const EXTERNAL = (1 << 20) + 7;

const ADDON = `
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The kept blocks: a global the compiler cannot drop, so they stay reachable. */
__attribute__((used)) void *nodescope_kept[4096];
static int nkept;
static char addrs[4096][24];

struct job { int n, size, keep; };

/* Allocates the blocks on a thread of its own whose stack is unmapped afterwards, so no stale
   copy of a leaked pointer survives on any stack. Addresses are recorded as text only. */
static void *run(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->n && i < 4096; i++) {
    char *p = malloc(j->size);
    memset(p, 0, j->size);
    snprintf(p, j->size, j->keep ? "NODESCOPE_KEPT_%04d" : "NODESCOPE_LEAK_%04d", i);
    if (j->keep && nkept < 4096) nodescope_kept[nkept++] = p;
    snprintf(addrs[i], sizeof addrs[i], "0x%lx", (unsigned long)p);
  }
  return NULL;
}

static napi_value blocks(napi_env env, napi_callback_info info, int keep) {
  size_t argc = 2, stack = 1 << 18;
  napi_value argv[2], out;
  struct job j;
  pthread_t t;
  pthread_attr_t attr;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_int32(env, argv[0], &j.n);
  napi_get_value_int32(env, argv[1], &j.size);
  j.keep = keep;
  void *mem = mmap(NULL, stack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, mem, stack);
  pthread_create(&t, &attr, run, &j);
  pthread_join(t, NULL);
  pthread_attr_destroy(&attr);
  munmap(mem, stack);
  napi_create_array_with_length(env, j.n, &out);
  for (int i = 0; i < j.n && i < 4096; i++) {
    napi_value s;
    napi_create_string_utf8(env, addrs[i], NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, out, i, s);
  }
  return out;
}
static napi_value leak(napi_env env, napi_callback_info info) { return blocks(env, info, 0); }
static napi_value keep(napi_env env, napi_callback_info info) { return blocks(env, info, 1); }

NAPI_MODULE_INIT() {
  napi_value f;
  napi_create_function(env, "leak", NAPI_AUTO_LENGTH, leak, NULL, &f);
  napi_set_named_property(env, exports, "leak", f);
  napi_create_function(env, "keep", NAPI_AUTO_LENGTH, keep, NULL, &f);
  napi_set_named_property(env, exports, "keep", f);
  return exports;
}
`;

/** Builds the addon with gcc against this Node's headers; returns its exports. */
function loadAddon() {
  const include = path.join(path.dirname(process.execPath), '..', 'include', 'node');
  if (!fs.existsSync(path.join(include, 'node_api.h'))) throw new Error(`no node_api.h under ${include}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodescope-addon-'));
  const src = path.join(dir, 'leaky.c');
  const out = path.join(dir, 'leaky.node');
  fs.writeFileSync(src, ADDON);
  execFileSync('gcc', ['-O1', '-shared', '-fPIC', '-pthread', '-I', include, '-o', out, src], { stdio: 'inherit', timeout: 60_000 });
  const addon = require(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return addon;
}

const held = { buffers: [], uint8: [], external: undefined };

/** A one-byte string of EXTERNAL characters, externalized (flag --expose-externalize-string). */
function externalString() {
  const make = typeof createExternalizableString === 'function' ? createExternalizableString : (x) => x; // eslint-disable-line no-undef
  const s = make('e'.repeat(EXTERNAL - 7) + 'NSEXTRN');
  externalizeString(s); // eslint-disable-line no-undef
  return s;
}

function runPool(done) {
  let left = POOL * 2;
  for (let i = 0; i < POOL * 2; i++) crypto.pbkdf2('pw', 'salt', 20000, 32, 'sha256', () => --left === 0 && done());
}

function main() {
  const addon = loadAddon();
  const leaked = addon.leak(LEAKED, BLOCK);
  const kept = addon.keep(KEPT, BLOCK);
  for (let i = 0; i < BUFFERS.count; i++) held.buffers.push(Buffer.alloc(BUFFERS.bytes, i + 1));
  for (let i = 0; i < UINT8.count; i++) held.uint8.push(new Uint8Array(UINT8.bytes).fill(i + 7));
  held.external = externalString();
  runPool(() => {
    kit.writeManifest('native-memory', {
      script: __filename,
      hold: 'wait',
      values: { pool: POOL, block: BLOCK, leaked, kept, buffers: BUFFERS, uint8: UINT8, external: EXTERNAL },
      stacks: [],
    });
    kit.ready();
    for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
  });
}

main();
