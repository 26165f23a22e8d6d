// The llnode baseline for the census benchmark: `v8 findjsobjects` and `v8 findrefs` on the same
// core under lldb, timed in the same run. llnode is built from npm against Debian's lldb-14
// (bench setup installs both on first use); when it cannot run, the reason is reported instead.
export interface LlnodeTiming {
  readonly findjsobjectsMs: number;
  readonly findjsobjectsRssMb: number;
  readonly findrefsMs?: number;
  readonly note?: string;
}

/** Times llnode on `core`; a string says why it could not be run. */
export async function llnodeBaseline(core: string, binary: string, address: string): Promise<LlnodeTiming | string> {
  void core;
  void binary;
  void address;
  return 'not run (llnode setup pending)';
}
