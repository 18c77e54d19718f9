// NEON instructions the Go arm64 assembler has no mnemonic for, as WORD encodings. Each macro
// takes register numbers in the order of the Arm syntax: destination first. For example
// FADD_S4(0, 1, 2) is FADD V0.4S, V1.4S, V2.4S. Loads, stores, integer and bitwise operations and
// FMLA/FMLS use the Go assembler's own mnemonics (VLD1, VADD, VBSL, VFMLA, ...), whose operand
// order is the reverse: sources first, destination last.

// Three registers, floating point: Vd = Vn op Vm; FMLA and FMLS: Vd += Vn*Vm and Vd -= Vn*Vm,
// fused (the Go assembler's VFMLA and VFMLS, here for macros that take register numbers).
#define FMLA_S4(d, n, m) WORD $(0x4E20CC00|((m)<<16)|((n)<<5)|(d))
#define FMLA_D2(d, n, m) WORD $(0x4E60CC00|((m)<<16)|((n)<<5)|(d))
#define FMLS_S4(d, n, m) WORD $(0x4EA0CC00|((m)<<16)|((n)<<5)|(d))
#define FMLS_D2(d, n, m) WORD $(0x4EE0CC00|((m)<<16)|((n)<<5)|(d))
#define FADD_S4(d, n, m) WORD $(0x4E20D400|((m)<<16)|((n)<<5)|(d))
#define FADD_D2(d, n, m) WORD $(0x4E60D400|((m)<<16)|((n)<<5)|(d))
#define FSUB_S4(d, n, m) WORD $(0x4EA0D400|((m)<<16)|((n)<<5)|(d))
#define FSUB_D2(d, n, m) WORD $(0x4EE0D400|((m)<<16)|((n)<<5)|(d))
#define FMUL_S4(d, n, m) WORD $(0x6E20DC00|((m)<<16)|((n)<<5)|(d))
#define FMUL_D2(d, n, m) WORD $(0x6E60DC00|((m)<<16)|((n)<<5)|(d))
#define FDIV_S4(d, n, m) WORD $(0x6E20FC00|((m)<<16)|((n)<<5)|(d))
#define FDIV_D2(d, n, m) WORD $(0x6E60FC00|((m)<<16)|((n)<<5)|(d))
// FMAX / FMIN: a NaN in either operand gives a NaN.
#define FMAX_S4(d, n, m) WORD $(0x4E20F400|((m)<<16)|((n)<<5)|(d))
#define FMAX_D2(d, n, m) WORD $(0x4E60F400|((m)<<16)|((n)<<5)|(d))
#define FMIN_S4(d, n, m) WORD $(0x4EA0F400|((m)<<16)|((n)<<5)|(d))
#define FMIN_D2(d, n, m) WORD $(0x4EE0F400|((m)<<16)|((n)<<5)|(d))
// Pairwise: Vd = [Vn[0] op Vn[1], Vn[2] op Vn[3], Vm[0] op Vm[1], Vm[2] op Vm[3]] (.4S).
#define FADDP_S4(d, n, m) WORD $(0x6E20D400|((m)<<16)|((n)<<5)|(d))
#define FADDP_D2(d, n, m) WORD $(0x6E60D400|((m)<<16)|((n)<<5)|(d))
#define FMAXP_S4(d, n, m) WORD $(0x6E20F400|((m)<<16)|((n)<<5)|(d))
#define FMAXP_D2(d, n, m) WORD $(0x6E60F400|((m)<<16)|((n)<<5)|(d))
// Compares: each lane all ones where true, else zero (false for NaN).
#define FCMGT_S4(d, n, m) WORD $(0x6EA0E400|((m)<<16)|((n)<<5)|(d))
#define FCMGT_D2(d, n, m) WORD $(0x6EE0E400|((m)<<16)|((n)<<5)|(d))
#define FCMGE_S4(d, n, m) WORD $(0x6E20E400|((m)<<16)|((n)<<5)|(d))
#define FCMGE_D2(d, n, m) WORD $(0x6E60E400|((m)<<16)|((n)<<5)|(d))
#define FCMEQ_S4(d, n, m) WORD $(0x4E20E400|((m)<<16)|((n)<<5)|(d))
#define FCMEQ_D2(d, n, m) WORD $(0x4E60E400|((m)<<16)|((n)<<5)|(d))

