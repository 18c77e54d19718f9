package mnist_test

import (
	"fmt"
	"log"
	"os"

	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

// Load fetches MNIST into the cache folder on first use (see DefaultDir), then reads it.
func ExampleLoad() {
	train, test, err := mnist.Load("", os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.N, test.N, train.Rows, train.Cols, train.Labels[0])
}

// From data to accuracy: load MNIST, train the classic two-layer network for five epochs, evaluate
// it on the test set and save it (the README's snippet; TestTrainEvaluateSaveExample runs it
// when MNIST is present).
func Example_trainEvaluateSave() {
	train, test, err := mnist.Load("", os.Stderr) // fetched into the cache on first use
	if err != nil {
		log.Fatal(err)
	}
	rng := nn.NewRand(1)
	model := nn.NewSequential(nn.NewDense(784, 50, nn.HeNormal, rng), nn.NewReLU(), nn.NewDense(50, 10, nn.HeNormal, rng))
	tr := nn.NewTrainer(model, nn.NewSoftmaxCrossEntropy(), nn.NewSGD(0.1))
	tr.Fit(train.Matrix(), nn.Labels(train.IntLabels()), nn.FitConfig{BatchSize: 100, Epochs: 5, Seed: 1})
	ev := nn.Evaluate(model, test.Matrix(), test.IntLabels(), nil, 0)
	fmt.Printf("test accuracy %.4f\n", ev.Accuracy)
	if err := model.SaveFile("mnist.safetensors"); err != nil { // nn.LoadFile reads it back
		log.Fatal(err)
	}
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
