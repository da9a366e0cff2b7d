package seq2seq

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kwargs"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Option is a keyword argument of a seq2seq function (Python's dtype=,
// feed_previous=, output_projection=, ...).
type Option struct {
	key   string
	apply func(*options)
}

// LoopFunction computes the next decoder input from the previous step's
// output prev and the step number i (TF's loop_function(prev, i)).
type LoopFunction func(prev *tf.Tensor, i int) *tf.Tensor

// LossFunction computes per-example losses [batch] of logits against
// integer labels (softmax_loss_function=).
type LossFunction func(labels, logits *tf.Tensor) *tf.Tensor

type options struct {
	given            map[string]bool
	dtype            tf.DType
	scope            string
	feedPrevious     bool
	feedPrevTensor   *tf.Tensor
	projW, projB     *tf.Tensor
	loop             LoopFunction
	numHeads         int
	initialAttention bool
	avgTime, avgBat  bool
	lossFn           LossFunction
}

// DType sets the dtype of the states and variables (dtype=, default
// float32).
func DType(d tf.DType) Option { return Option{"dtype", func(o *options) { o.dtype = d }} }

// Scope names the model's variable scope (scope=; each function documents
// its default).
func Scope(name string) Option { return Option{"scope", func(o *options) { o.scope = name }} }

// FeedPrevious makes the decoder feed each step the embedding of the
// previous step's most likely symbol (argmax of its output, after the output
// projection if any) instead of decoder_inputs[i] for i > 0: greedy decoding
// (feed_previous=True).
func FeedPrevious(f bool) Option {
	return Option{"feed_previous", func(o *options) { o.feedPrevious = f }}
}

// FeedPreviousTensor is FeedPrevious decided at Run time by a boolean
// scalar (feed_previous given as a tensor, such as
// tf.PlaceholderWithDefault(false, ...)): one graph both trains (false:
// decoder_inputs fed) and decodes greedily (true), with the same weights.
func FeedPreviousTensor(t *tf.Tensor) Option {
	return Option{"feed_previous", func(o *options) { o.feedPrevTensor = t }}
}

// OutputProjection gives the decoder's output projection (W, b) of shapes
// [output size, num_decoder_symbols] and [num_decoder_symbols]
// (output_projection=(W, b)): the decoder then returns the cell's outputs
// unprojected, and the caller applies the projection (as in sampled
// softmax training).
func OutputProjection(w, b any) Option {
	return Option{"output_projection", func(o *options) {
		o.projW, o.projB = asTensor(w, o.dtype), asTensor(b, o.dtype)
	}}
}

// WithLoopFunction sets rnn_decoder's loop_function.
func WithLoopFunction(f LoopFunction) Option {
	return Option{"loop_function", func(o *options) { o.loop = f }}
}

// NumHeads sets the number of attention heads (num_heads=, default 1).
func NumHeads(n int) Option { return Option{"num_heads", func(o *options) { o.numHeads = n }} }

// InitialStateAttention computes the first step's attention from the
// initial state rather than starting from zeros (initial_state_attention=).
func InitialStateAttention(b bool) Option {
	return Option{"initial_state_attention", func(o *options) { o.initialAttention = b }}
}

// AverageAcrossTimesteps divides the summed losses by the summed weights
// (average_across_timesteps=, default true).
func AverageAcrossTimesteps(b bool) Option {
	return Option{"average_across_timesteps", func(o *options) { o.avgTime = b }}
}

// AverageAcrossBatch divides the total loss by the batch size
// (average_across_batch=, default true).
func AverageAcrossBatch(b bool) Option {
	return Option{"average_across_batch", func(o *options) { o.avgBat = b }}
}

// SoftmaxLossFunction replaces the sparse softmax cross-entropy of the
// sequence losses (softmax_loss_function=).
func SoftmaxLossFunction(f LossFunction) Option {
	return Option{"softmax_loss_function", func(o *options) { o.lossFn = f }}
}

func parse(fn string, opts []Option, allowed ...string) (*options, error) {
	o := &options{given: map[string]bool{}, dtype: tf.Float32, numHeads: 1, avgTime: true, avgBat: true}
	// dtype first: the output projection converts Go values to it.
	ordered := make([]Option, 0, len(opts))
	for pass := 0; pass < 2; pass++ {
		for _, op := range opts {
			if (op.key == "dtype") == (pass == 0) {
				ordered = append(ordered, op)
			}
		}
	}
	err := kwargs.Parse(fn, false, allowed, o.given, len(ordered), func(i int) string { return ordered[i].key }, func(i int) { ordered[i].apply(o) })
	if err != nil {
		return nil, err
	}
	if !o.dtype.IsFloating() {
		return nil, errors.Errorf("%s: dtype %s is not float32 or float64", fn, o.dtype)
	}
	return o, nil
}

// asTensor turns a value into a tensor (Go values as constants of dtype).
func asTensor(x any, dtype tf.DType) *tf.Tensor {
	switch v := x.(type) {
	case *tf.Tensor:
		if v == nil {
			return tfimpl.ErrTensor(errors.New("a tensor argument is nil"))
		}
		return v
	case *tf.Variable:
		if v == nil {
			return tfimpl.ErrTensor(errors.New("a variable argument is nil"))
		}
		return v.Value()
	}
	return tf.Constant(x, dtype)
}
