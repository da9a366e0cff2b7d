package rnncell

import (
	"crypto/md5"
	"encoding/binary"
	"strconv"

	"github.com/gorgoflow/gorgoflow/tf"
)

// DropoutWrapper adds dropout to a cell's inputs, outputs and new state
// (tf.nn.rnn_cell.DropoutWrapper, tf.contrib.rnn.DropoutWrapper). Each
// dropout is TF's tf.nn.dropout: x/keep·floor(keep + U[0,1)), which keeps a
// unit with probability keep and scales the kept ones by 1/keep.
//
// A keep probability is a number in (0, 1] or a scalar floating-point
// tensor, such as the chapter's tf.PlaceholderWithDefault(1.0, ...) fed 0.5
// while training. As in TF, a number equal to 1 adds no dropout op at all,
// and a tensor always adds one (with keep fed 1.0 it keeps every unit
// unchanged). State dropout applies to the state the wrapped cell returns,
// to the tensors the DropoutStateFilter chooses: by default every one but an
// LSTM's c, as TF's default dropout_state_filter_visitor.
//
// Without VariationalRecurrent, every step draws new masks. With it, the
// masks ([1, size] each, shared by the whole batch as TF's) are drawn once
// per Run and used at every step.
//
// The wrapper opens no variable scope: the wrapped cell's variables are
// named as without it. Under nn.DynamicRNN, the gradient of a step holding a
// random op is only as good as the loop's keeping of that step's mask; see
// nn.DynamicRNN.
type DropoutWrapper struct {
	cell              Cell
	err               error
	inKeep, outKeep   any // float64 or *tf.Tensor
	stateKeep         any
	seed              int64
	hasSeed           bool
	filter            func(int, StateKind) bool
	variational       bool
	inNoise, outNoise *tf.Tensor
	stateNoise        []*tf.Tensor
}

// NewDropoutWrapper wraps cell with dropout (DropoutWrapper(cell, ...)). A
// bad argument is reported, with the line of this call, by the first Call.
//
// Options: InputKeepProb, OutputKeepProb, StateKeepProb (each default 1.0),
// VariationalRecurrent (default false), InputSize and DType (for
// VariationalRecurrent), Seed, DropoutStateFilter.
func NewDropoutWrapper(cell Cell, opts ...Option) *DropoutWrapper {
	const fn = "rnn.NewDropoutWrapper"
	w := &DropoutWrapper{cell: cell, inKeep: 1.0, outKeep: 1.0, stateKeep: 1.0, filter: defaultStateFilter}
	o, err := ParseOptions(fn, opts, "input_keep_prob", "output_keep_prob", "state_keep_prob",
		"variational_recurrent", "input_size", "dtype", "seed", "dropout_state_filter_visitor")
	if err != nil {
		w.err = err
		return w
	}
	if cell == nil {
		w.err = errorf("%s: cell is nil", fn)
		return w
	}
	for _, p := range []struct {
		key string
		v   any
		dst *any
	}{{"input_keep_prob", o.InputKeepProb, &w.inKeep}, {"output_keep_prob", o.OutputKeepProb, &w.outKeep}, {"state_keep_prob", o.StateKeepProb, &w.stateKeep}} {
		if !o.Given[p.key] {
			continue
		}
		k, err := keepProb(fn, p.key, p.v)
		if err != nil {
			w.err = err
			return w
		}
		*p.dst = k
	}
	w.seed, w.hasSeed = o.Seed, o.Given["seed"]
	if o.Given["dropout_state_filter_visitor"] {
		if o.DropoutStateFilter == nil {
			w.err = errorf("%s: the dropout state filter is nil", fn)
			return w
		}
		w.filter = o.DropoutStateFilter
	}
	if w.variational = o.VariationalRecurrent; w.variational {
		if !o.Given["dtype"] || !o.DType.IsFloating() {
			w.err = errorf("%s: When variational_recurrent=True, dtype must be provided (rnn.DType(tf.Float32))", fn)
			return w
		}
		noise := func(salt string, i, size int) *tf.Tensor {
			return tf.RandomUniform(tf.Shape{1, size}, o.DType, w.seedOpts(salt, i)...)
		}
		if shouldDropout(w.inKeep) {
			if !o.Given["input_size"] || o.InputSize <= 0 {
				w.err = errorf("%s: When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided (rnn.InputSize)", fn)
				return w
			}
			w.inNoise = noise("input", 0, o.InputSize)
		}
		for i, n := range cell.StateSize() {
			w.stateNoise = append(w.stateNoise, noise("state", i, n))
		}
		w.outNoise = noise("output", 0, cell.OutputSize())
	}
	return w
}

