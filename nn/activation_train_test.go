package nn

import "testing"

// TestTrainingNewActivationsConverge trains the small net of the training tests with each of the
// new activations, and a deeper one whose Dense layers are fused with their activations, on the
// separable blobs: held-out accuracy must exceed 0.97.
func TestTrainingNewActivationsConverge(t *testing.T) {
	x, y := blobs(600, 1)
	xt, yt := blobs(300, 2)
	for _, act := range []Layer{NewGELU(), NewGELUTanh(), NewSiLU(), NewSoftplus()} {
		m := smallNet(3, act)
		t.Run(m.String(), func(t *testing.T) {
			NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(0.01)).Fit(x, Labels(y), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
			if acc := Accuracy(m, xt, yt); acc < 0.97 {
				t.Errorf("accuracy %.4f < 0.97", acc)
			}
		})
	}
	rng := NewRand(3)
	m := NewSequential(
		NewDense(2, 16, HeNormal, rng), NewReLU(), NewDense(16, 16, XavierNormal, rng), NewTanh(),
		NewDense(16, 16, XavierNormal, rng), NewSigmoid(), NewDense(16, 16, HeNormal, rng), NewGELU(),
		NewDense(16, 16, HeNormal, rng), NewSiLU(), NewDense(16, 3, XavierNormal, rng),
	)
	t.Run(m.String(), func(t *testing.T) {
		h := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(0.01)).Fit(x, Labels(y), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
		first, last := h.EpochLoss[0], h.EpochLoss[len(h.EpochLoss)-1]
		if acc := Accuracy(m, xt, yt); acc < 0.97 || !(last < first/5) {
			t.Errorf("accuracy %.4f, epoch loss %.4f -> %.4f", acc, first, last)
		}
	})
}
