// ELF64 constants used by nodescope, with upstream spelling (Linux include/uapi/linux/elf.h,
// glibc elf.h). Only what the readers need; not a complete list.

/** e_type values. */
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;
/** e_machine for x86-64. */
export const EM_X86_64 = 62;

/** p_type values. */
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_NOTE = 4;
export const PT_GNU_EH_FRAME = 0x6474e550;
/** p_flags bits. */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** sh_type values. */
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

/** Symbol types (low nibble of st_info). */
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_TLS = 6;
/** Special section index: undefined symbol. */
export const SHN_UNDEF = 0;
/** Extended numbering marker for e_phnum (Linux fs/binfmt_elf.c). */
export const PN_XNUM = 0xffff;

/** Note types in cores (Linux include/uapi/linux/elf.h). */
export const NT_PRSTATUS = 1;
export const NT_PRFPREG = 2;
export const NT_PRPSINFO = 3;
export const NT_AUXV = 6;
export const NT_SIGINFO = 0x53494749;
export const NT_FILE = 0x46494c45;
/** GNU build-id note type (owner "GNU"). */
export const NT_GNU_BUILD_ID = 3;

/** Auxiliary vector keys. */
export const AT_PHDR = 3;
export const AT_ENTRY = 9;
export const AT_SYSINFO_EHDR = 33;
