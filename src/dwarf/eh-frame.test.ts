import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EhFrame } from './eh-frame.js';
import { EhFrameHdr } from './eh-frame-hdr.js';
import { CfiTable } from './cfi-table.js';
import { EhFrameBuilder } from './testing/eh-frame-builder.js';
import { FormatError } from '../util/errors.js';

const EH = 0x20000;
const HDR = 0x1f000;

function sample(): EhFrameBuilder {
  const b = new EhFrameBuilder(EH);
  const c1 = b.cie();
  b.fde(c1, 0x1000, 0x40, [0x41, 0x0e, 16, 0x86, 2]);
  b.fde(c1, 0x1100, 0x10);
  const c2 = b.cie({ augmentation: 'zPLR' });
  b.fde(c2, 0x1080, 0x20);
  const c3 = b.cie({ augmentation: 'zRS' });
  b.fde(c3, 0x2000, 0x8);
  return b;
}

test('CIE fields and FDE ranges decode for zR, zPLR and zRS', () => {
  const f = new EhFrame({ name: '.eh_frame', data: sample().build(), vaddr: EH });
  const cie = f.cieAt(0);
  assert.equal(cie.augmentation, 'zR');
  assert.equal(cie.codeAlign, 1);
  assert.equal(cie.dataAlign, -8);
  assert.equal(cie.raRegister, 16);
  assert.equal(cie.fdeEncoding, 0x1b);
  assert.equal(f.findFdeByScan(0x1000)?.pcEnd, 0x1040);
  assert.equal(f.findFdeByScan(0x103f)?.pcBegin, 0x1000);
  assert.equal(f.findFdeByScan(0x1040), undefined);
  const plr = f.findFdeByScan(0x1085);
  assert.equal(plr?.cie.augmentation, 'zPLR');
  assert.equal(plr?.cie.lsdaEncoding, 0x1b);
  assert.equal(f.findFdeByScan(0x2004)?.cie.isSignalFrame, true);
  assert.equal(f.scannedFdeCount(), 4);
});

test('.eh_frame_hdr binary search agrees with the linear scan', () => {
  const b = sample();
  const table = new CfiTable({ name: '.eh_frame', data: b.build(), vaddr: EH }, { name: '.eh_frame_hdr', data: b.hdr(HDR), vaddr: HDR });
  assert.equal(table.usesHdr, true);
  const scan = new CfiTable({ name: '.eh_frame', data: b.build(), vaddr: EH });
  assert.equal(scan.usesHdr, false);
  for (const pc of [0xfff, 0x1000, 0x1001, 0x1040, 0x1080, 0x109f, 0x10a0, 0x1100, 0x110f, 0x1110, 0x2000, 0x2008, 0x9999]) {
    assert.deepEqual(table.findFde(pc)?.pcBegin, scan.findFde(pc)?.pcBegin, `pc 0x${pc.toString(16)}`);
  }
  const hdr = new EhFrameHdr({ name: '.eh_frame_hdr', data: b.hdr(HDR), vaddr: HDR });
  assert.equal(hdr.ehFramePtr, EH);
  assert.equal(hdr.fdeCount, 4);
  assert.equal(hdr.entry(0).initialLoc, 0x1000);
});

test('a header pointing elsewhere or truncated falls back to scanning', () => {
  const b = sample();
  const hdr = b.hdr(HDR);
  const wrong = new CfiTable({ name: '.eh_frame', data: b.build(), vaddr: EH + 8 }, { name: '.eh_frame_hdr', data: hdr, vaddr: HDR });
  assert.equal(wrong.usesHdr, false);
  assert.match(wrong.hdrProblem ?? '', /another/);
  const cut = new CfiTable({ name: '.eh_frame', data: b.build(), vaddr: EH }, { name: '.eh_frame_hdr', data: hdr.subarray(0, 14), vaddr: HDR });
  assert.equal(cut.usesHdr, false);
  assert.equal(cut.findFde(0x1100)?.pcBegin, 0x1100);
});

test('malformed records are FormatErrors, and a scan stops at a broken length', () => {
  const b = new EhFrameBuilder(EH);
  const c = b.cie();
  b.fde(c, 0x1000, 0x10);
  b.raw([0xf0, 0xff, 0xff, 0x0f, 0, 0, 0, 0]);
  const f = new EhFrame({ name: '.eh_frame', data: b.build(), vaddr: EH });
  assert.equal(f.scannedFdeCount(), 1);
  assert.throws(() => f.fdeAt(0), FormatError);
  assert.throws(() => f.cieAt(24), FormatError);
  assert.throws(() => f.fdeAt(1 << 30), FormatError);
  const bad = Buffer.from(b.build());
  bad[8] = 7; // CIE version
  assert.throws(() => new EhFrame({ name: '.eh_frame', data: bad, vaddr: EH }).fdeAt(24), FormatError);
});
