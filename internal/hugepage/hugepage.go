// Package hugepage allocates large float32 and byte buffers that the operating system may back with huge
// pages, for data that is read at random (the rows of a training set drawn into batches): with
// 4 KiB pages, nearly every row read so misses the TLB as well as the caches.
package hugepage

import "unsafe"

// MinBytes is the size from which Floats asks for huge pages: below it a buffer spans too few
// 2 MiB pages for the hint to matter.
const MinBytes = 4 << 20

// Floats returns a float32 slice of length 0 and capacity n, like make([]float32, 0, n). On Linux,
// when the buffer is at least MinBytes, it first advises the kernel (madvise MADV_HUGEPAGE) to
// back the 2 MiB pages the buffer covers whole with transparent huge pages, so that writing it
// the first time faults them in as huge pages where the system allows (transparent_hugepage set
// to "madvise" or "always"); elsewhere, or where the kernel declines, the buffer is an ordinary
// one. Contents and behaviour are those of make in every case; only the time of reading it at
// random changes. Safe for concurrent use.
func Floats(n int) []float32 { return alloc[float32](n) }

// Bytes is Floats for bytes: like make([]byte, 0, n), with the same advice from MinBytes up.
func Bytes(n int) []byte { return alloc[byte](n) }

func alloc[E float32 | byte](n int) []E {
	s := make([]E, 0, n)
	var z E
	if size := int(unsafe.Sizeof(z)); n*size >= MinBytes {
		_ = advise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s[:n]))), n*size))
	}
	return s
}
