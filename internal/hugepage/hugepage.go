// Package hugepage allocates large float32 buffers that the operating system may back with huge
// pages, for data that is read at random (the rows of a training set drawn into batches): with
// 4 KiB pages, nearly every row read so misses the TLB as well as the caches.
package hugepage

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
func Floats(n int) []float32 {
	s := make([]float32, 0, n)
	if n*4 >= MinBytes {
		_ = advise(s[:n])
	}
	return s
}
