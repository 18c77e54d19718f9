package nn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PyTorch's state_dict of an nn.Sequential names each tensor "<index>.<name>", the index being
// the layer's position in the Sequential; layers without tensors (ReLU, Dropout, Flatten,
// MaxPool2D) take an index but add no names. Layer i of a lanes Sequential is layer i of
// PyTorch's, so the names line up when both models list the same layers (lanes has Flatten for
// nn.Flatten, though batch rows are already flat; an Identity stands for any other layer lanes
// does not need):
//
//	lanes                 PyTorch               tensors (PyTorch's shapes)
//	Dense(in, out)        nn.Linear(in, out)    i.weight [out, in], i.bias [out]
//	BatchNorm(f, m, eps)  nn.BatchNorm1d(f, eps, momentum=1-m)
//	                                            i.weight [f], i.bias [f], i.running_mean [f],
//	                                            i.running_var [f], i.num_batches_tracked [] (int64)
//	Conv2D(in, out, ...)  nn.Conv2d             i.weight [out, in, kh, kw], i.bias [out]
//
// The layers without tensors are PyTorch's modules of the same name: Sigmoid, Tanh, ReLU,
// LeakyReLU(alpha) (nn.LeakyReLU(negative_slope=alpha)), ELU(alpha), GELU (nn.GELU()), GELU with
// Tanh set (nn.GELU(approximate='tanh')), SiLU, Softplus (nn.Softplus() with beta 1 and threshold
// 20), Softmax (nn.Softmax(dim=1)), Dropout, Flatten, MaxPool2D, AvgPool2D.
//
// Dense keeps W as in x out (y = x*W + b), the transpose of Linear's weight: it is transposed on
// the way in and out. Conv2D's W (out x in*kh*kw) is Conv2d's weight as it lies in memory. num_batches_tracked is written as 0 (PyTorch needs it to load the file) and
// ignored on reading (absent is fine). BatchNorm's eps and momentum are not in the state_dict:
// they come from the model weights are loaded into.

// stateEntry is one tensor of a layer's state_dict.
type stateEntry struct {
	name  string // PyTorch's name without the layer index: "weight", "running_mean", ...
	shape []int  // PyTorch's shape
	// counter marks PyTorch's num_batches_tracked: an int64 scalar, written as 0, optional and
	// ignored when read.
	counter bool
	get     func() []float32  // the values in PyTorch's layout (a copy when the layout differs)
	set     func(v []float32) // stores values given in PyTorch's layout (len(v) fits shape)
}

// stateLayer is implemented by the layers that have tensors in PyTorch's state_dict.
type stateLayer interface {
	state() []stateEntry
}

func (d *Dense) state() []stateEntry {
	return []stateEntry{
		{name: "weight", shape: []int{d.Out, d.In},
			get: func() []float32 { return transpose(d.W.Value.Data, d.In, d.Out) },
			set: func(v []float32) { copy(d.W.Value.Data, transpose(v, d.Out, d.In)) }},
		{name: "bias", shape: []int{d.Out},
			get: func() []float32 { return d.B.Value.Data },
			set: func(v []float32) { copy(d.B.Value.Data, v) }},
	}
}

func (l *BatchNorm) state() []stateEntry {
	vec := func(name string, m *Matrix) stateEntry {
		return stateEntry{name: name, shape: []int{l.Features},
			get: func() []float32 { return m.Data },
			set: func(v []float32) { copy(m.Data, v) }}
	}
	return []stateEntry{
		vec("weight", l.Gamma.Value), vec("bias", l.Beta.Value),
		vec("running_mean", l.RunningMean), vec("running_var", l.RunningVar),
		{name: "num_batches_tracked", shape: []int{}, counter: true},
	}
}

// transpose returns the cols x rows transpose of the rows x cols matrix a.
func transpose(a []float32, rows, cols int) []float32 {
	t := make([]float32, len(a))
	for i := range rows {
		for j, v := range a[i*cols : (i+1)*cols] {
			t[j*rows+i] = v
		}
	}
	return t
}

// stateItem is one state_dict tensor of a model: its full name and where it goes.
type stateItem struct {
	name  string // "3.weight"
	layer int
	stateEntry
}

// stateDict lists the model's state_dict tensors in PyTorch's order. A layer with parameters
// but no state_dict mapping is an error naming it.
func (m *Sequential) stateDict() ([]stateItem, error) {
	var items []stateItem
	for i, l := range m.Layers {
		sl, ok := l.(stateLayer)
		if !ok {
			if len(l.Params()) > 0 {
				return nil, fmt.Errorf("layer %d, %s (%T), has parameters but no PyTorch state_dict names", i, l.Name(), l)
			}
			continue
		}
		for _, e := range sl.state() {
			items = append(items, stateItem{name: strconv.Itoa(i) + "." + e.name, layer: i, stateEntry: e})
		}
	}
	return items, nil
}