// Compares with zero: FCMGT Vd, Vn, #0.0 (Vn > 0) and FCMLT Vd, Vn, #0.0 (Vn < 0).
#define FCMGTZ_S4(d, n) WORD $(0x4EA0C800|((n)<<5)|(d))
#define FCMGTZ_D2(d, n) WORD $(0x4EE0C800|((n)<<5)|(d))
#define FCMLTZ_S4(d, n) WORD $(0x4EA0E800|((n)<<5)|(d))
#define FCMLTZ_D2(d, n) WORD $(0x4EE0E800|((n)<<5)|(d))
// FCMEQ Vd, Vn, #0.0: all ones where Vn is +0 or -0, else zero (false for NaN).
#define FCMEQZ_S4(d, n) WORD $(0x4EA0D800|((n)<<5)|(d))
#define FCMEQZ_D2(d, n) WORD $(0x4EE0D800|((n)<<5)|(d))
// FCMLE Vd, Vn, #0.0: all ones where Vn <= 0 (±0 included), else zero (false for NaN).
#define FCMLEZ_S4(d, n) WORD $(0x6EA0D800|((n)<<5)|(d))
#define FCMLEZ_D2(d, n) WORD $(0x6EE0D800|((n)<<5)|(d))

// Two registers: Vd = op(Vn).
#define FRINTN_S4(d, n) WORD $(0x4E218800|((n)<<5)|(d)) // round to nearest, ties to even
#define FRINTN_D2(d, n) WORD $(0x4E618800|((n)<<5)|(d))
#define FCVTZS_S4(d, n) WORD $(0x4EA1B800|((n)<<5)|(d)) // to signed integer, toward zero
#define FCVTZS_D2(d, n) WORD $(0x4EE1B800|((n)<<5)|(d))
#define FABS_S4(d, n)   WORD $(0x4EA0F800|((n)<<5)|(d))
#define FABS_D2(d, n)   WORD $(0x4EE0F800|((n)<<5)|(d))
#define FNEG_S4(d, n)   WORD $(0x6EA0F800|((n)<<5)|(d))
#define FNEG_D2(d, n)   WORD $(0x6EE0F800|((n)<<5)|(d))
#define FSQRT_S4(d, n)  WORD $(0x6EA1F800|((n)<<5)|(d)) // correctly rounded
#define FSQRT_D2(d, n)  WORD $(0x6EE1F800|((n)<<5)|(d))

// SSHR Vd, Vn, #s: arithmetic shift right of each signed integer lane, 1 <= s <= 32 (.4S) or 64.
#define SSHR_S4(d, n, s) WORD $(0x4F000400|((64-(s))<<16)|((n)<<5)|(d))
#define SSHR_D2(d, n, s) WORD $(0x4F000400|((128-(s))<<16)|((n)<<5)|(d))

// By element: FMLA Vd.4S, Vn.4S, Vm.S[i] (Vd += Vn * Vm[i]), m in V0..V31, i in 0..3;
// FMLA Vd.2D, Vn.2D, Vm.D[i], i in 0..1.
#define FMLAE_S4(d, n, m, i) WORD $(0x4F801000|(((i)>>1)<<11)|(((i)&1)<<21)|((m)<<16)|((n)<<5)|(d))
#define FMLAE_D2(d, n, m, i) WORD $(0x4FC01000|((i)<<11)|((m)<<16)|((n)<<5)|(d))
// FMUL Vd.2D, Vn.2D, Vm.D[i] (Vd = Vn * Vm[i]), m in V0..V31, i in 0..1.
#define FMULE_D2(d, n, m, i) WORD $(0x4FC09000|((i)<<11)|((m)<<16)|((n)<<5)|(d))

