// Package asm holds lanes' hand-written assembly and nothing else: each kernel is a file pair
// <kernel>_<arch>.s and <kernel>_<arch>.go, whose //go:noescape declarations state in their doc
// comments the exact Go loop the assembly computes, the ISA it needs, and its tail and alignment
// contract. No dispatch, allocation or policy lives here: package kernels picks what to call.
package asm
