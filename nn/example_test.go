package nn_test

import (
	"fmt"

	"github.com/lanesimd/lanes/nn"
)

// Train a small network to tell the quadrants of the plane apart: the label is 0 when x and y
// have the same sign, 1 otherwise (XOR), which no linear model can learn.
func ExampleTrainer_Fit() {
	rng := nn.NewRand(1)
	const n = 400
	x := nn.NewMatrix(n, 2)
	y := make([]int, n)
	for i := range n {
		a, b := 2*rng.Float32()-1, 2*rng.Float32()-1
		x.Set(i, 0, a)
		x.Set(i, 1, b)
		if (a > 0) != (b > 0) {
			y[i] = 1
		}
	}
	model := nn.NewSequential(
		nn.NewDense(2, 16, nn.HeNormal, rng), nn.NewTanh(),
		nn.NewDense(16, 2, nn.XavierNormal, rng),
	)
	tr := nn.NewTrainer(model, nn.NewSoftmaxCrossEntropy(), nn.NewAdam(0.01))
	h := tr.Fit(x, nn.Labels(y), nn.FitConfig{BatchSize: 20, Epochs: 100, Seed: 2})
	fmt.Println("loss fell:", h.EpochLoss[len(h.EpochLoss)-1] < h.EpochLoss[0]/5)
	fmt.Println("accuracy above 0.95:", nn.Accuracy(model, x, y) > 0.95)
	// Output:
	// loss fell: true
	// accuracy above 0.95: true
}

// Compare backpropagation with central differences.
func ExampleGradCheck() {
	rng := nn.NewRand(3)
	model := nn.NewSequential(nn.NewDense(3, 4, nn.XavierNormal, rng), nn.NewSigmoid(), nn.NewDense(4, 2, nn.XavierNormal, rng))
	x := nn.FromSlice(2, 3, []float32{0.5, -1, 0.25, 1, 0.75, -0.5})
	for _, r := range nn.GradCheck(model, nn.NewSoftmaxCrossEntropy(), x, nn.Labels([]int{0, 1}), 1e-2) {
		fmt.Printf("%-14s ok: %v\n", r.Name, r.MaxRelErr < 2e-3)
	}
	// Output:
	// Dense(3, 4).W  ok: true
	// Dense(3, 4).b  ok: true
	// Dense(4, 2).W  ok: true
	// Dense(4, 2).b  ok: true
	// input          ok: true
}

// Anneal the learning rate along a cosine over 4 epochs: Fit sets the optimizer's rate to its
// starting rate times these factors before each epoch, and back to the starting rate at the end.
func ExampleCosineDecay() {
	cfg := nn.FitConfig{Epochs: 4, Schedule: nn.CosineDecay} // for Trainer.Fit
	for ep := 1; ep <= cfg.Epochs; ep++ {
		fmt.Printf("epoch %d: learning rate x %.4f\n", ep, cfg.Schedule(ep, cfg.Epochs))
	}
	// Output:
	// epoch 1: learning rate x 1.0000
	// epoch 2: learning rate x 0.8536
	// epoch 3: learning rate x 0.5000
	// epoch 4: learning rate x 0.1464
}
