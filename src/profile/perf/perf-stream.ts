// An incremental reader of the pipe-mode perf.data stream (`perf record -o -`): a 16-byte pipe
// header, then records; the event attributes come as PERF_RECORD_HEADER_ATTR records instead of
// a file section (tools/perf/Documentation/perf.data-file-format.txt, "Pipe-mode data"). Chunks
// are pushed as they arrive and each complete record is handed on at once. Only FormatError escapes.
import { FormatError } from '../../util/errors.js';
import { parseAttr, parseDataRecord, PERF_RECORD, type PerfAttr, type PerfDataRecord } from './perf-data.js';

const MAGIC = 'PERFILE2';
const PIPE_HEADER_SIZE = 16;
/** Bytes of payload that may follow a record outside its own size (tracing data, AUX data). */
const MAX_PAYLOAD = 256 * 1024 * 1024;

/** Role: parses a pipe-mode perf.data stream chunk by chunk, calling `onRecord` per data record. */
export class PerfStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  private headerSeen = false;
  private attr: PerfAttr | undefined;
  private skip = 0;
  private order = 0;
  /** Bytes consumed so far (for error offsets). */
  private offset = 0;

  constructor(private readonly onRecord: (r: PerfDataRecord) => void, private readonly name = 'perf pipe') {}

  /** The first event attribute, once its HEADER_ATTR record has been read. */
  get attribute(): PerfAttr | undefined {
    return this.attr;
  }

  /** Whether the stream has started with a valid pipe header. */
  get started(): boolean {
    return this.headerSeen;
  }

  /** Feeds the next chunk; decodes every record it completes. */
  push(chunk: Buffer): void {
    const b = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    if (this.skip > 0) {
      const n = Math.min(this.skip, b.length);
      this.skip -= n;
      pos = n;
    }
    if (!this.headerSeen && b.length - pos >= PIPE_HEADER_SIZE) {
      if (b.toString('latin1', pos, pos + 8) !== MAGIC) throw new FormatError(this.name, 'not a perf.data stream (PERFILE2 magic)');
      if (b.readBigUInt64LE(pos + 8) !== BigInt(PIPE_HEADER_SIZE)) throw new FormatError(this.name, 'a perf.data file, not a pipe-mode stream');
      this.headerSeen = true;
      pos += PIPE_HEADER_SIZE;
    }
    while (this.headerSeen && this.skip === 0 && b.length - pos >= 8) {
      const type = b.readUInt32LE(pos);
      const size = b.readUInt16LE(pos + 6);
      if (size < 8) throw new FormatError(this.name, `bad record size ${size} at offset ${this.offset + pos}`);
      if (b.length - pos < size) break;
      this.record(b, pos, type, size);
      pos += size;
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - pos);
        this.skip -= n;
        pos += n;
      }
    }
    this.offset += pos;
    // Keep only the unconsumed tail (a copy, so the big chunk it came from can be freed).
    this.pending = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
  }

  /** Checks that the stream ended on a record boundary, after its header. */
  end(): void {
    if (!this.headerSeen) throw new FormatError(this.name, 'the perf stream ended before its header');
    if (this.pending.length > 0 || this.skip > 0) throw new FormatError(this.name, `the perf stream ended inside a record (${this.pending.length + this.skip} bytes short)`);
  }

  private record(b: Buffer, pos: number, type: number, size: number): void {
    switch (type) {
      case PERF_RECORD.HEADER_ATTR: {
        // struct attr_event: header, perf_event_attr (its own size at +4), then the event ids.
        if (size < 16) throw new FormatError(this.name, 'HEADER_ATTR record too short');
        const attrSize = b.readUInt32LE(pos + 8 + 4);
        if (attrSize > size - 8) throw new FormatError(this.name, `HEADER_ATTR with attr size ${attrSize} in a ${size}-byte record`);
        const a = parseAttr(b, pos + 8, attrSize, this.name);
        if (this.attr === undefined) this.attr = a;
        else if (a.sampleType !== this.attr.sampleType) throw new FormatError(this.name, 'events with different sample_type are not supported');
        return;
      }
      case PERF_RECORD.HEADER_TRACING_DATA:
      case PERF_RECORD.AUXTRACE: {
        // Their payload follows the record: a u32 size (tracing data) or a u64 size (AUX data) at +8.
        if (size < 16) throw new FormatError(this.name, `record ${type} too short`);
        const n = type === PERF_RECORD.AUXTRACE ? Number(b.readBigUInt64LE(pos + 8)) : b.readUInt32LE(pos + 8);
        if (!(n >= 0 && n <= MAX_PAYLOAD)) throw new FormatError(this.name, `record ${type} announces ${n} bytes of payload`);
        this.skip = n;
        return;
      }
      case PERF_RECORD.COMPRESSED:
        throw new FormatError(this.name, 'compressed perf data (perf record -z) is not supported');
      default:
        break;
    }
    if (type >= 64 || this.attr === undefined) {
      if (type === PERF_RECORD.SAMPLE) throw new FormatError(this.name, 'a sample before any HEADER_ATTR record');
      return;
    }
    const r = parseDataRecord(b, pos, this.attr, this.order, this.name);
    if (r === undefined) return;
    this.order++;
    this.onRecord(r);
  }
}
