package mnist

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realDir returns the folder with the verified MNIST files, or skips: these tests only read
// what `make data` fetched and never fetch themselves.
func realDir(t testing.TB) string {
	t.Helper()
	dir, err := DefaultDir()
	if err != nil {
		t.Skipf("MNIST tests skipped: %v", err)
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f.name)); errors.Is(err, os.ErrNotExist) {
			t.Skipf("MNIST tests skipped: %s is missing; run `make data` to fetch MNIST", filepath.Join(dir, f.name))
		}
	}
	if err := Verify(dir); err != nil {
		t.Fatalf("MNIST in %s is corrupt (run `make data` to fetch it again): %v", dir, err)
	}
	return dir
}

func fashionDir(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(FashionDir, TrainImages+".gz")); err != nil {
		t.Skipf("Fashion-MNIST tests skipped: %s is not installed (apt-get install -y %s, or `make data`)", FashionPackage, FashionPackage)
	}
	return FashionDir
}

// checkSplit checks the shape, the first labels, the label histogram (each class's share within
// [lo, hi]) and the mean pixel of one real split.
func checkSplit(t *testing.T, name string, s *Set, n int, first []uint8, lo, hi, mean float64) {
	t.Helper()
	if s.N != n || s.Rows != 28 || s.Cols != 28 || len(s.Images) != n*784 || len(s.Labels) != n {
		t.Fatalf("%s: N=%d %dx%d, %d pixels, %d labels; want %d images of 28x28", name, s.N, s.Rows, s.Cols, len(s.Images), len(s.Labels), n)
	}
	for i, l := range first {
		if s.Labels[i] != l {
			t.Errorf("%s: label %d = %d, want %d", name, i, s.Labels[i], l)
		}
	}
	for c, k := range s.Counts() {
		if share := float64(k) / float64(n); share < lo || share > hi {
			t.Errorf("%s: class %d holds %d images (%.3f of them), want a share in [%.3f, %.3f]", name, c, k, share, lo, hi)
		}
	}
	var sum float64
	lo32, hi32 := float32(1), float32(0)
	for _, v := range s.Images {
		sum += float64(v)
		lo32, hi32 = min(lo32, v), max(hi32, v)
	}
	if lo32 != 0 || hi32 != 1 {
		t.Errorf("%s: pixels span [%v, %v], want [0, 1]", name, lo32, hi32)
	}
	if m := sum / float64(len(s.Images)); math.Abs(m-mean) > 5e-4 {
		t.Errorf("%s: mean pixel %.5f, want %.4f", name, m, mean)
	}
}

func TestRealMNIST(t *testing.T) {
	dir := realDir(t)
	train, test, err := loadFrom(dir, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Shares: the rarest digit in training is 5 (9.0%), the commonest 1 (11.2%). The mean pixel
	// of the training images is the well-known 0.1307.
	checkSplit(t, "train", train, 60000, []uint8{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, 0.085, 0.12, 0.1307)
	checkSplit(t, "test", test, 10000, []uint8{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, 0.085, 0.12, 0.1325)
	// Load on the verified folder reads the same data without fetching.
	t.Setenv("PATH", t.TempDir()) // no npm: a fetch would fail
	train2, _, err := Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if train2.N != train.N || train2.Images[784*7+400] != train.Images[784*7+400] {
		t.Fatal("Load and loadFrom disagree")
	}
}

func TestRealFashion(t *testing.T) {
	fashionDir(t)
	train, test, err := LoadFashion(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Fashion-MNIST is balanced: 6000 and 1000 images of each class. The first training image
	// is an ankle boot.
	checkSplit(t, "fashion train", train, 60000, []uint8{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, 0.1, 0.1, 0.2860)
	checkSplit(t, "fashion test", test, 10000, []uint8{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, 0.1, 0.1, 0.2868)
	if FashionClasses[train.Labels[0]] != "Ankle boot" {
		t.Errorf("first training image is a %q, want an Ankle boot", FashionClasses[train.Labels[0]])
	}
}

func TestLoadFashionMissing(t *testing.T) {
	dir := t.TempDir()
	_, _, err := LoadFashionDir(dir, nil)
	if err == nil {
		t.Fatal("no error for a folder without Fashion-MNIST")
	}
	for _, s := range []string{filepath.Join(dir, TrainImages+".gz"), "apt-get install -y dataset-fashion-mnist", "Debian"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
}

// benchRead measures reading one image file; it reports pixels per second.
func benchRead(b *testing.B, path string) {
	st, err := os.Stat(path)
	if err != nil {
		b.Skip(err)
	}
	var n int
	for b.Loop() {
		pix, _, _, _, err := ReadImages(path)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pix)
	}
	b.SetBytes(st.Size())
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

// BenchmarkReadImages reads MNIST's 60000 raw training images.
func BenchmarkReadImages(b *testing.B) {
	benchRead(b, filepath.Join(realDir(b), TrainImages))
}

// BenchmarkReadImagesGzip reads Fashion-MNIST's 60000 gzip-compressed training images.
func BenchmarkReadImagesGzip(b *testing.B) {
	benchRead(b, filepath.Join(fashionDir(b), TrainImages+".gz"))
}

// BenchmarkLoad is Load on a verified folder: the sha256 checks and both splits.
func BenchmarkLoad(b *testing.B) {
	dir := realDir(b)
	for b.Loop() {
		if _, _, err := Load(dir, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(47040016 + 60008 + 7840016 + 10008)
	b.ReportMetric(70000*784*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}
