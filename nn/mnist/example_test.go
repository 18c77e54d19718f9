package mnist_test

import (
	"fmt"
	"log"
	"os"

	"github.com/lanesimd/lanes/nn/mnist"
)

// Load fetches MNIST into the repository's data/ folder on first use, then reads it.
func ExampleLoad() {
	train, test, err := mnist.Load("", os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.N, test.N, train.Rows, train.Cols, train.Labels[0])
}

// Batch gathers a minibatch of images and labels into reused buffers.
func ExampleSet_Batch() {
	s := &mnist.Set{N: 3, Rows: 1, Cols: 2, Images: []float32{0, 0.1, 0.2, 0.3, 0.4, 0.5}, Labels: []uint8{7, 8, 9}}
	x := make([]float32, 2*s.Pixels())
	y := make([]uint8, 2)
	s.Batch([]int{2, 0}, x, y)
	fmt.Println(x, y)
	// Output: [0.4 0.5 0 0.1] [9 7]
}
