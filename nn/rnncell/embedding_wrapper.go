package rnncell

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// EmbeddingWrapper puts an embedding in front of a cell
// (tf.contrib.rnn.EmbeddingWrapper): its inputs are integer ids, [batch] or
// [batch, 1], looked up in an embedding matrix before the wrapped cell runs
// on them. The state is the wrapped cell's.
//
// On its first Call it opens the variable scope "embedding_wrapper" (made
// unique as TF's default names), holding "embedding" [numSymbols,
// embeddingSize], uniform in [-sqrt(3), sqrt(3)) as TF's default, of the
// state's dtype, and the wrapped cell's variables
// ("<scope>/embedding_wrapper/basic_rnn_cell/kernel"). The embedding's
// gradient is sparse (tf.IndexedSlices): optimizers update only the rows
// looked up. An id outside [0, numSymbols) is a Run-time error naming it.
type EmbeddingWrapper struct {
	cell          Cell
	numSymbols    int
	embeddingSize int
	err           error

	scope     string
	embedding *tf.Variable
}

// NewEmbeddingWrapper wraps cell with an embedding of numSymbols symbols
// into vectors of embeddingSize (EmbeddingWrapper(cell, embedding_classes,
// embedding_size)). A bad argument is reported by the first Call.
func NewEmbeddingWrapper(cell Cell, numSymbols, embeddingSize int) *EmbeddingWrapper {
	w := &EmbeddingWrapper{cell: cell, numSymbols: numSymbols, embeddingSize: embeddingSize}
	site := tfimpl.CallerSite()
	switch {
	case cell == nil:
		w.err = errors.Errorf("rnn.NewEmbeddingWrapper at %s: cell is nil", site)
	case numSymbols <= 0 || embeddingSize <= 0:
		w.err = errors.Errorf("rnn.NewEmbeddingWrapper at %s: Both embedding_classes and embedding_size must be > 0: %d, %d", site, numSymbols, embeddingSize)
	}
	return w
}

