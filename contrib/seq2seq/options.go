package seq2seq

import (
	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/kwargs"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Option is a keyword argument of a seq2seq constructor or function
// (Python's impute_finished=, normalize=, attention_layer_size=, ...).
// Giving one a function does not take is an error.
type Option struct {
	key   string
	apply func(*options)
}

// Layer is a layer object applied at every step (TF's tf.layers.Layer,
// e.g. tf.layers.Dense): *layers.DenseLayer is one. It must make its
// variables on the first Apply and use them on every later one.
type Layer interface {
	Apply(inputs *tf.Tensor) *tf.Tensor
	Units() int
}

// LossFunction computes per-example losses [n] of logits [n, classes]
// against integer labels [n] (softmax_loss_function=).
type LossFunction func(labels, logits *tf.Tensor) *tf.Tensor

type options struct {
	given            map[string]bool
	timeMajor        bool
	outputTimeMajor  bool
	imputeFinished   bool
	maxIter          int
	scope            string
	name             string
	outputLayer      Layer
	memSeqLen        *tf.Tensor
	normalize, scale bool
	scoreMask        float64
	attnLayerSize    int
	alignHistory     bool
	outputAttention  bool
	initialCellState []*tf.Tensor
	avgTime, avgBat  bool
	lossFn           LossFunction
	probabilityFn    func(score *tf.Tensor) *tf.Tensor
	cellInputFn      func(inputs, attention *tf.Tensor) *tf.Tensor
}

// TimeMajor says TrainingHelper's inputs are [time, batch, depth]
// (time_major=, default false: [batch, time, depth]).
func TimeMajor(b bool) Option { return Option{"time_major", func(o *options) { o.timeMajor = b }} }

// OutputTimeMajor makes DynamicDecode return [time, batch, ...] outputs
// (output_time_major=, default false: [batch, time, ...]).
func OutputTimeMajor(b bool) Option {
	return Option{"output_time_major", func(o *options) { o.outputTimeMajor = b }}
}

// ImputeFinished makes DynamicDecode emit zeros and copy the state through
// for sequences that have finished (impute_finished=, default false).
func ImputeFinished(b bool) Option {
	return Option{"impute_finished", func(o *options) { o.imputeFinished = b }}
}

// MaximumIterations bounds DynamicDecode's steps (maximum_iterations=); it
// is also the number of steps the graph unrolls (see the package comment).
func MaximumIterations(n int) Option {
	return Option{"maximum_iterations", func(o *options) { o.maxIter = n }}
}

// SwapMemory is accepted for TF's swap_memory= and does nothing: gorgoflow
// runs on the CPU, where there is no device memory to swap.
func SwapMemory(b bool) Option { return Option{"swap_memory", func(o *options) {}} }

// Scope names DynamicDecode's variable scope (scope=, default "decoder",
// uniquified).
func Scope(name string) Option { return Option{"scope", func(o *options) { o.scope = name }} }

// Name names an attention mechanism's or wrapper's scope, or the loss's
// name scope (name=).
func Name(name string) Option { return Option{"name", func(o *options) { o.name = name }} }

// OutputLayer gives BasicDecoder the layer applied to the cell's output
// before sampling (output_layer=, e.g. layers.NewDense(vocabSize)).
func OutputLayer(l Layer) Option {
	return Option{"output_layer", func(o *options) { o.outputLayer = l }}
}

// MemorySequenceLength gives an attention mechanism the lengths [batch]
// (int32) of the memory's sequences: the memory is zeroed past them and
// their scores masked (memory_sequence_length=).
func MemorySequenceLength(t *tf.Tensor) Option {
	return Option{"memory_sequence_length", func(o *options) { o.memSeqLen = t }}
}

// Normalize selects BahdanauAttention's weight-normalized form
// (normalize=, default false).
func Normalize(b bool) Option { return Option{"normalize", func(o *options) { o.normalize = b }} }

// Scale selects LuongAttention's scaled form (scale=, default false).
func Scale(b bool) Option { return Option{"scale", func(o *options) { o.scale = b }} }

// ScoreMaskValue is the score given to memory positions past
// MemorySequenceLength before the softmax (score_mask_value=, default
// -inf).
func ScoreMaskValue(v float64) Option {
	return Option{"score_mask_value", func(o *options) { o.scoreMask = v }}
}

// ProbabilityFn replaces an attention mechanism's softmax, which turns the
// (masked) scores [batch, memory time] into alignments (probability_fn=).
func ProbabilityFn(f func(score *tf.Tensor) *tf.Tensor) Option {
	return Option{"probability_fn", func(o *options) { o.probabilityFn = f }}
}

// CellInputFn replaces AttentionWrapper's concat([inputs, attention], -1),
// which makes the wrapped cell's inputs (cell_input_fn=).
func CellInputFn(f func(inputs, attention *tf.Tensor) *tf.Tensor) Option {
	return Option{"cell_input_fn", func(o *options) { o.cellInputFn = f }}
}

// AttentionLayerSize makes AttentionWrapper compute its attention as
// attention_layer([cell output, context]), a dense layer of n units without
// bias (attention_layer_size=; default: the attention is the context).
func AttentionLayerSize(n int) Option {
	return Option{"attention_layer_size", func(o *options) { o.attnLayerSize = n }}
}

// AlignmentHistory makes DynamicDecode return every step's alignments of an
// AttentionWrapper (alignment_history=, default false).
func AlignmentHistory(b bool) Option {
	return Option{"alignment_history", func(o *options) { o.alignHistory = b }}
}

// OutputAttention says whether AttentionWrapper outputs the attention
// (true, the default, Luong-style) or the cell's output (Bahdanau-style)
// (output_attention=).
func OutputAttention(b bool) Option {
	return Option{"output_attention", func(o *options) { o.outputAttention = b }}
}

// InitialCellState makes AttentionWrapper's ZeroState start its cell from
// state (initial_cell_state=), typically the encoder's final state.
func InitialCellState(state []*tf.Tensor) Option {
	return Option{"initial_cell_state", func(o *options) { o.initialCellState = state }}
}

// AverageAcrossTimesteps makes SequenceLoss divide the sum over time by
// the sum of the weights (average_across_timesteps=, default true).
func AverageAcrossTimesteps(b bool) Option {
	return Option{"average_across_timesteps", func(o *options) { o.avgTime = b }}
}

// AverageAcrossBatch makes SequenceLoss divide the sum over the batch by
// the sum of the weights (average_across_batch=, default true).
func AverageAcrossBatch(b bool) Option {
	return Option{"average_across_batch", func(o *options) { o.avgBat = b }}
}

// SoftmaxLossFunction replaces SequenceLoss's sparse softmax cross-entropy
// (softmax_loss_function=); it gets the labels and logits flattened to
// [batch·time] and [batch·time, classes].
func SoftmaxLossFunction(f LossFunction) Option {
	return Option{"softmax_loss_function", func(o *options) { o.lossFn = f }}
}

// parse applies opts for fn, which takes the options allowed. fn is
// prefixed with the user's call site.
func parse(fn string, opts []Option, allowed ...string) (*options, error) {
	o := &options{given: map[string]bool{}, outputAttention: true, avgTime: true, avgBat: true, scoreMask: negInf}
	err := kwargs.Parse(fn, false, allowed, o.given, len(opts), func(i int) string { return opts[i].key }, func(i int) { opts[i].apply(o) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// at returns fn followed by the user's call site.
func at(fn string) string { return fn + " at " + callsite.User() }