// stateTensors returns the tensors to write for the model's state_dict.
func (m *Sequential) stateTensors() ([]stTensor, error) {
	items, err := m.stateDict()
	if err != nil {
		return nil, err
	}
	ts := make([]stTensor, len(items))
	for i, it := range items {
		if it.counter {
			ts[i] = stTensor{name: it.name, dtype: "I64", shape: it.shape}
			continue
		}
		ts[i] = stTensor{name: it.name, dtype: "F32", shape: it.shape, data: it.get()}
	}
	return ts, nil
}

// stateLoad is a checked plan for loading a file's tensors into a model.
type stateLoad struct {
	items   []stateItem
	entries []*stEntry // the file's entry for each item (nil: an absent counter)
}

// planState matches the header's tensors with the model's state_dict: every tensor the model
// needs present with its shape and a float dtype (F32, F16, BF16), and no other tensor. The
// error names every tensor that is missing, unexpected or of the wrong shape or dtype (the first
// dozen problems).
func (m *Sequential) planState(h *stHeader) (*stateLoad, error) {
	items, err := m.stateDict()
	if err != nil {
		return nil, err
	}
	var probs []string
	p := &stateLoad{items: items, entries: make([]*stEntry, len(items))}
	want := make(map[string]bool, len(items))
	for i, it := range items {
		want[it.name] = true
		what := fmt.Sprintf("layer %d, %s", it.layer, m.Layers[it.layer].Name())
		k, ok := h.byName[it.name]
		if !ok {
			if !it.counter {
				probs = append(probs, fmt.Sprintf("missing tensor %q (%s needs shape %s)", it.name, what, shapeString(it.shape)))
			}
			continue
		}
		e := &h.entries[k]
		if it.counter {
			if len(e.shape) != 0 || (e.dtype != "I64" && e.dtype != "I32") {
				probs = append(probs, fmt.Sprintf("tensor %q is %s of shape %s, want an integer scalar (shape [])", it.name, e.dtype, shapeString(e.shape)))
			}
			p.entries[i] = e
			continue
		}
		if !sameShape64(e.shape, it.shape) {
			probs = append(probs, fmt.Sprintf("tensor %q has shape %s, %s needs %s", it.name, shapeString(e.shape), what, shapeString(it.shape)))
		}
		if e.dtype != "F32" && e.dtype != "F16" && e.dtype != "BF16" {
			probs = append(probs, fmt.Sprintf("tensor %q has dtype %s; lanes reads F32, F16 and BF16", it.name, e.dtype))
		}
		p.entries[i] = e
	}
	for _, e := range h.entries {
		if want[e.name] {
			continue
		}
		probs = append(probs, fmt.Sprintf("unexpected tensor %q%s", e.name, m.whereIs(e.name)))
	}
	if len(probs) > 0 {
		if len(probs) > 12 {
			probs = append(probs[:12], fmt.Sprintf("and %d more", len(probs)-12))
		}
		return nil, errors.New(strings.Join(probs, "; "))
	}
	return p, nil
}

// whereIs explains why the model has no tensor of that name.
func (m *Sequential) whereIs(name string) string {
	idx, _, ok := strings.Cut(name, ".")
	i, err := strconv.Atoi(idx)
	if !ok || err != nil {
		return " (state_dict names start with the layer index)"
	}
	if i < 0 || i >= len(m.Layers) {
		return fmt.Sprintf(" (the model has %d layers, 0..%d)", len(m.Layers), len(m.Layers)-1)
	}
	return fmt.Sprintf(" (layer %d is %s)", i, m.Layers[i].Name())
}

func sameShape64(a []int64, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != int64(b[i]) {
			return false
		}
	}
	return true
}

// apply decodes every tensor from the data part and stores it. Everything is decoded before
// anything is stored, so that an error leaves the model as it was.
func (p *stateLoad) apply(data []byte) error {
	vals := make([][]float32, len(p.items))
	for i, it := range p.items {
		e := p.entries[i]
		if it.counter || e == nil {
			continue
		}
		v, err := float32s(*e, data[e.begin:e.end])
		if err != nil {
			return err
		}
		vals[i] = v
	}
	for i, it := range p.items {
		if vals[i] != nil {
			it.set(vals[i])
		}
	}
	return nil
}