// Integer lanes and bit patterns, for macros that take register numbers (the Go assembler has
// VADD, VSUB, VSHL, VORR, VBSL with register names).
#define ADD_S4(d, n, m) WORD $(0x4EA08400|((m)<<16)|((n)<<5)|(d))
#define ADD_D2(d, n, m) WORD $(0x4EE08400|((m)<<16)|((n)<<5)|(d))
#define SUB_S4(d, n, m) WORD $(0x6EA08400|((m)<<16)|((n)<<5)|(d))
#define SUB_D2(d, n, m) WORD $(0x6EE08400|((m)<<16)|((n)<<5)|(d))
#define SHL_S4(d, n, s) WORD $(0x4F005400|((32+(s))<<16)|((n)<<5)|(d)) // 0 <= s <= 31
#define SHL_D2(d, n, s) WORD $(0x4F005400|((64+(s))<<16)|((n)<<5)|(d)) // 0 <= s <= 63
#define AND_B16(d, n, m) WORD $(0x4E201C00|((m)<<16)|((n)<<5)|(d))
#define ORR_B16(d, n, m) WORD $(0x4EA01C00|((m)<<16)|((n)<<5)|(d))
#define EOR_B16(d, n, m) WORD $(0x6E201C00|((m)<<16)|((n)<<5)|(d))
#define MOV_B16(d, n)    ORR_B16(d, n, n)
// BIC: Vd = Vn AND NOT Vm.
#define BIC_B16(d, n, m) WORD $(0x4E601C00|((m)<<16)|((n)<<5)|(d))
// BSL: Vd = (Vd AND Vn) OR (NOT Vd AND Vm): Vd is the mask and receives the result.
#define BSL_B16(d, n, m) WORD $(0x6E601C00|((m)<<16)|((n)<<5)|(d))
// BIT: Vd = (Vd AND NOT Vm) OR (Vn AND Vm): the bits of Vn where the mask Vm is set.
#define BIT_B16(d, n, m) WORD $(0x6EA01C00|((m)<<16)|((n)<<5)|(d))
// BIF: Vd = (Vd AND Vm) OR (Vn AND NOT Vm): the bits of Vn where the mask Vm is clear.
#define BIF_B16(d, n, m) WORD $(0x6EE01C00|((m)<<16)|((n)<<5)|(d))
// DUP Vd.2D, Vn.D[i] and DUP Vd.4S, Vn.S[i]: one lane of Vn in every lane of Vd.
#define DUPE_D2(d, n, i) WORD $(0x4E080400|((i)<<20)|((n)<<5)|(d))
#define DUPE_S4(d, n, i) WORD $(0x4E040400|((i)<<19)|((n)<<5)|(d))
// TBL Vd.16B, {Vn.16B}, Vm.16B and TBL Vd.16B, {Vn.16B-V(n+3).16B}, Vm.16B: byte i of Vd is
// byte Vm[i] of the table of one register (16 bytes) or of four consecutive ones (64 bytes, Vn
// first), 0 where the index is past the table. Reads Vm and the table; writes Vd only (which
// may be one of them).
#define TBL1_B16(d, n, m) WORD $(0x4E000000|((m)<<16)|((n)<<5)|(d))
#define TBL4_B16(d, n, m) WORD $(0x4E006000|((m)<<16)|((n)<<5)|(d))

// Conversions between float32 and float64: FCVTL widens the low two float32 lanes of Vn to
// Vd.2D, FCVTL2 the high two; FCVTN narrows Vn.2D into the low half of Vd (the high half is
// zeroed), FCVTN2 into the high half (the low half is kept). Narrowing rounds once, to nearest
// even, with float32 overflow, subnormals and 0 as IEEE 754 has them.
#define FCVTL_D2(d, n)  WORD $(0x0E617800|((n)<<5)|(d))
#define FCVTL2_D2(d, n) WORD $(0x4E617800|((n)<<5)|(d))
#define FCVTN_S2(d, n)  WORD $(0x0E616800|((n)<<5)|(d))
#define FCVTN2_S4(d, n) WORD $(0x4E616800|((n)<<5)|(d))

// UCVTF Vd.2D, Vn.2D: each unsigned 64-bit integer lane of Vn to float64, rounded to nearest
// (exact below 2^53). Reads Vn; writes Vd only.
#define UCVTF_D2(d, n) WORD $(0x6E61D800|((n)<<5)|(d))
