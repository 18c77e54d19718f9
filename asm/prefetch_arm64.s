//go:build !purego

#include "textflag.h"

// func Prefetch(b []byte): PRFM PLDL1KEEP on every 64-byte line that b touches (see
// prefetch_arm64.go).
//
// Registers:
//   R0  the next line to prefetch
//   R1  the end of b
TEXT ·Prefetch(SB), NOSPLIT, $0-24
	MOVD	b_base+0(FP), R0
	MOVD	b_len+8(FP), R1
	ADD	R0, R1
	AND	$~63, R0

line:
	CMP	R1, R0
	BHS	done
	PRFM	(R0), PLDL1KEEP
	ADD	$64, R0
	B	line

done:
	RET