// StateSize returns the wrapped cell's state sizes.
func (w *EmbeddingWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// OutputSize returns the wrapped cell's output size.
func (w *EmbeddingWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state.
func (w *EmbeddingWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Embedding returns the embedding variable, nil before the first Call.
func (w *EmbeddingWrapper) Embedding() *tf.Variable { return w.embedding }

// Call looks the ids up and runs the wrapped cell on their embeddings.
func (w *EmbeddingWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	fail := func(err error) (*tf.Tensor, []*tf.Tensor) { return tfimpl.ErrTensor(err), errState(err, n) }
	if w.err != nil {
		return fail(w.err)
	}
	if inputs == nil {
		return fail(errorf("rnn.EmbeddingWrapper: inputs is a nil *tf.Tensor"))
	}
	if inputs.Err() != nil {
		return fail(inputs.Err())
	}
	if !inputs.DType().IsInteger() {
		return fail(errorf("rnn.EmbeddingWrapper: inputs %q have dtype %s; want int32 or int64 ids", inputs.Name(), inputs.DType()))
	}
	if s := inputs.Shape(); s != nil && !(len(s) == 1 || len(s) == 2 && (s[1] == 1 || s[1] < 0)) {
		return fail(errorf("rnn.EmbeddingWrapper: inputs %q have shape %v; want ids [batch] or [batch, 1]", inputs.Name(), s))
	}
	if len(state) == 0 || state[0] == nil || state[0].Err() != nil {
		if len(state) > 0 && state[0] != nil {
			return fail(state[0].Err())
		}
		return fail(errorf("rnn.EmbeddingWrapper: the state is empty"))
	}
	if w.scope == "" {
		w.scope = uniqueScope("embedding_wrapper")
	}
	defer tf.VariableScope(w.scope, tf.ReuseInherit)()
	if w.embedding == nil {
		sqrt3 := math.Sqrt(3)
		e := tf.GetVariable("embedding", tf.Shape{w.numSymbols, w.embeddingSize}, tf.WithDType(state[0].DType()),
			tf.WithInitializer(tf.RandomUniformInitializer(tf.Minval(-sqrt3), tf.Maxval(sqrt3))))
		if e.Err() != nil {
			return fail(e.Err())
		}
		w.embedding = e
	}
	embedded := tf.Gather(w.embedding, tf.Reshape(inputs, []int{-1}))
	return w.cell.Call(embedded, state)
}

// InputProjectionWrapper projects a cell's inputs linearly before the cell
// runs (tf.contrib.rnn.InputProjectionWrapper): inputs·kernel + bias, of
// numProj units. On its first Call it opens the variable scope
// "input_projection_wrapper" holding "kernel" [depth, numProj]
// (glorot-uniform) and "bias" [numProj] (zeros), and the wrapped cell's
// variables.
type InputProjectionWrapper struct {
	cell       Cell
	numProj    int
	activation ActivationFunc
	err        error

	scope        string
	kernel, bias *tf.Variable
}

// NewInputProjectionWrapper wraps cell with a projection of its inputs to
// numProj units (InputProjectionWrapper(cell, num_proj)). A bad argument is
// reported by the first Call.
//
// Options: Activation (default none: the projection is linear).
func NewInputProjectionWrapper(cell Cell, numProj int, opts ...Option) *InputProjectionWrapper {
	w := &InputProjectionWrapper{cell: cell, numProj: numProj}
	site := tfimpl.CallerSite()
	o, err := ParseOptions("rnn.NewInputProjectionWrapper", opts, "activation")
	switch {
	case err != nil:
		w.err = err
	case cell == nil:
		w.err = errors.Errorf("rnn.NewInputProjectionWrapper at %s: cell is nil", site)
	case numProj <= 0:
		w.err = errors.Errorf("rnn.NewInputProjectionWrapper at %s: num_proj must be > 0: %d", site, numProj)
	default:
		w.activation = o.Activation
	}
	return w
}

// StateSize returns the wrapped cell's state sizes.
func (w *InputProjectionWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// OutputSize returns the wrapped cell's output size.
func (w *InputProjectionWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state.
func (w *InputProjectionWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Kernel returns the projection's kernel, nil before the first Call.
func (w *InputProjectionWrapper) Kernel() *tf.Variable { return w.kernel }

// Bias returns the projection's bias, nil before the first Call.
func (w *InputProjectionWrapper) Bias() *tf.Variable { return w.bias }

// Call projects the inputs and runs the wrapped cell on them.
func (w *InputProjectionWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	fail := func(err error) (*tf.Tensor, []*tf.Tensor) { return tfimpl.ErrTensor(err), errState(err, n) }
	if w.err != nil {
		return fail(w.err)
	}
	if inputs == nil {
		return fail(errorf("rnn.InputProjectionWrapper: inputs is a nil *tf.Tensor"))
	}
	if inputs.Err() != nil {
		return fail(inputs.Err())
	}
	s := inputs.Shape()
	if s == nil || len(s) != 2 || s[1] < 0 || !inputs.DType().IsFloating() {
		return fail(errorf("rnn.InputProjectionWrapper: inputs %q are %s; want float [batch, depth] with a known depth", inputs.Name(), inputs.Spec()))
	}
	if w.scope == "" {
		w.scope = uniqueScope("input_projection_wrapper")
	}
	defer tf.VariableScope(w.scope, tf.ReuseInherit)()
	if w.kernel == nil {
		k := tf.GetVariable("kernel", tf.Shape{s[1], w.numProj}, tf.WithDType(inputs.DType()))
		if k.Err() != nil {
			return fail(k.Err())
		}
		b := tf.GetVariable("bias", tf.Shape{w.numProj}, tf.WithDType(inputs.DType()), tf.WithInitializer(tf.ZerosInitializer()))
		if b.Err() != nil {
			return fail(b.Err())
		}
		w.kernel, w.bias = k, b
	}
	proj := tf.Add(tf.MatMul(inputs, w.kernel), w.bias)
	if w.activation != nil {
		proj = w.activation(proj)
	}
	return w.cell.Call(proj, state)
}