// keepProb checks a keep probability: a number in (0, 1] (returned as a
// float64) or a scalar floating-point tensor.
func keepProb(fn, key string, p any) (any, error) {
	var v float64
	switch x := p.(type) {
	case float64:
		v = x
	case float32:
		v = float64(x)
	case int:
		v = float64(x)
	case *tf.Tensor:
		if x == nil {
			return nil, errorf("%s: %s is a nil *tf.Tensor", fn, key)
		}
		if x.Err() != nil {
			return nil, x.Err()
		}
		if !x.DType().IsFloating() {
			return nil, errorf("%s: %s %q has dtype %s; want a floating-point scalar", fn, key, x.Name(), x.DType())
		}
		if s := x.Shape(); s != nil && len(s) != 0 {
			return nil, errorf("%s: %s %q has shape %v; want a scalar", fn, key, x.Name(), s)
		}
		return x, nil
	default:
		return nil, errorf("%s: %s is a %T; want a number or a scalar *tf.Tensor", fn, key, p)
	}
	if !(v > 0 && v <= 1) {
		return nil, errorf("%s: Parameter %s must be between 0 and 1: %v (0 excluded)", fn, key, v)
	}
	return v, nil
}

// shouldDropout is TF's _should_dropout: a tensor, or a number below 1.
func shouldDropout(keep any) bool {
	v, isNum := keep.(float64)
	return !isNum || v < 1
}

// defaultStateFilter is TF's default dropout_state_filter_visitor: every
// state tensor but an LSTM's c.
func defaultStateFilter(_ int, k StateKind) bool { return k != StateLSTMC }

// genSeed is TF's DropoutWrapper._gen_seed: the first 8 hex digits of the
// MD5 of str(seed) + salt + "_" + index, as a 31-bit number.
func genSeed(seed int64, salt string, index int) int64 {
	sum := md5.Sum([]byte(strconv.FormatInt(seed, 10) + salt + "_" + strconv.Itoa(index)))
	return int64(binary.BigEndian.Uint32(sum[:4]) & 0x7FFFFFFF)
}

// seedOpts returns the Seed option of the dropout op (salt, index), none
// without a wrapper seed (the graph's seed then applies).
func (w *DropoutWrapper) seedOpts(salt string, i int) []tf.Option {
	if !w.hasSeed {
		return nil
	}
	return []tf.Option{tf.Seed(genSeed(w.seed, salt, i))}
}

// dropout returns x/keep·floor(keep + u), u being noise or new uniform
// values of x's shape.
func (w *DropoutWrapper) dropout(x *tf.Tensor, keep any, noise *tf.Tensor, salt string, i int) *tf.Tensor {
	return dropout(x, keep, noise, w.seedOpts(salt, i))
}

// dropout returns TF 1.x's tf.nn.dropout of x: x/keep·floor(keep + u), u
// being noise or new uniform values of x's shape drawn with seedOpts.
func dropout(x *tf.Tensor, keep any, noise *tf.Tensor, seedOpts []tf.Option) *tf.Tensor {
	k := keep
	if t, ok := keep.(*tf.Tensor); ok && t.DType() != x.DType() {
		k = tf.Cast(t, x.DType())
	}
	u := noise
	if u == nil {
		u = tf.RandomUniform(tf.ShapeOf(x), x.DType(), seedOpts...)
	}
	return tf.Mul(tf.Div(x, k), tf.Floor(tf.Add(k, u)))
}

// Cell returns the wrapped cell.
func (w *DropoutWrapper) Cell() Cell { return w.cell }

// KeepProbs returns the input, output and state keep probabilities, each a
// float64 or a *tf.Tensor.
func (w *DropoutWrapper) KeepProbs() (input, output, state any) {
	return w.inKeep, w.outKeep, w.stateKeep
}

// StateSize returns the wrapped cell's state sizes.
func (w *DropoutWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// StateKinds returns the wrapped cell's state kinds.
func (w *DropoutWrapper) StateKinds() []StateKind { return StateKinds(w.cell) }

// OutputSize returns the wrapped cell's output size.
func (w *DropoutWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state.
func (w *DropoutWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Call drops inputs, runs the wrapped cell, and drops its new state and
// output; see DropoutWrapper.
func (w *DropoutWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	if w.err != nil {
		return fail(w.err, n)
	}
	if err := checkStep("rnn.DropoutWrapper", inputs, state, w.StateSize()); err != nil {
		return fail(err, n)
	}
	if shouldDropout(w.inKeep) {
		inputs = w.dropout(inputs, w.inKeep, w.inNoise, "input", 0)
	}
	out, ns := w.cell.Call(inputs, state)
	if out == nil || out.Err() != nil || len(ns) != n {
		return out, ns
	}
	if shouldDropout(w.stateKeep) {
		kinds := StateKinds(w.cell)
		ns = append([]*tf.Tensor(nil), ns...)
		for i := range ns {
			if !w.filter(i, kinds[i]) {
				continue
			}
			var noise *tf.Tensor
			if w.variational {
				noise = w.stateNoise[i]
			}
			ns[i] = w.dropout(ns[i], w.stateKeep, noise, "state", i)
		}
	}
	if shouldDropout(w.outKeep) {
		out = w.dropout(out, w.outKeep, w.outNoise, "output", 0)
	}
	return out, ns
}
