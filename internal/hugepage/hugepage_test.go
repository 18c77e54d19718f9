package hugepage

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestFloats: Floats behaves as make (length 0, capacity n, zeros), at sizes below and above
// MinBytes, and where the system offers transparent huge pages the advice is accepted (madvise
// returns no error for the buffer's whole 2 MiB pages).
func TestFloats(t *testing.T) {
	for _, n := range []int{0, 1, 1000, MinBytes/4 - 1, MinBytes / 4, 3*MinBytes/4 + 5} {
		s := Floats(n)
		if len(s) != 0 || cap(s) != n {
			t.Fatalf("Floats(%d): len %d, cap %d, want 0 and %d", n, len(s), cap(s), n)
		}
		for i, v := range s[:n] {
			if v != 0 {
				t.Fatalf("Floats(%d)[%d] = %g, want 0", n, i, v)
			}
		}
	}
	thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if runtime.GOOS != "linux" || err != nil || strings.Contains(string(thp), "[never]") {
		t.Logf("no transparent huge pages here (%s): the advice is not checked", runtime.GOOS)
		return
	}
	s := Bytes(MinBytes)
	if len(s) != 0 || cap(s) != MinBytes {
		t.Fatalf("Bytes(%d): len %d, cap %d", MinBytes, len(s), cap(s))
	}
	if err := advise(s[:MinBytes]); err != nil {
		t.Fatalf("madvise(MADV_HUGEPAGE) on a %d MiB buffer: %v", MinBytes>>20, err)
	}
}
