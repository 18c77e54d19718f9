//go:build linux || darwin || freebsd

package kernels

import (
	"os"
	"sync"
	"syscall"
	"testing"
	"unsafe"
)

// pageRegion is read-write memory followed by one PROT_NONE page, mapped once per process.
var pageRegion struct {
	once sync.Once
	mem  []byte // the read-write part; the byte after its end is unmapped
	err  error
}

// pageEndBytes is the size of the read-write part: enough for any test slice.
const pageEndBytes = 1 << 20

// pageEnd returns a slice of n elements whose last element ends exactly where an unmapped page
// begins, so a kernel that reads or writes one byte past it faults. The contents are garbage.
//
// It returns nil (the callers then skip the check) when LANES_NO_PAGE_END is set: qemu-x86_64 7.2
// emulates VMASKMOVPS/VMASKMOVPD by touching the masked-off lanes too, so under it a correct AVX2
// tail faults at a page end. The emulated runs check dispatch; the native runs check page ends.
func pageEnd[T Float](t *testing.T, n int) []T {
	t.Helper()
	if os.Getenv("LANES_NO_PAGE_END") != "" {
		return nil
	}
	pageRegion.once.Do(func() {
		ps := syscall.Getpagesize()
		mem, err := syscall.Mmap(-1, 0, pageEndBytes+ps, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			pageRegion.err = err
			return
		}
		if err := syscall.Mprotect(mem[pageEndBytes:], syscall.PROT_NONE); err != nil {
			pageRegion.err = err
			return
		}
		pageRegion.mem = mem[:pageEndBytes:pageEndBytes]
	})
	if pageRegion.err != nil {
		t.Fatalf("mapping a guard page: %v", pageRegion.err)
	}
	var z T
	size := int(unsafe.Sizeof(z))
	if n*size > pageEndBytes {
		t.Fatalf("pageEnd: %d elements do not fit in %d bytes", n, pageEndBytes)
	}
	if n == 0 {
		return []T{}
	}
	p := unsafe.Pointer(&pageRegion.mem[pageEndBytes-n*size])
	return unsafe.Slice((*T)(p), n)
}
