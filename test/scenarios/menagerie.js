// Scenario: a menagerie of JS values of every kind `print` must render, held in one root object
// whose `marker` property is a unique flat string (found in the core by its bytes, then the root
// through the word that points at it). The manifest gives util.inspect/JSON.stringify of each.
// nodescope-hold: wait
'use strict';
const util = require('util');
const kit = require('./lib/kit.js');

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

function namedFunction(a, b) {
  return a + b;
}

const arrowFunction = (x) => x * 2;

function bigCons() {
  // Deep cons tree: each + of a long left side and a short right side adds one level.
  let s = 'cons-start:';
  for (let i = 0; i < 3000; i++) s += String.fromCharCode(97 + (i % 26)) + 'xyz';
  return s;
}

/** Closures over every shape of scope V8 keeps in contexts: function, block, catch, class, nested. */
function makeClosures() {
  const captured = 'outer-value';
  let counter = 7;
  function blockScoped() {
    {
      const inBlock = 'block-value';
      let twice = 2;
      return () => inBlock + twice + counter;
    }
  }
  let caught;
  try {
    throw new RangeError('caught-one');
  } catch (e) {
    caught = () => e.message + captured;
  }
  const nested = (function outerFn(a) {
    const b = a * 3;
    return function innerFn(c) {
      return a + b + c + counter;
    };
  })(5);
  class WithStatic {
    static #hidden = 'static-private';
    static read() {
      return WithStatic.#hidden + captured;
    }
  }
  counter++;
  return { closureBlock: blockScoped(), closureCatch: caught, closureNested: nested, staticMethod: WithStatic.read };
}

/** A script context (a classic script's top-level `let`s, ContextCells in V8 14) and its function. */
function scriptContextFunction() {
  const vm = require('vm');
  vm.runInThisContext('let scriptCount = 0; let scriptFloat = 1.5; var __nodescopeScriptInc = function scriptInc() { scriptCount++; scriptFloat += 0.25; return scriptCount; };');
  for (let i = 0; i < 4000; i++) globalThis.__nodescopeScriptInc();
  return globalThis.__nodescopeScriptInc;
}

class Temperature {
  constructor(celsius) {
    this.celsius = celsius;
  }
  get fahrenheit() {
    return (this.celsius * 9) / 5 + 32;
  }
  toString() {
    return `${this.celsius}C`;
  }
}

class Celsius extends Temperature {
  constructor(c) {
    super(c);
    this.unit = 'C';
  }
}

