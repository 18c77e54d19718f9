package hugepage

import (
	"syscall"
	"unsafe"
)

// hugeSize is the size of an x86-64 or arm64 (4 KiB granule) transparent huge page.
const hugeSize = 2 << 20

// advise asks for huge pages on the whole 2 MiB pages of b (madvise takes page-aligned ranges;
// the partial pages at both ends keep ordinary pages). It returns madvise's error, or nil when
// s covers no whole huge page.
func advise(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	start := uintptr(unsafe.Pointer(&b[0]))
	lo := int((start+hugeSize-1)&^(hugeSize-1) - start)      // offset of the first whole page
	hi := int((start+uintptr(len(b)))&^(hugeSize-1) - start) // end of the last one
	if hi <= lo {
		return nil
	}
	return syscall.Madvise(b[lo:hi], syscall.MADV_HUGEPAGE)
}
