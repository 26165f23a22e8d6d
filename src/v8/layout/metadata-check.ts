// The one answer to "does this node binary carry V8's postmortem metadata": a v8dbg_* symbol
// among its symbols (gen-postmortem-metadata.py emits them; a stripped or metadata-less build has
// none). The layout loader, the Session, live process checks and the profiler all ask here.

/** Role: why `symbols` (a binary's, or the subset a prefix scan kept) hold no V8 metadata; undefined when they do. */
export function v8MetadataMissing(symbols: readonly { readonly name: string }[], binaryName = 'the node binary'): string | undefined {
  if (symbols.some((s) => s.name.startsWith('v8dbg_'))) return undefined;
  return `${binaryName} has no V8 postmortem metadata (v8dbg_* symbols): a stripped or metadata-less build`;
}