function makeValues() {
  const long = 'L'.repeat(400) + '-end';
  const flatLong = ['abcdefghij', 'klmnopqrst', 'uvwxyz0123', '456789ABCD'].join('|');
  const detached = new ArrayBuffer(16);
  structuredClone(detached, { transfer: [detached] });
  const sparse = [1, 2, 3];
  sparse[50000] = 'far';
  const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const holeyDouble = [1.5, , 3.5]; // eslint-disable-line no-sparse-arrays
  const dict = { keep: 1, drop: 2, also: 'three' };
  delete dict.drop;
  const manyProps = {};
  for (let i = 0; i < 20; i++) manyProps['p' + i] = i;
  const outOfObject = { a: 1 };
  outOfObject.b = 'added';
  outOfObject.c = 3.25;
  const nullProto = Object.create(null);
  nullProto.only = 'value';
  const symKey = Symbol('key');
  const withSymbol = { [symKey]: 'symbol-valued', plain: 1 };
  const accessors = {
    get both() {
      return 1;
    },
    set both(v) {},
    get onlyGet() {
      return 2;
    },
  };
  const circular = { name: 'loop' };
  circular.self = circular;
  const err = new TypeError('bad thing happened');
  const resolved = Promise.resolve(42);
  const rejected = Promise.reject(new Error('nope'));
  rejected.catch(() => {});
  const pending = new Promise(() => {});
  const wm = new WeakMap();
  const wkey = { wk: 1 };
  wm.set(wkey, 'weak-value');
  const ws = new WeakSet();
  ws.add(wkey);
  const bound = namedFunction.bind({ self: 1 }, 7);
  const proxy = new Proxy({ target: true }, { get: () => 1 });
  const twoByte = ['h\u00e9llo', 'w\u00f6rld \u2713'].join(' ');
  const sliced = flatLong.slice(3, 30);

  return {
    smi: 42,
    negSmi: -7,
    heapNumber: 1.5,
    nan: NaN,
    negZero: -0,
    beyondSafe: 2 ** 53 + 2,
    infinity: -Infinity,
    oneByte: 'hello',
    twoByte,
    cons: bigCons(),
    sliced,
    longString: long,
    emptyString: '',
    nul: null,
    undef: undefined,
    yes: true,
    no: false,
    packedSmi: [1, 2, 3],
    packedDouble: [1.5, 2.25, -0.5],
    packedObject: [{ a: 1 }, 'x', null],
    holey,
    holeyDouble,
    sparse,
    emptyArray: [],
    plain: { a: 1, b: 'two', c: [3] },
    doubles: { x: 1.5, y: -2.75 },
    outOfObject,
    manyProps,
    dict,
    nullProto,
    withSymbol,
    accessors,
    point: new Point(3, 4),
    nested: { l1: { l2: { l3: { l4: 'deep' } } } },
    circular,
    uint8: new Uint8Array([1, 2, 255]),
    float64: new Float64Array([0.5, -1]),
    arrayBuffer: new ArrayBuffer(8),
    detached,
    buffer: Buffer.from('hello'),
    map: new Map([
      ['k1', 1],
      [2, 'two'],
    ]),
    set: new Set(['s1', 2]),
    weakMap: wm,
    weakSet: ws,
    weakKey: wkey,
    date: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)),
    regexp: /ab+c/gi,
    error: err,
    resolved,
    rejected,
    pending,
    boxedNumber: new Number(5), // eslint-disable-line no-new-wrappers
    boxedString: new String('boxed'), // eslint-disable-line no-new-wrappers
    boxedBoolean: new Boolean(false), // eslint-disable-line no-new-wrappers
    symbol: Symbol('described'),
    anonSymbol: Symbol(),
    fn: namedFunction,
    arrow: arrowFunction,
    klass: Point,
    bound,
    proxy,
    bigint: 123456789012345678901234567890n,
    negBigint: -42n,
    ...makeClosures(),
    scriptFn: scriptContextFunction(),
    temperature: new Celsius(21.5),
    celsiusClass: Celsius,
    thrownError: (() => {
      try {
        null.boom();
      } catch (e) {
        return e;
      }
    })(),
    nestedError: new Error('outer', { cause: new SyntaxError('inner cause') }),
    globalObject: globalThis,
  };
}

function describe(v) {
  const out = {
    type: v === null ? 'null' : typeof v,
    inspect: util.inspect(v, { depth: 2, breakLength: Infinity, compact: true, maxArrayLength: 100, maxStringLength: 10000 }),
  };
  if (v !== null && typeof v === 'object') out.constructor = Object.getPrototypeOf(v) && v.constructor ? v.constructor.name : null;
  try {
    const json = JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() + 'n' : x));
    if (json !== undefined) out.json = json;
  } catch (e) {
    // Not serialisable (cycle): inspect alone describes it.
  }
  if (typeof v === 'number') out.number = Object.is(v, -0) ? '-0' : String(v);
  // V8's own view, for the differential oracle (test/inspect/oracle.test.ts).
  out.v8 = kit.v8View(v);
  if (typeof v === 'string') out.length = v.length;
  return out;
}

function main() {
  const marker = ['NODESCOPE', 'MENAGERIE', 'ROOT', String(process.pid)].join('_');
  const root = { marker, values: makeValues() };
  const values = {};
  for (const k of Object.keys(root.values)) values[k] = describe(root.values[k]);
  kit.writeManifest('menagerie', {
    script: __filename,
    hold: 'wait',
    marker: marker.split('_').join('_'),
    rootKeys: ['marker', 'values'],
    stacks: [],
    values,
  });
  // Kept alive from the global object, non-enumerable so that globalObject prints as recorded.
  Object.defineProperty(globalThis, '__nodescopeMenagerie', { value: root, enumerable: false });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

main();
