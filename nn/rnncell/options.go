package rnncell

import (
	"github.com/gorgoflow/gorgoflow/internal/kwargs"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ActivationFunc is the type of a cell's activation function: tf.Tanh,
// tf.Relu, tf.Sigmoid, nn.Relu and the like.
type ActivationFunc func(x any, opts ...tf.Option) *tf.Tensor

// Option is a keyword argument of a cell constructor or a loop (Python's
// activation=, dtype=, sequence_length=, ...).
type Option struct {
	key   string
	apply func(*Options)
}

// Options holds parsed Options. Loop implementations outside this package
// (nn.DynamicRNN, or a user's own loop) read them through ParseOptions.
type Options struct {
	Activation   ActivationFunc
	DType        tf.DType
	InitialState []*tf.Tensor
	// The bidirectional loops' initial states (nn.BidirectionalDynamicRNN,
	// nn.StaticBidirectionalRNN; per layer for the stacked ones).
	InitialStateFw, InitialStateBw   []*tf.Tensor
	InitialStatesFw, InitialStatesBw [][]*tf.Tensor
	SequenceLength                   *tf.Tensor
	TimeMajor                        bool
	SwapMemory                       bool
	Scope                            string
	Name                             string

	ForgetBias           float64
	StateIsTuple         bool
	UsePeepholes         bool
	CellClip             float64
	NumProj              int
	ProjClip             float64
	Initializer          tf.Initializer
	KernelInitializer    tf.Initializer
	BiasInitializer      tf.Initializer
	InputKeepProb        any
	OutputKeepProb       any
	StateKeepProb        any
	VariationalRecurrent bool
	InputSize            int
	Seed                 int64
	DropoutStateFilter   func(index int, kind StateKind) bool
	ResidualFn           func(inputs, outputs *tf.Tensor) *tf.Tensor

	LayerNorm                 bool
	NormGain                  float64
	NormShift                 float64
	DropoutKeepProb           any
	DropoutProbSeed           int64
	NumUnitShards             int
	NumProjShards             int
	NumInProj                 int
	YActivation               ActivationFunc
	UseBias                   bool
	CoupleCarryTransformGates bool
	CarryBiasInit             float64
	AttnSize                  int
	AttnVecSize               int
	// Given records which options were given, by key ("dtype",
	// "initial_state", "sequence_length", ...).
	Given map[string]bool
}

// Activation sets a cell's activation function (activation=; default
// tf.Tanh).
func Activation(fn ActivationFunc) Option {
	return Option{"activation", func(o *Options) { o.Activation = fn }}
}

// DType sets the dtype of the initial state when none is given (dtype=).
func DType(d tf.DType) Option { return Option{"dtype", func(o *Options) { o.DType = d }} }

// InitialState gives a loop's initial state (initial_state=): one tensor per
// entry of the cell's StateSize, each [batch, size].
func InitialState(state ...*tf.Tensor) Option {
	s := append([]*tf.Tensor(nil), state...)
	return Option{"initial_state", func(o *Options) { o.InitialState = s }}
}

// SequenceLength gives each sequence's length (sequence_length=), an int32 or
// int64 vector [batch]. Past its length a sequence's outputs are zero and its
// state is copied through, so the returned state is the state after its last
// valid step; a length of 0 returns the initial state. A length outside
// [0, number of steps] is an error naming it.
func SequenceLength(lengths *tf.Tensor) Option {
	return Option{"sequence_length", func(o *Options) { o.SequenceLength = lengths }}
}

// TimeMajor says the inputs and outputs of nn.DynamicRNN are [time, batch,
// depth] rather than [batch, time, depth] (time_major=, default false).
func TimeMajor(t bool) Option { return Option{"time_major", func(o *Options) { o.TimeMajor = t }} }

// SwapMemory is nn.DynamicRNN's swap_memory= (default false). In TF it moves
// the activations saved for back-propagation from GPU to host memory. Here
// every tensor already lives in host memory, so it is accepted and changes
// nothing.
func SwapMemory(s bool) Option { return Option{"swap_memory", func(o *Options) { o.SwapMemory = s }} }

// Scope names the variable scope of a loop (scope=; default "rnn").
func Scope(name string) Option { return Option{"scope", func(o *Options) { o.Scope = name }} }

// Name names a cell's own variable scope (name=; default the cell type's
// name in snake case, as "basic_rnn_cell").
func Name(name string) Option { return Option{"name", func(o *Options) { o.Name = name }} }

// ForgetBias is the bias added to an LSTM's forget gate (forget_bias=;
// default 1.0).
func ForgetBias(b float64) Option {
	return Option{"forget_bias", func(o *Options) { o.ForgetBias = b }}
}

// StateIsTuple says whether an LSTM's state is two tensors, c and h
// (state_is_tuple=True, the default), or one [batch, 2·units] tensor, c and h
// concatenated (False, deprecated in TF).
func StateIsTuple(t bool) Option {
	return Option{"state_is_tuple", func(o *Options) { o.StateIsTuple = t }}
}

// UsePeepholes gives LSTMCell its diagonal peephole connections
// (use_peepholes=; default false).
func UsePeepholes(u bool) Option {
	return Option{"use_peepholes", func(o *Options) { o.UsePeepholes = u }}
}

// UsePeephole gives LSTMBlockCell its diagonal peephole connections
// (use_peephole=, LSTMBlockCell's spelling; default false).
func UsePeephole(u bool) Option {
	return Option{"use_peephole", func(o *Options) { o.UsePeepholes = u }}
}

// CellClip clips LSTMCell's cell state to [-v, v] (cell_clip=; default none).
func CellClip(v float64) Option { return Option{"cell_clip", func(o *Options) { o.CellClip = v }} }

// NumProj projects LSTMCell's output to n units (num_proj=; default none).
func NumProj(n int) Option { return Option{"num_proj", func(o *Options) { o.NumProj = n }} }

// ProjClip clips LSTMCell's projected output to [-v, v] (proj_clip=;
// default none; used only with NumProj).
func ProjClip(v float64) Option { return Option{"proj_clip", func(o *Options) { o.ProjClip = v }} }

// Initializer sets LSTMCell's initializer of its kernel, peepholes and
// projection (initializer=; default glorot-uniform, TF's get_variable
// default).
func Initializer(init tf.Initializer) Option {
	return Option{"initializer", func(o *Options) { o.Initializer = init }}
}

// KernelInitializer sets GRUCell's kernels' initializer
// (kernel_initializer=; default glorot-uniform).
func KernelInitializer(init tf.Initializer) Option {
	return Option{"kernel_initializer", func(o *Options) { o.KernelInitializer = init }}
}

// BiasInitializer sets GRUCell's biases' initializer (bias_initializer=;
// default 1.0 for gates/bias and zeros for candidate/bias).
func BiasInitializer(init tf.Initializer) Option {
	return Option{"bias_initializer", func(o *Options) { o.BiasInitializer = init }}
}

// InputKeepProb is DropoutWrapper's probability of keeping an input unit
// (input_keep_prob=; default 1.0): a number in (0, 1] or a scalar
// floating-point tensor (a placeholder, as the chapter's
// tf.PlaceholderWithDefault(1.0, ...)).
func InputKeepProb(p any) Option {
	return Option{"input_keep_prob", func(o *Options) { o.InputKeepProb = p }}
}

// OutputKeepProb is DropoutWrapper's probability of keeping an output unit
// (output_keep_prob=; default 1.0), as InputKeepProb.
func OutputKeepProb(p any) Option {
	return Option{"output_keep_prob", func(o *Options) { o.OutputKeepProb = p }}
}

// StateKeepProb is DropoutWrapper's probability of keeping a unit of the
// new state (state_keep_prob=; default 1.0), as InputKeepProb. By default
// an LSTM's c is never dropped (see DropoutStateFilter).
func StateKeepProb(p any) Option {
	return Option{"state_keep_prob", func(o *Options) { o.StateKeepProb = p }}
}

// VariationalRecurrent makes DropoutWrapper draw its masks once per Run and
// use them at every step (variational_recurrent=; default false), as Gal and
// Ghahramani's variational dropout. It needs DType, and InputSize when
// inputs are dropped.
func VariationalRecurrent(v bool) Option {
	return Option{"variational_recurrent", func(o *Options) { o.VariationalRecurrent = v }}
}

// InputSize is the depth of DropoutWrapper's inputs (input_size=), needed
// with VariationalRecurrent and InputKeepProb.
func InputSize(n int) Option { return Option{"input_size", func(o *Options) { o.InputSize = n }} }

// Seed is DropoutWrapper's random seed (seed=): each of its dropout ops gets
// a seed derived from it as TF's _gen_seed does.
func Seed(s int64) Option { return Option{"seed", func(o *Options) { o.Seed = s }} }

// DropoutStateFilter chooses which state tensors DropoutWrapper's
// StateKeepProb applies to (dropout_state_filter_visitor=): it is called
// with each state tensor's index in the flat state and its kind, and drops
// the tensor when it returns true. The default, as TF's, drops every state
// tensor except an LSTM's c.
func DropoutStateFilter(fn func(index int, kind StateKind) bool) Option {
	return Option{"dropout_state_filter_visitor", func(o *Options) { o.DropoutStateFilter = fn }}
}

// ResidualFn sets ResidualWrapper's combination of a step's inputs and the
// wrapped cell's outputs (residual_fn=; default inputs + outputs).
func ResidualFn(fn func(inputs, outputs *tf.Tensor) *tf.Tensor) Option {
	return Option{"residual_fn", func(o *Options) { o.ResidualFn = fn }}
}

// LayerNorm turns layer normalization on or off (layer_norm=; default true
// for LayerNormBasicLSTMCell, false for CoupledInputForgetGateLSTMCell).
func LayerNorm(on bool) Option { return Option{"layer_norm", func(o *Options) { o.LayerNorm = on }} }

// NormGain is the initial value of the layer normalizations' gains, the
// "gamma" variables (norm_gain=; default 1.0).
func NormGain(g float64) Option { return Option{"norm_gain", func(o *Options) { o.NormGain = g }} }

// NormShift is the initial value of the layer normalizations' shifts, the
// "beta" variables (norm_shift=; default 0.0).
func NormShift(b float64) Option { return Option{"norm_shift", func(o *Options) { o.NormShift = b }} }

// DropoutKeepProb is LayerNormBasicLSTMCell's recurrent dropout: the
// probability of keeping a unit of the candidate activation
// (dropout_keep_prob=; default 1.0, no dropout), a number in (0, 1] or a
// scalar floating-point tensor.
func DropoutKeepProb(p any) Option {
	return Option{"dropout_keep_prob", func(o *Options) { o.DropoutKeepProb = p }}
}

// DropoutProbSeed is the op seed of LayerNormBasicLSTMCell's dropout
// (dropout_prob_seed=; default none: the graph's seed applies).
func DropoutProbSeed(s int64) Option {
	return Option{"dropout_prob_seed", func(o *Options) { o.DropoutProbSeed = s }}
}

// NumUnitShards splits CoupledInputForgetGateLSTMCell's kernel by rows into
// n variables W_0, W_1, ... (num_unit_shards=; default 1).
func NumUnitShards(n int) Option {
	return Option{"num_unit_shards", func(o *Options) { o.NumUnitShards = n }}
}

// NumProjShards splits CoupledInputForgetGateLSTMCell's projection by rows
// into n variables W_P_0, W_P_1, ... (num_proj_shards=; default 1).
func NumProjShards(n int) Option {
	return Option{"num_proj_shards", func(o *Options) { o.NumProjShards = n }}
}

// NumInProj gives IntersectionRNNCell an input projection to its number of
// units when the inputs' depth differs from it (num_in_proj=; default none).
func NumInProj(n int) Option { return Option{"num_in_proj", func(o *Options) { o.NumInProj = n }} }

// YActivation is IntersectionRNNCell's activation of the output passed
// through depth (y_activation=; default relu).
func YActivation(fn ActivationFunc) Option {
	return Option{"y_activation", func(o *Options) { o.YActivation = fn }}
}

// UseBias gives NASCell a bias (use_bias=, TF 1.15's name; default false).
func UseBias(b bool) Option { return Option{"use_bias", func(o *Options) { o.UseBias = b }} }

// UseBiases is UseBias under the name earlier TF 1.x releases gave NASCell's
// argument (use_biases=).
func UseBiases(b bool) Option { return Option{"use_biases", func(o *Options) { o.UseBias = b }} }

// CoupleCarryTransformGates makes HighwayWrapper's transform gate 1 - carry
// (couple_carry_transform_gates=; default true); false gives it its own
// weights.
func CoupleCarryTransformGates(c bool) Option {
	return Option{"couple_carry_transform_gates", func(o *Options) { o.CoupleCarryTransformGates = c }}
}

// CarryBiasInit is the initial value of HighwayWrapper's carry bias, and
// minus that of its transform bias (carry_bias_init=; default 1.0).
func CarryBiasInit(b float64) Option {
	return Option{"carry_bias_init", func(o *Options) { o.CarryBiasInit = b }}
}

// AttnSize is the size of AttentionCellWrapper's attention vectors and
// outputs (attn_size=; default the wrapped cell's output size).
func AttnSize(n int) Option { return Option{"attn_size", func(o *Options) { o.AttnSize = n }} }

// AttnVecSize is the size of AttentionCellWrapper's attention features
// (attn_vec_size=; default the attention size).
func AttnVecSize(n int) Option {
	return Option{"attn_vec_size", func(o *Options) { o.AttnVecSize = n }}
}

// ParseOptions applies opts for function fn, refusing any whose key is not
// in allowed: Python's keyword ("activation", "dtype", "initial_state",
// "sequence_length", "time_major", "swap_memory", "scope", "name",
// "forget_bias", ...).
func ParseOptions(fn string, opts []Option, allowed ...string) (*Options, error) {
	o := &Options{Given: map[string]bool{}, ForgetBias: 1, StateIsTuple: true, NormGain: 1, DropoutKeepProb: 1.0,
		NumUnitShards: 1, NumProjShards: 1, CoupleCarryTransformGates: true, CarryBiasInit: 1}
	err := kwargs.Parse(fn, true, allowed, o.Given, len(opts), func(i int) string { return opts[i].key }, func(i int) { opts[i].apply(o) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// parseCellOptions is ParseOptions for a cell's constructor, which first
// checks that numUnits is positive: TF's cells take num_units first.
func parseCellOptions(fn string, numUnits int, opts []Option, allowed ...string) (*Options, error) {
	o, err := ParseOptions(fn, opts, allowed...)
	if err == nil && numUnits <= 0 {
		err = errorf("%s: num_units must be positive, got %d", fn, numUnits)
	}
	return o, err
}
